package dev.todoapi.sync;

import static dev.todoapi.db.jooq.Tables.TOMBSTONES;

import java.time.OffsetDateTime;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Forgets tombstones older than the sync window: a token older than the window is refused (410), so no valid token
 * needs them. Idempotent, so safe on several instances (each may run it; the second deletes nothing).
 */
@Component
class TombstonePruning {

    private static final Logger log = LoggerFactory.getLogger(TombstonePruning.class);

    private final DSLContext db;
    private final Sync sync;

    TombstonePruning(DSLContext db, Sync sync) {
        this.db = db;
        this.sync = sync;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT7M")
    void prune() {
        try {
            int deleted = prune(OffsetDateTime.now().minus(sync.window()));
            if (deleted > 0) {
                log.info("Deleted {} tombstones older than {}", deleted, sync.window());
            }
        } catch (RuntimeException e) {
            log.warn("Tombstone pruning failed, will retry: {}", e.getMessage());
        }
    }

    /** Tombstones and applied batch command ids older than {@code before}. */
    int prune(OffsetDateTime before) {
        db.deleteFrom(dev.todoapi.db.jooq.Tables.TRASH).where(dev.todoapi.db.jooq.Tables.TRASH.DELETED_AT.lt(before)).execute();
        db.deleteFrom(dev.todoapi.db.jooq.Tables.BATCH_COMMANDS).where(dev.todoapi.db.jooq.Tables.BATCH_COMMANDS.CREATED_AT.lt(before)).execute();
        return db.deleteFrom(TOMBSTONES).where(TOMBSTONES.DELETED_AT.lt(before)).execute();
    }
}
