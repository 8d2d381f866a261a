package dev.todoapi.sync;

import static dev.todoapi.db.jooq.Tables.BATCH_COMMANDS;

import dev.todoapi.api.ListsApi;
import dev.todoapi.api.TagsApi;
import dev.todoapi.api.TasksApi;
import dev.todoapi.api.model.BatchCommand;
import dev.todoapi.api.model.BatchRequest;
import dev.todoapi.api.model.BatchResponse;
import dev.todoapi.api.model.BatchResult;
import dev.todoapi.api.model.ListMove;
import dev.todoapi.api.model.Problem;
import dev.todoapi.api.model.Tag;
import dev.todoapi.api.model.TagCreate;
import dev.todoapi.api.model.TagPatch;
import dev.todoapi.api.model.Task;
import dev.todoapi.api.model.TaskCreate;
import dev.todoapi.api.model.TaskMove;
import dev.todoapi.api.model.TaskPatch;
import dev.todoapi.api.model.TodoList;
import dev.todoapi.api.model.TodoListCreate;
import dev.todoapi.api.model.TodoListPatch;
import dev.todoapi.web.ApiException;
import dev.todoapi.web.ApiExceptionHandler;
import dev.todoapi.web.ETags;
import dev.todoapi.web.MergePatch;
import dev.todoapi.web.Sha256;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Offline batches: commands applied in order, each in its own transaction through the REST operations themselves
 * (the same validation, rules and problems), each command id applied once (its result stored in its transaction).
 */
@Service
class Batch {

    /** The fields of a command's arguments that hold ids, and so may name an earlier command's temp_id. */
    private static final List<String> ID_FIELDS = List.of("list_id", "parent_id", "after_id", "before_id", "move_tasks_to");

    private final TransactionTemplate transactions;
    private final ChangeLog changes;
    private final DSLContext db;
    private final JsonMapper json;
    private final TasksApi tasks;
    private final ListsApi lists;
    private final TagsApi tags;
    private final ApiExceptionHandler problems;

    Batch(TransactionTemplate transactions, ChangeLog changes, DSLContext db, JsonMapper json, TasksApi tasks,
            ListsApi lists, TagsApi tags, ApiExceptionHandler problems) {
        this.transactions = transactions;
        this.changes = changes;
        this.db = db;
        this.json = json;
        this.tasks = tasks;
        this.lists = lists;
        this.tags = tags;
        this.problems = problems;
    }

    BatchResponse run(String userId, BatchRequest request, HttpServletRequest http) {
        if (request.getSyncToken() != null) {
            Sync.decode(request.getSyncToken()); // a token the feed would refuse is refused here first
        }
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < request.getCommands().size(); i++) {
            if (!ids.add(request.getCommands().get(i).getId())) {
                throw ApiException.validation("commands[" + i + "].id", "DUPLICATE", "is the id of an earlier command of the batch");
            }
        }
        Map<String, UUID> tempIds = new LinkedHashMap<>();
        List<BatchResult> results = new java.util.ArrayList<>();
        for (BatchCommand command : request.getCommands()) {
            BatchResult result = apply(userId, command, tempIds, http);
            if (command.getTempId() != null && result.getStatus() < 300) {
                UUID created = idOf(result);
                if (created != null) {
                    tempIds.put(command.getTempId(), created);
                }
            }
            results.add(result);
        }
        BatchResponse response = new BatchResponse(results, tempIds);
        response.setSyncToken(request.getSyncToken());
        return response;
    }

    private BatchResult apply(String userId, BatchCommand command, Map<String, UUID> tempIds, HttpServletRequest http) {
        byte[] hash = Sha256.digest().digest(json.writeValueAsBytes(command));
        try {
            return transactions.execute(status -> {
                changes.begin(userId); // first, as in every write transaction of the user
                boolean claimed = db.insertInto(BATCH_COMMANDS, BATCH_COMMANDS.USER_ID, BATCH_COMMANDS.COMMAND_ID, BATCH_COMMANDS.REQUEST_HASH)
                        .values(userId, command.getId(), hash)
                        .onConflictDoNothing()
                        .execute() == 1;
                if (!claimed) {
                    var stored = db.selectFrom(BATCH_COMMANDS)
                            .where(BATCH_COMMANDS.USER_ID.eq(userId), BATCH_COMMANDS.COMMAND_ID.eq(command.getId()))
                            .fetchSingle();
                    if (!Arrays.equals(stored.getRequestHash(), hash)) {
                        throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "COMMAND_ID_REUSED",
                                "Command id " + command.getId() + " was used for another command; give each command its own id.");
                    }
                    BatchResult replayed = json.readValue(stored.getResult(), BatchResult.class);
                    replayed.setReplayed(true);
                    return replayed;
                }
                BatchResult result = execute(command, resolved(command, tempIds));
                db.update(BATCH_COMMANDS).set(BATCH_COMMANDS.RESULT, json.writeValueAsString(result))
                        .where(BATCH_COMMANDS.USER_ID.eq(userId), BATCH_COMMANDS.COMMAND_ID.eq(command.getId()))
                        .execute();
                return result;
            });
        } catch (Exception e) {
            ResponseEntity<?> answer = problems.responseFor(e, http);
            BatchResult failed = new BatchResult(command.getId(), answer.getStatusCode().value());
            failed.setProblem((Problem) answer.getBody());
            if (answer.getStatusCode().value() == HttpStatus.PRECONDITION_FAILED.value()) {
                attachCurrent(failed, command, tempIds); // the resource as it is now, to merge with
            }
            return failed;
        }
    }

    /** The command's id-holding arguments and resource with temp ids replaced by the ids they stand for. */
    private Resolved resolved(BatchCommand command, Map<String, UUID> tempIds) {
        ObjectNode args = command.getArgs() == null ? json.createObjectNode() : json.valueToTree(command.getArgs());
        for (String field : ID_FIELDS) {
            JsonNode value = args.get(field);
            if (value != null && value.isString() && tempIds.containsKey(value.asString())) {
                args.put(field, tempIds.get(value.asString()).toString());
            }
        }
        UUID resource = null;
        if (command.getResourceId() != null) {
            resource = tempIds.get(command.getResourceId());
            if (resource == null) {
                try {
                    resource = UUID.fromString(command.getResourceId());
                } catch (IllegalArgumentException e) {
                    throw ApiException.validation("resource_id", "INVALID_VALUE", "is neither an id nor a temp_id of an earlier command");
                }
            }
        }
        return new Resolved(resource, args);
    }

    private record Resolved(@Nullable UUID resource, ObjectNode args) {}

    private BatchResult execute(BatchCommand command, Resolved r) {
        String ifMatch = command.getIfVersion() == null ? null : ETags.of(command.getIfVersion());
        String type = command.getType().getValue();
        if (!type.endsWith(".create") && r.resource() == null) {
            throw ApiException.validation("resource_id", "REQUIRED", "names the resource a " + type + " changes");
        }
        if (type.startsWith("tag.") && command.getIfVersion() != null) {
            // Tags have no versions (nor ETags); an if_version there would be a check that checks nothing.
            throw ApiException.validation("if_version", "INVALID_VALUE", "is for tasks and lists only: tags have no versions");
        }
        UUID id = r.resource();
        BatchResult result = new BatchResult(command.getId(), 200);
        switch (type) {
            case "task.create" -> {
                result.setStatus(201);
                result.setTask(tasks.createTask(args(r, TaskCreate.class), null).getBody());
            }
            case "task.update" -> {
                MergePatch.bind(fieldsOf(r.args()));
                result.setTask(tasks.updateTask(id, args(r, TaskPatch.class), ifMatch).getBody());
            }
            case "task.complete" -> {
                boolean completed = !r.args().has("completed") || r.args().get("completed").asBoolean(true);
                MergePatch.bind(Set.of("completed"));
                result.setTask(tasks.updateTask(id, new TaskPatch().completed(completed), ifMatch).getBody());
            }
            case "task.move" -> result.setTask(tasks.moveTask(id, args(r, TaskMove.class), ifMatch).getBody());
            case "task.delete" -> {
                tasks.deleteTask(id, ifMatch);
                result.setStatus(204);
            }
            case "list.create" -> {
                result.setStatus(201);
                result.setList(lists.createList(args(r, TodoListCreate.class)).getBody());
            }
            case "list.update" -> {
                MergePatch.bind(fieldsOf(r.args()));
                result.setList(lists.updateList(id, args(r, TodoListPatch.class), ifMatch).getBody());
            }
            case "list.move" -> result.setList(lists.moveList(id, args(r, ListMove.class), ifMatch).getBody());
            case "list.delete" -> {
                JsonNode target = r.args().get("move_tasks_to");
                lists.deleteList(id, ifMatch, target == null || target.isNull() ? null : uuid(target, "args.move_tasks_to"));
                result.setStatus(204);
            }
            case "tag.create" -> {
                result.setStatus(201);
                result.setTag(tags.createTag(args(r, TagCreate.class)).getBody());
            }
            case "tag.update" -> {
                MergePatch.bind(fieldsOf(r.args()));
                result.setTag(tags.updateTag(id, args(r, TagPatch.class)).getBody());
            }
            case "tag.delete" -> {
                tags.deleteTag(id);
                result.setStatus(204);
            }
            default -> throw ApiException.validation("type", "INVALID_VALUE", "is no command type");
        }
        return result;
    }

    /** The arguments as the operation's body: unknown fields and wrong types are 422s naming the field. */
    private <T> T args(Resolved r, Class<T> type) {
        try {
            return json.treeToValue(r.args(), type);
        } catch (JacksonException e) {
            String field = e.getPath() == null || e.getPath().isEmpty() ? "args"
                    : "args." + e.getPath().stream().map(ref -> ref.getPropertyName() != null ? ref.getPropertyName()
                            : String.valueOf(ref.getIndex())).reduce((a, b) -> a + "." + b).orElse("");
            throw ApiException.validation(field, "INVALID_VALUE", "is not what a " + type.getSimpleName() + " takes here");
        }
    }

    private static UUID uuid(JsonNode value, String field) {
        try {
            return UUID.fromString(value.asString());
        } catch (IllegalArgumentException e) {
            throw ApiException.validation(field, "INVALID_VALUE", "is neither an id nor a temp_id of an earlier command");
        }
    }

    private static Set<String> fieldsOf(ObjectNode args) {
        Set<String> fields = new LinkedHashSet<>();
        args.propertyNames().forEach(fields::add);
        return fields;
    }

    private static @Nullable UUID idOf(BatchResult result) {
        if (result.getTask() != null) {
            return result.getTask().getId();
        }
        if (result.getList() != null) {
            return result.getList().getId();
        }
        return result.getTag() != null ? result.getTag().getId() : null;
    }

    /** For a 412: the resource the command names, as it is now (nothing if it is gone). */
    private void attachCurrent(BatchResult failed, BatchCommand command, Map<String, UUID> tempIds) {
        try {
            UUID id = resolved(command, tempIds).resource();
            if (id == null) {
                return;
            }
            String kind = command.getType().getValue();
            if (kind.startsWith("task.")) {
                Task task = tasks.getTask(id).getBody();
                failed.setTask(task);
            } else if (kind.startsWith("list.")) {
                TodoList list = lists.getList(id).getBody();
                failed.setList(list);
            } else {
                Tag tag = tags.getTag(id).getBody();
                failed.setTag(tag);
            }
        } catch (RuntimeException e) {
            // gone meanwhile: the problem alone says it
        }
    }
}
