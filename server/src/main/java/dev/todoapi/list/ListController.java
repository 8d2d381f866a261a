package dev.todoapi.list;

import dev.todoapi.api.ListsApi;
import dev.todoapi.api.model.ListMove;
import dev.todoapi.api.model.TodoList;
import dev.todoapi.api.model.TodoListCreate;
import dev.todoapi.api.model.TodoListList;
import dev.todoapi.api.model.TodoListPatch;
import dev.todoapi.auth.CurrentUser;
import dev.todoapi.web.ETags;
import dev.todoapi.web.MergePatch;
import java.net.URI;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ListController implements ListsApi {

    private final Lists lists;
    private final CurrentUser currentUser;

    ListController(Lists lists, CurrentUser currentUser) {
        this.lists = lists;
        this.currentUser = currentUser;
    }

    @Override
    public ResponseEntity<TodoListList> listLists() {
        return ResponseEntity.ok(new TodoListList(lists.all(currentUser.id()).stream().map(ListController::list).toList()));
    }

    @Override
    public ResponseEntity<TodoList> createList(TodoListCreate body) {
        var created = lists.create(currentUser.id(), body.getName(), body.getColor());
        return ResponseEntity.created(URI.create("/api/v1/lists/" + created.list().getId()))
                .eTag(ETags.of(created.list().getVersion()))
                .body(list(created));
    }

    @Override
    public ResponseEntity<TodoList> getList(UUID listId) {
        return withETag(lists.get(currentUser.id(), listId));
    }

    @Override
    public ResponseEntity<TodoList> updateList(UUID listId, TodoListPatch body, @Nullable String ifMatch) {
        MergePatch patch = MergePatch.current();
        var changes = new Lists.Changes(patch.has("name"), body.getName(), patch.has("color"), body.getColor());
        return withETag(lists.update(currentUser.id(), listId, changes, ifMatch));
    }

    @Override
    public ResponseEntity<TodoList> moveList(UUID listId, ListMove body, @Nullable String ifMatch) {
        return withETag(lists.move(currentUser.id(), listId, body.getAfterId(), body.getBeforeId(), ifMatch));
    }

    @Override
    public ResponseEntity<Void> deleteList(UUID listId, @Nullable String ifMatch, @Nullable UUID moveTasksTo) {
        lists.delete(currentUser.id(), listId, ifMatch, moveTasksTo);
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<TodoList> withETag(ListRepository.ListWithCounts row) {
        return ResponseEntity.ok().eTag(ETags.of(row.list().getVersion())).body(list(row));
    }

    static TodoList list(ListRepository.ListWithCounts row) {
        var record = row.list();
        TodoList list = new TodoList(record.getId(), record.getName(), record.getPosition(), record.getIsDefault(),
                row.openTaskCount(), row.taskCount(), record.getVersion(), record.getCreatedAt(), record.getUpdatedAt());
        list.setColor(record.getColor());
        return list;
    }
}
