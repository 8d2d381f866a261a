package dev.todoapi.task;

import dev.todoapi.api.CompatibilityApi;
import dev.todoapi.api.model.CompatTaskList;
import dev.todoapi.api.model.CompletionUpdate;
import dev.todoapi.api.model.Task;
import dev.todoapi.api.model.TaskCreate;
import dev.todoapi.api.model.TaskReplace;
import dev.todoapi.auth.CurrentUser;
import dev.todoapi.web.ApiException;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The routes existing frontends call, on the same service as /api/v1/tasks: /api/{user_id}/tasks, whose user
 * id must be the token's subject (decided before anything is looked up), and /api/tasks, the token's user's.
 */
@RestController
class CompatTaskController implements CompatibilityApi {

    private final Tasks tasks;
    private final CurrentUser currentUser;

    CompatTaskController(Tasks tasks, CurrentUser currentUser) {
        this.tasks = tasks;
        this.currentUser = currentUser;
    }

    @Override
    public ResponseEntity<List<Task>> compatListTasks(String userId, String status) {
        String user = sameUser(userId);
        return ResponseEntity.ok(TaskRepresentation.of(tasks.all(user, parseStatus(status))));
    }

    @Override
    public ResponseEntity<Task> compatCreateTask(String userId, TaskCreate body) {
        TaskView view = created(sameUser(userId), body);
        // Escaped: an external issuer's subject can hold characters a path can't (Auth0's "auth0|...").
        URI location = UriComponentsBuilder.fromPath("/api/{user_id}/tasks/{task_id}").encode()
                .buildAndExpand(userId, view.task().getId()).toUri();
        return ResponseEntity.created(location)
                .eTag(view.etag())
                .body(TaskRepresentation.of(view));
    }

    @Override
    public ResponseEntity<Task> compatGetTask(String userId, UUID taskId) {
        return TaskController.withETag(tasks.get(sameUser(userId), taskId));
    }

    @Override
    public ResponseEntity<Task> compatReplaceTask(String userId, UUID taskId, TaskReplace body) {
        return TaskController.withETag(tasks.replace(sameUser(userId), taskId, TaskController.draft(body), null));
    }

    @Override
    public ResponseEntity<Task> compatSetTaskCompletion(String userId, UUID taskId, CompletionUpdate body) {
        return TaskController.withETag(tasks.setCompleted(sameUser(userId), taskId, body.getCompleted()));
    }

    @Override
    public ResponseEntity<Task> compatToggleTaskCompletion(String userId, UUID taskId) {
        return TaskController.withETag(tasks.toggle(sameUser(userId), taskId, null));
    }

    @Override
    public ResponseEntity<Void> compatDeleteTask(String userId, UUID taskId) {
        tasks.delete(sameUser(userId), taskId, null);
        return ResponseEntity.noContent().build();
    }

    @Override
    public ResponseEntity<CompatTaskList> compatListMyTasks(String status) {
        return ResponseEntity.ok(new CompatTaskList(TaskRepresentation.of(tasks.all(currentUser.id(), parseStatus(status)))));
    }

    @Override
    public ResponseEntity<Task> compatCreateMyTask(TaskCreate body) {
        TaskView view = created(currentUser.id(), body);
        return ResponseEntity.created(URI.create("/api/tasks/" + view.task().getId()))
                .eTag(view.etag())
                .body(TaskRepresentation.of(view));
    }

    @Override
    public ResponseEntity<Task> compatGetMyTask(UUID taskId) {
        return TaskController.withETag(tasks.get(currentUser.id(), taskId));
    }

    @Override
    public ResponseEntity<Task> compatReplaceMyTask(UUID taskId, TaskReplace body) {
        return TaskController.withETag(tasks.replace(currentUser.id(), taskId, TaskController.draft(body), null));
    }

    @Override
    public ResponseEntity<Task> compatToggleMyTaskCompletion(UUID taskId) {
        return TaskController.withETag(tasks.toggle(currentUser.id(), taskId, null));
    }

    @Override
    public ResponseEntity<Void> compatDeleteMyTask(UUID taskId) {
        tasks.delete(currentUser.id(), taskId, null);
        return ResponseEntity.noContent().build();
    }

    private static TaskQuery.Status parseStatus(String status) {
        TaskQuery.Status parsed = TaskQuery.Status.parse(status);
        if (parsed == null) {
            throw ApiException.validation("status", "INVALID_VALUE", "must be one of all, pending, completed");
        }
        return parsed;
    }

    /** A new task (no Idempotency-Key on these routes, so never a replay). */
    private TaskView created(String user, TaskCreate body) {
        return ((Tasks.Created.New) tasks.create(user, TaskController.draft(body), null, view -> "")).task();
    }

    private String sameUser(String pathUserId) {
        String tokenUser = currentUser.id();
        if (!tokenUser.equals(pathUserId)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "USER_MISMATCH",
                    "The user id in the path is not the signed-in user's.");
        }
        return tokenUser;
    }
}
