package dev.todoapi.sync;

import dev.todoapi.api.SyncApi;
import dev.todoapi.api.model.SyncPage;
import dev.todoapi.auth.CurrentUser;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

@RestController
class SyncController implements SyncApi {

    private final Sync sync;
    private final Batch batch;
    private final CurrentUser currentUser;
    private final jakarta.servlet.http.HttpServletRequest http;

    private final Trash trash;

    SyncController(Sync sync, Batch batch, Trash trash, CurrentUser currentUser, jakarta.servlet.http.HttpServletRequest http) {
        this.trash = trash;
        this.sync = sync;
        this.batch = batch;
        this.currentUser = currentUser;
        this.http = http;
    }

    @Override
    public ResponseEntity<dev.todoapi.api.model.TrashPage> listTrash(Integer limit, @Nullable String cursor) {
        return ResponseEntity.ok(trash.page(currentUser.id(), limit, cursor));
    }

    @Override
    public ResponseEntity<dev.todoapi.api.model.RestoredItem> restoreTrashItem(String type, java.util.UUID id) {
        return ResponseEntity.ok(trash.restore(currentUser.id(), type, id));
    }

    @Override
    public ResponseEntity<Void> purgeTrashItem(String type, java.util.UUID id) {
        trash.purge(currentUser.id(), type, id);
        return ResponseEntity.noContent().build();
    }

    @Override
    public ResponseEntity<dev.todoapi.api.model.BatchResponse> runBatch(dev.todoapi.api.model.BatchRequest body) {
        return ResponseEntity.ok(batch.run(currentUser.id(), body, http));
    }

    @Override
    public ResponseEntity<SyncPage> sync(@Nullable String token, Integer limit) {
        return ResponseEntity.ok(sync.page(currentUser.id(), token, limit));
    }
}
