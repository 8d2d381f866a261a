package dev.todoapi.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.todoapi.client.ApiResponse;
import dev.todoapi.client.api.TasksApi.APIListTasksRequest;
import dev.todoapi.client.model.Priority;
import dev.todoapi.client.model.TaskSortOrder;
import dev.todoapi.client.model.TaskStatusFilter;
import dev.todoapi.client.model.Tag;
import dev.todoapi.client.model.TagRef;
import dev.todoapi.client.model.Task;
import dev.todoapi.client.model.TaskCreate;
import dev.todoapi.client.model.TaskPage;
import dev.todoapi.client.model.TaskPatch;
import dev.todoapi.client.model.UpdateUserRequest;
import dev.todoapi.client.model.User;
import dev.todoapi.testsupport.ApiTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The main flows through the Java SDK ({@code todo-api-client}) against the real server on a random port:
 * what a third party's program sees, over real HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {ApiTestBase.FAST_BCRYPT, ApiTestBase.NO_RATE_LIMIT})
class SdkFlowTest {

    private static final String PASSWORD = "correct horse battery staple";

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ApiTestBase.registerTestProperties(registry);
    }

    private TodoClient.Builder clientBuilder() {
        return TodoClient.builder()
                .baseUrl("http://localhost:" + port)
                .connectTimeout(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(30));
    }

    private static String newEmail() {
        return "sdk-" + UUID.randomUUID() + "@example.com";
    }

    private static TodoApiException apiError(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(TodoApiException.class, call);
    }

    @Test
    void registerLoginMeAndLogout() {
        String email = newEmail();
        TodoClient client = clientBuilder().build();

        User registered = client.register(email, PASSWORD, "Ada");
        assertThat(registered.getEmail()).isEqualTo(email);
        assertThat(client.auth().getMe()).isEqualTo(registered);
        assertThat(client.auth().updateMe(new UpdateUserRequest().name("Ada King")).getName()).isEqualTo("Ada King");

        client.logout();
        assertThat(client.isSignedIn()).isFalse();
        TodoApiException signedOut = apiError(() -> client.auth().getMe());
        assertThat(signedOut.status()).isEqualTo(401);
        assertThat(signedOut.code()).isEqualTo("MISSING_TOKEN");
        assertThat(signedOut.requestId()).isNotBlank();

        User loggedIn = client.login(email.toUpperCase(java.util.Locale.ROOT), PASSWORD);
        assertThat(loggedIn.getId()).isEqualTo(registered.getId());
        assertThat(client.auth().getMe().getName()).isEqualTo("Ada King");
    }

    @Test
    void authFailuresAreTodoApiExceptionsWithTheirCodes() {
        String email = newEmail();
        clientBuilder().build().register(email, PASSWORD, null);
        TodoClient client = clientBuilder().build();

        TodoApiException wrongPassword = apiError(() -> client.login(email, "not the password"));
        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(wrongPassword.code()).isEqualTo("INVALID_CREDENTIALS");

        TodoApiException taken = apiError(() -> client.register(email, PASSWORD, "Again"));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.code()).isEqualTo("EMAIL_ALREADY_EXISTS");

        TodoApiException shortPassword = apiError(() -> client.register(newEmail(), "short", null));
        assertThat(shortPassword.status()).isEqualTo(422);
        assertThat(shortPassword.errors()).isNotEmpty();
        assertThat(client.isSignedIn()).isFalse();
    }

    @Test
    void refreshesRotateTheRefreshTokenAndConcurrentCallsNeverReuseOne() throws Exception {
        // A margin longer than the access token's life: every call refreshes first, through the real
        // /auth/refresh with {"refresh_token": ...}. Presenting a rotated token twice would revoke the
        // session (REFRESH_TOKEN_REUSED), so this only passes if refreshes are serialized.
        TodoClient client = clientBuilder().refreshBeforeExpiry(Duration.ofDays(1)).build();
        String email = newEmail();
        client.register(email, PASSWORD, null);
        for (int i = 0; i < 3; i++) {
            assertThat(client.auth().getMe().getEmail()).isEqualTo(email);
        }

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<User>> calls = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                calls.add(pool.submit(() -> client.auth().getMe()));
            }
            for (Future<User> call : calls) {
                assertThat(call.get(30, TimeUnit.SECONDS).getEmail()).isEqualTo(email);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(client.isSignedIn()).isTrue();
    }

    @Test
    void taskLifecycle() {
        TodoClient client = clientBuilder().build();
        client.register(newEmail(), PASSWORD, "Tasker");

        Task report = client.tasks().createTask(new TaskCreate()
                .title("Write the quarterly report")
                .description("Numbers from finance first")
                .priority(Priority.HIGH)
                .tags(List.of("work", "writing")), null);
        assertThat(report.getId()).isNotNull();
        assertThat(report.getCompleted()).isFalse();
        assertThat(report.getPriority()).isEqualTo(Priority.HIGH);
        assertThat(report.getTags()).extracting(TagRef::getName).containsExactlyInAnyOrder("work", "writing");

        Task milk = client.tasks().createTask(new TaskCreate().title("Buy milk").priority(Priority.LOW), null);

        // List with filters: pending + high priority finds the report only.
        TaskPage highPending = client.tasks().listTasks(APIListTasksRequest.newBuilder().status(TaskStatusFilter.PENDING).priority(Priority.HIGH).build());
        assertThat(highPending.getItems()).extracting(Task::getId).containsExactly(report.getId());
        TaskPage all = client.tasks().listTasks(APIListTasksRequest.newBuilder().sort(TaskSortOrder.TITLE).limit(10).build());
        assertThat(all.getItems()).extracting(Task::getTitle).containsExactly("Buy milk", "Write the quarterly report");
        assertThat(client.tasks().listTasks(APIListTasksRequest.newBuilder().tag("work").build()).getItems())
                .extracting(Task::getId).containsExactly(report.getId());

        // Get.
        assertThat(client.tasks().getTask(report.getId())).isEqualTo(report);

        // Merge patch (the generated client sends it as application/merge-patch+json): fields left out stay.
        Task patched = client.tasks().updateTask(report.getId(),
                new TaskPatch().title("Write the Q4 report").priority(Priority.MEDIUM), null);
        assertThat(patched.getTitle()).isEqualTo("Write the Q4 report");
        assertThat(patched.getPriority()).isEqualTo(Priority.MEDIUM);
        assertThat(patched.getDescription()).isEqualTo("Numbers from finance first");
        assertThat(patched.getTags()).hasSize(2);

        // Optimistic concurrency through the generated *WithHttpInfo variant: a stale ETag is refused.
        ApiResponse<Task> withETag = client.tasks().getTaskWithHttpInfo(report.getId());
        String etag = withETag.getHeaders().get("etag").get(0);
        client.tasks().updateTask(report.getId(), new TaskPatch().description("Q4 numbers"), etag);
        TodoApiException stale = apiError(() -> client.tasks().updateTask(report.getId(), new TaskPatch().title("x"), etag));
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.code()).isEqualTo("PRECONDITION_FAILED");

        // Toggle completion, both ways.
        Task done = client.tasks().toggleTaskCompletion(report.getId(), null);
        assertThat(done.getCompleted()).isTrue();
        assertThat(done.getCompletedAt()).isNotNull();
        assertThat(client.tasks().listTasks(APIListTasksRequest.newBuilder().status(TaskStatusFilter.COMPLETED).build()).getItems())
                .extracting(Task::getId).containsExactly(report.getId());
        assertThat(client.tasks().toggleTaskCompletion(report.getId(), null).getCompleted()).isFalse();

        // Tags came into being with the task.
        assertThat(client.tags().listTags().getItems()).extracting(Tag::getName).contains("work", "writing");

        // Delete; then the task is gone.
        client.tasks().deleteTask(milk.getId(), null);
        TodoApiException notFound = apiError(() -> client.tasks().getTask(milk.getId()));
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.code()).isEqualTo("TASK_NOT_FOUND");
        assertThat(notFound.detail()).isNotBlank();
        assertThat(notFound.requestId()).isNotBlank();
    }

    /** Webhook endpoints through the SDK: one made (its secret shown once), listed, and a loopback URL refused. */
    @Test
    void webhookEndpointsThroughTheSdk() {
        TodoClient client = clientBuilder().build();
        client.register(newEmail(), PASSWORD, "Integrator");
        assertThat(client.webhooks().listWebhooks().getItems()).isEmpty();
        TodoApiException loopback = apiError(() -> client.webhooks().createWebhook(
                new dev.todoapi.client.model.WebhookEndpointCreate().url("http://127.0.0.1:8080/hook")));
        assertThat(loopback.status()).isEqualTo(422);
        assertThat(loopback.code()).isEqualTo("WEBHOOK_URL_FORBIDDEN");
        var created = client.webhooks().createWebhook(new dev.todoapi.client.model.WebhookEndpointCreate()
                .url("http://127.0.0.2:9/hook").enabled(false));
        assertThat(created.getSecret()).startsWith("whsec_");
        assertThat(client.webhooks().listWebhooks().getItems()).extracting(e -> e.getId()).containsExactly(created.getId());
        client.webhooks().deleteWebhook(created.getId());
        assertThat(client.webhooks().listWebhooks().getItems()).isEmpty();
    }

    /** A list with subtasks, a drag-and-drop move and the list read in display order, through the SDK. */
    @Test
    void listsSubtasksMovesAndTheDisplayOrder() {
        TodoClient client = clientBuilder().build();
        client.register(newEmail(), PASSWORD, "Planner");
        dev.todoapi.client.model.TodoList trip = client.lists().createList(new dev.todoapi.client.model.TodoListCreate().name("Trip"));
        Task plan = client.tasks().createTask(new TaskCreate().title("Plan").listId(trip.getId()), null);
        Task pack = client.tasks().createTask(new TaskCreate().title("Pack").listId(trip.getId())
                .position(TaskCreate.PositionEnum.BOTTOM), null);
        Task train = client.tasks().createTask(new TaskCreate().title("Book the train").parentId(plan.getId()), null);
        assertThat(train.getListId()).isEqualTo(trip.getId());

        Task moved = client.tasks().moveTask(pack.getId(), new dev.todoapi.client.model.TaskMove().beforeId(plan.getId()), null);
        assertThat(moved.getId()).isEqualTo(pack.getId());

        dev.todoapi.client.model.DisplayOrderPage page = client.tasks().listTasksInDisplayOrder(
                dev.todoapi.client.api.TasksApi.APIListTasksInDisplayOrderRequest.newBuilder()
                        .listId(trip.getId()).status(TaskStatusFilter.PENDING).limit(2).build());
        assertThat(page.getItems()).extracting(e -> e.getTask().getTitle() + "@" + e.getDepth()).containsExactly("Pack@0", "Plan@0");
        dev.todoapi.client.model.DisplayOrderPage rest = client.tasks().listTasksInDisplayOrder(
                dev.todoapi.client.api.TasksApi.APIListTasksInDisplayOrderRequest.newBuilder()
                        .listId(trip.getId()).status(TaskStatusFilter.PENDING).cursor(page.getNextCursor()).build());
        assertThat(rest.getItems()).extracting(e -> e.getTask().getTitle() + "@" + e.getDepth()).containsExactly("Book the train@1");
        assertThat(rest.getNextCursor()).isNull();

        TodoApiException cycle = apiError(() -> client.tasks().moveTask(plan.getId(),
                new dev.todoapi.client.model.TaskMove().parentId(train.getId()), null));
        assertThat(cycle.status()).isEqualTo(422);
        assertThat(cycle.code()).isEqualTo("CYCLE");
    }

    @Test
    void anotherUsersTaskIsNotFound() {
        TodoClient owner = clientBuilder().build();
        owner.register(newEmail(), PASSWORD, null);
        Task secret = owner.tasks().createTask(new TaskCreate().title("Mine"), null);

        TodoClient stranger = clientBuilder().build();
        stranger.register(newEmail(), PASSWORD, null);

        TodoApiException e = apiError(() -> stranger.tasks().getTask(secret.getId()));
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.code()).isEqualTo("TASK_NOT_FOUND");
        assertThat(apiError(() -> stranger.tasks().deleteTask(secret.getId(), null)).code()).isEqualTo("TASK_NOT_FOUND");
        assertThat(owner.tasks().getTask(secret.getId()).getTitle()).isEqualTo("Mine");
    }

    @Test
    void invalidInputIs422WithFieldErrors() {
        TodoClient client = clientBuilder().build();
        client.register(newEmail(), PASSWORD, null);

        TodoApiException blank = apiError(() -> client.tasks().createTask(new TaskCreate().title(""), null));
        assertThat(blank.status()).isEqualTo(422);
        assertThat(blank.code()).isEqualTo("VALIDATION_FAILED");
        assertThat(blank.errors()).isNotEmpty();
        assertThat(blank.errors()).extracting(TodoApiException.FieldError::field).contains("title");
        assertThat(blank.errors()).allSatisfy(error -> {
            assertThat(error.code()).matches("[A-Z][A-Z0-9_]*");
            assertThat(error.message()).isNotBlank();
        });

        TodoApiException tooMany = apiError(() -> client.tasks().listTasks(APIListTasksRequest.newBuilder().limit(5000).build()));
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(tooMany.code()).isEqualTo("VALIDATION_FAILED");
        assertThat(tooMany.errors()).extracting(TodoApiException.FieldError::field).contains("limit");
    }
}
