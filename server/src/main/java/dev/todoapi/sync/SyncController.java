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

    SyncController(Sync sync, Batch batch, CurrentUser currentUser, jakarta.servlet.http.HttpServletRequest http) {
        this.sync = sync;
        this.batch = batch;
        this.currentUser = currentUser;
        this.http = http;
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
