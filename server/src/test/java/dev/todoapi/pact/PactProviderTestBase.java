package dev.todoapi.pact;

import static dev.todoapi.db.jooq.Tables.USERS;

import au.com.dius.pact.provider.junit5.HttpTestTarget;
import au.com.dius.pact.provider.junit5.PactVerificationContext;
import au.com.dius.pact.provider.junitsupport.State;
import au.com.dius.pact.provider.spring.junit5.PactVerificationSpringProvider;
import dev.todoapi.auth.AccessTokens;
import dev.todoapi.auth.Accounts;
import dev.todoapi.db.jooq.tables.records.UsersRecord;
import dev.todoapi.list.ListFixtures;
import dev.todoapi.list.Lists;
import dev.todoapi.task.TaskFixtures;
import dev.todoapi.task.Tasks;
import dev.todoapi.testsupport.ApiTestBase;
import dev.todoapi.testsupport.ServerTestBase;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hc.core5.http.HttpRequest;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Verifies consumers' pacts against the whole application on a real port ({@link ServerTestBase}: the test
 * database of {@link ApiTestBase}; pact-jvm's MockMvc target does not work with Spring 7). Each interaction
 * starts from empty tables; its provider state creates the data through the real services and signs its user
 * in, and the placeholder bearer token the consumer recorded is replaced by that user's real one.
 *
 * <p>Provider states (their parameters come from the consumer):
 * <ul>
 *   <li>{@code no account exists} {email}</li>
 *   <li>{@code a user exists} {email, password, name?}: returns {@code userId}</li>
 *   <li>{@code a user with tasks} {email, password, name?, tasks: [{title, description?, priority?, due_date?,
 *       tags?, completed?}]}: returns {@code userId}</li>
 *   <li>{@code a user with a task} {email, password, name?, title, description?, priority?, due_date?, tags?,
 *       completed?}: returns {@code userId} and {@code taskId}</li>
 *   <li>{@code a user with a list} {email, password, name?, list_name, list_color?, tasks?: [as above] (in the
 *       list), inbox_tasks?: [as above] (in the Inbox)}: the list comes after the user's Inbox; returns
 *       {@code userId}, {@code listId} and {@code inboxId}</li>
 * </ul>
 */
abstract class PactProviderTestBase extends ServerTestBase {

    static {
        // No usage telemetry from pact-jvm.
        System.setProperty("pact_do_not_track", "true");
    }

    @Autowired
    private DSLContext db;

    @Autowired
    private Accounts accounts;

    @Autowired
    private AccessTokens accessTokens;

    @Autowired
    private Tasks tasks;

    @Autowired
    private Lists lists;

    @Autowired
    private dev.todoapi.sync.Sync sync;

    /** The access token of the user of the current interaction's provider state, if it has one. */
    private @Nullable String accessToken;

    @BeforeEach
    void before(@Nullable PactVerificationContext context) {
        if (context != null) {
            context.setTarget(new HttpTestTarget("localhost", port));
        }
        // users cascades to every tenant table.
        db.truncate(USERS, dev.todoapi.db.jooq.Tables.USER_EMAILS).cascade().execute();
        accessToken = null;
    }

    @TestTemplate
    @ExtendWith(PactVerificationSpringProvider.class)
    void verify(@Nullable PactVerificationContext context, @Nullable HttpRequest request) {
        if (context == null) {
            return; // no pacts to verify (allowed for a Pact Broker only)
        }
        if (request != null && accessToken != null && request.containsHeader("Authorization")) {
            request.setHeader("Authorization", "Bearer " + accessToken);
        }
        context.verifyInteraction();
    }

    @State("no account exists")
    public void noAccount(Map<String, Object> params) {
        db.deleteFrom(USERS).where(USERS.EMAIL.equalIgnoreCase(string(params, "email"))).execute();
        db.deleteFrom(dev.todoapi.db.jooq.Tables.USER_EMAILS)
                .where(dev.todoapi.db.jooq.Tables.USER_EMAILS.EMAIL_LOWER.eq(string(params, "email").toLowerCase(java.util.Locale.ROOT))).execute();
    }

    @State("a user exists")
    public Map<String, Object> userExists(Map<String, Object> params) {
        return signIn(params);
    }

    @State("a user with tasks")
    public Map<String, Object> userWithTasks(Map<String, Object> params) {
        Map<String, Object> state = signIn(params);
        for (Map<String, Object> task : taskList(params, "tasks")) {
            createTask((String) state.get("userId"), task, null);
        }
        return state;
    }

    @State("a user with a task")
    public Map<String, Object> userWithTask(Map<String, Object> params) {
        Map<String, Object> state = signIn(params);
        state.put("taskId", createTask((String) state.get("userId"), params, null).toString());
        return state;
    }

    /**
     * The state's tasks, a full sync to its end (its token is {@code syncToken}), then the last of the tasks deleted
     * ({@code deletedTaskId}).
     */
    @State("a user who deleted a task after syncing")
    public Map<String, Object> userWhoDeletedATask(Map<String, Object> params) {
        Map<String, Object> state = signIn(params);
        String userId = (String) state.get("userId");
        UUID last = null;
        for (Map<String, Object> task : taskList(params, "tasks")) {
            last = createTask(userId, task, null);
        }
        String token = null;
        dev.todoapi.api.model.SyncPage page;
        do {
            page = sync.page(userId, token, 1000);
            token = page.getSyncToken();
        } while (page.getHasMore());
        tasks.delete(userId, java.util.Objects.requireNonNull(last, "the state needs tasks"), null);
        state.put("syncToken", token);
        state.put("deletedTaskId", last.toString());
        return state;
    }

    @State("a user with a list")
    public Map<String, Object> userWithList(Map<String, Object> params) {
        Map<String, Object> state = signIn(params);
        String userId = (String) state.get("userId");
        UUID listId = new ListFixtures(lists)
                .create(userId, string(params, "list_name"), optionalString(params, "list_color"));
        List<UUID> created = new java.util.ArrayList<>();
        for (Map<String, Object> task : taskList(params, "tasks")) {
            UUID taskId = createTask(userId, task, listId);
            created.add(taskId);
            for (Map<String, Object> subtask : taskList(task, "subtasks")) {
                new TaskFixtures(tasks).createSubtask(userId, taskId, string(subtask, "title"));
            }
        }
        if (!created.isEmpty()) { // the ids of the first and the last task of `tasks`
            state.put("firstTaskId", created.getFirst().toString());
            state.put("lastTaskId", created.getLast().toString());
        }
        for (Map<String, Object> task : taskList(params, "inbox_tasks")) {
            createTask(userId, task, null);
        }
        state.put("listId", listId.toString());
        state.put("inboxId", new ListFixtures(lists).inbox(userId).toString());
        return state;
    }

    /** Registers the state's user and keeps a token of it for the request; returns the values for the pact. */
    private Map<String, Object> signIn(Map<String, Object> params) {
        String email = string(params, "email");
        UsersRecord user = accounts.register(email, string(params, "password"), optionalString(params, "name"));
        accessToken = accessTokens.issue(user.getId(), user.getEmail());
        Map<String, Object> state = new HashMap<>();
        state.put("userId", user.getId());
        return state;
    }

    /** The state parameter {@code name}: a list of task objects, empty if absent. */
    private static List<Map<String, Object>> taskList(Map<String, Object> params, String name) {
        Object value = params.getOrDefault(name, List.of());
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("the state parameter " + name + " must be a list, not " + value);
        }
        return list.stream().map(task -> {
            if (!(task instanceof Map<?, ?> fields)) {
                throw new IllegalArgumentException("each of " + name + " must be an object, not " + task);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> taskFields = (Map<String, Object>) fields;
            return taskFields;
        }).toList();
    }

    /** Creates the task in the list {@code listId}, or in the Inbox if null. */
    private UUID createTask(String userId, Map<String, Object> fields, @Nullable UUID listId) {
        String dueDate = optionalString(fields, "due_date");
        Object tags = fields.getOrDefault("tags", List.of());
        return new TaskFixtures(tasks).create(userId,
                string(fields, "title"),
                optionalString(fields, "description"),
                optionalString(fields, "priority"),
                dueDate == null ? null : OffsetDateTime.parse(dueDate),
                ((List<?>) tags).stream().map(String::valueOf).toList(),
                Boolean.TRUE.equals(fields.get("completed")),
                listId);
    }

    private static String string(Map<String, Object> params, String name) {
        String value = optionalString(params, name);
        if (value == null) {
            throw new IllegalArgumentException("the provider state needs the parameter " + name + "; it got " + params.keySet());
        }
        return value;
    }

    private static @Nullable String optionalString(Map<String, Object> params, String name) {
        Object value = params.get(name);
        return value == null ? null : value.toString();
    }

    /** A system property or else, with the first that is set, one of the environment variables; null if none is. */
    static @Nullable String setting(String property, String... environmentVariables) {
        String value = System.getProperty(property);
        for (int i = 0; (value == null || value.isBlank()) && i < environmentVariables.length; i++) {
            value = System.getenv(environmentVariables[i]);
        }
        return value == null || value.isBlank() ? null : value.strip();
    }
}
