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
    private final CurrentUser currentUser;

    SyncController(Sync sync, CurrentUser currentUser) {
        this.sync = sync;
        this.currentUser = currentUser;
    }

    @Override
    public ResponseEntity<SyncPage> sync(@Nullable String token, Integer limit) {
        return ResponseEntity.ok(sync.page(currentUser.id(), token, limit));
    }
}
