package dev.todoapi.task;

import dev.todoapi.api.CompatibilityApi;
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

/**
 * The /api/{user_id}/tasks routes existing frontends call, on the same service as /api/v1/tasks. The
 * user id in the path must be the token's subject; that is decided before anything is looked up.
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
        TaskQuery.Status parsed = TaskQuery.Status.parse(status);
        if (parsed == null) {
            throw ApiException.validation("status", "INVALID_VALUE", "must be one of all, pending, completed");
        }
        return ResponseEntity.ok(TaskRepresentation.of(tasks.all(user, parsed)));
    }

    @Override
    public ResponseEntity<Task> compatCreateTask(String userId, TaskCreate body) {
        String user = sameUser(userId);
        Tasks.Created created = tasks.create(user, TaskController.draft(body), null, view -> "");
        TaskView view = ((Tasks.Created.New) created).task();
        return ResponseEntity.created(URI.create("/api/" + userId + "/tasks/" + view.task().getId()))
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

    private String sameUser(String pathUserId) {
        String tokenUser = currentUser.id();
        if (!tokenUser.equals(pathUserId)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "USER_MISMATCH",
                    "The user id in the path is not the signed-in user's.");
        }
        return tokenUser;
    }
}
