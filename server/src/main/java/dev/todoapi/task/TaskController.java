package dev.todoapi.task;

import dev.todoapi.web.ETags;

import dev.todoapi.api.TasksApi;
import dev.todoapi.api.model.DisplayOrderEntry;
import dev.todoapi.api.model.DisplayOrderPage;
import dev.todoapi.api.model.Priority;
import dev.todoapi.api.model.TaskSortOrder;
import dev.todoapi.api.model.TaskStatusFilter;
import dev.todoapi.api.model.Task;
import dev.todoapi.api.model.TaskCreate;
import dev.todoapi.api.model.TaskMove;
import dev.todoapi.api.model.TaskPage;
import dev.todoapi.api.model.TaskPatch;
import dev.todoapi.api.model.TaskReplace;
import dev.todoapi.auth.CurrentUser;
import dev.todoapi.web.ApiException;
import dev.todoapi.web.MergePatch;
import dev.todoapi.web.Sha256;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

@RestController
class TaskController implements TasksApi {

    private final Tasks tasks;
    private final CurrentUser currentUser;
    private final JsonMapper json;

    TaskController(Tasks tasks, CurrentUser currentUser, JsonMapper json) {
        this.tasks = tasks;
        this.currentUser = currentUser;
        this.json = json;
    }

    @Override
    public ResponseEntity<TaskPage> listTasks(TaskStatusFilter status, @Nullable UUID listId, @Nullable UUID parentId,
            @Nullable Priority priority, @Nullable String tag,
            @Nullable OffsetDateTime dueBefore, @Nullable OffsetDateTime dueAfter, @Nullable String q,
            @Nullable OffsetDateTime updatedSince, TaskSortOrder sort, Integer limit, @Nullable String cursor) {
        // The contract's enums (unknown values are refused as 422 INVALID_VALUE before this runs).
        TaskQuery.Status parsedStatus = java.util.Objects.requireNonNull(TaskQuery.Status.parse(status.getValue()));
        TaskSort parsedSort = java.util.Objects.requireNonNull(TaskSort.parse(sort.getValue()));
        if (parsedSort == TaskSort.POSITION_ASC && listId == null) {
            throw ApiException.validation("sort", "INVALID_VALUE", "position is the order within a list: give list_id too");
        }
        TaskQuery query = new TaskQuery(parsedStatus, listId, parentId, priority == null ? null : priority.getValue(), tag, dueBefore,
                dueAfter, q, updatedSince, parsedSort, limit,
                cursor == null || cursor.isEmpty() ? null : TaskCursor.decode(cursor, parsedSort));
        Tasks.Page page = tasks.list(currentUser.id(), query);
        TaskPage body = new TaskPage(TaskRepresentation.of(page.tasks()));
        body.setNextCursor(page.nextCursor());
        return ResponseEntity.ok(body);
    }

    @Override
    public ResponseEntity<DisplayOrderPage> listTasksInDisplayOrder(UUID listId, TaskStatusFilter status, Integer limit,
            @Nullable String cursor) {
        TaskQuery.Status parsedStatus = java.util.Objects.requireNonNull(TaskQuery.Status.parse(status.getValue()));
        String after = cursor == null || cursor.isEmpty() ? null : TaskCursor.decodeDisplay(cursor);
        Tasks.DisplayPage page = tasks.displayOrder(currentUser.id(), listId, parsedStatus, after, limit);
        List<DisplayOrderEntry> entries = new java.util.ArrayList<>(page.entries().size());
        for (Tasks.Placed placed : page.entries()) {
            entries.add(new DisplayOrderEntry(placed.depth(), TaskRepresentation.of(placed.task())));
        }
        DisplayOrderPage body = new DisplayOrderPage(entries);
        body.setNextCursor(page.nextCursor());
        return ResponseEntity.ok(body);
    }

    /** The version of every newly created task (the column's default), so of every replayed create's body. */
    private static final int FIRST_VERSION = 1;

    @Override
    public ResponseEntity<Task> createTask(TaskCreate body, @Nullable String idempotencyKey) {
        Tasks.Idempotency key = idempotencyKey == null ? null : new Tasks.Idempotency(idempotencyKey, hash(body));
        Tasks.Created created = tasks.create(currentUser.id(), draft(body), key,
                view -> json.writeValueAsString(TaskRepresentation.of(view)));
        return switch (created) {
            case Tasks.Created.New(TaskView view) -> ResponseEntity.created(location(view.task().getId()))
                    .eTag(view.etag())
                    .body(TaskRepresentation.of(view));
            case Tasks.Created.Replayed replayed -> ResponseEntity.status(replayed.status())
                    .location(location(replayed.taskId()))
                    .header("Idempotent-Replayed", "true")
                    .eTag(ETags.of(FIRST_VERSION)) // the replayed body is the task as first created
                    .body(json.readValue(replayed.body(), Task.class));
        };
    }

    @Override
    public ResponseEntity<Task> moveTask(UUID taskId, TaskMove body, @Nullable String ifMatch) {
        String userId = currentUser.id();
        Tasks.Move move = new Tasks.Move(body.getListId(), body.getParentId(), body.getAfterId(), body.getBeforeId());
        return withETag(dev.todoapi.database.ConflictRetry.onConflict(() -> tasks.move(userId, taskId, move, ifMatch)));
    }

    @Override
    public ResponseEntity<Task> getTask(UUID taskId) {
        return withETag(tasks.get(currentUser.id(), taskId));
    }

    @Override
    public ResponseEntity<Task> replaceTask(UUID taskId, TaskReplace body, @Nullable String ifMatch) {
        return withETag(tasks.replace(currentUser.id(), taskId, draft(body), ifMatch));
    }

    @Override
    public ResponseEntity<Task> updateTask(UUID taskId, TaskPatch body, @Nullable String ifMatch) {
        return withETag(tasks.patch(currentUser.id(), taskId, changes(body, MergePatch.current()), ifMatch));
    }

    @Override
    public ResponseEntity<Task> toggleTaskCompletion(UUID taskId, @Nullable String ifMatch) {
        return withETag(tasks.toggle(currentUser.id(), taskId, ifMatch));
    }

    @Override
    public ResponseEntity<Void> deleteTask(UUID taskId, @Nullable String ifMatch) {
        tasks.delete(currentUser.id(), taskId, ifMatch);
        return ResponseEntity.noContent().build();
    }

    static ResponseEntity<Task> withETag(TaskView view) {
        return ResponseEntity.ok().eTag(view.etag()).body(TaskRepresentation.of(view));
    }

    private static URI location(UUID taskId) {
        return URI.create("/api/v1/tasks/" + taskId);
    }

    static Tasks.Draft draft(TaskCreate body) {
        return new Tasks.Draft(body.getTitle(), body.getDescription(), value(body.getPriority()), body.getDueDate(),
                body.getRecurrenceRule(), body.getTags() == null ? List.of() : body.getTags(), false, body.getListId(),
                body.getParentId(), body.getPosition() == TaskCreate.PositionEnum.BOTTOM);
    }

    static Tasks.Draft draft(TaskReplace body) {
        return new Tasks.Draft(body.getTitle(), body.getDescription(), value(body.getPriority()), body.getDueDate(),
                body.getRecurrenceRule(), body.getTags() == null ? List.of() : body.getTags(),
                Boolean.TRUE.equals(body.getCompleted()), null, null, false);
    }

    private static Tasks.Changes changes(TaskPatch body, MergePatch present) {
        requireNonNull(present, "title", body.getTitle());
        requireNonNull(present, "completed", body.getCompleted());
        requireNonNull(present, "priority", body.getPriority());
        return new Tasks.Changes(
                present.has("title") ? body.getTitle() : null,
                present.has("description"), body.getDescription(),
                present.has("completed") ? body.getCompleted() : null,
                present.has("priority") ? value(body.getPriority()) : null,
                present.has("due_date"), body.getDueDate(),
                present.has("recurrence_rule"), body.getRecurrenceRule(),
                // "tags": null clears them, like an empty list
                present.has("tags") ? (body.getTags() == null ? List.of() : body.getTags()) : null);
    }

    private static void requireNonNull(MergePatch present, String field, @Nullable Object value) {
        if (present.has(field) && value == null) {
            throw ApiException.validation(field, "REQUIRED", "can't be null");
        }
    }

    private static @Nullable String value(@Nullable Priority priority) {
        return priority == null ? null : priority.getValue();
    }

    /** Same key, same request: the method, path and body (as the model reads it) hash alike. */
    private byte[] hash(TaskCreate body) {
        MessageDigest digest = Sha256.digest();
        digest.update("POST /api/v1/tasks\n".getBytes(StandardCharsets.UTF_8));
        return digest.digest(json.writeValueAsBytes(body));
    }
}
