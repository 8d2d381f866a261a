package dev.todoapi.webhook;

import static dev.todoapi.db.jooq.Tables.WEBHOOK_ENDPOINTS;

import dev.todoapi.sync.ChangeLog;
import java.util.UUID;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/**
 * Hears of every write transaction of a user just before it commits (inside it) and, when the user has enabled
 * endpoints, marks each as having work, in that transaction: the mark commits exactly when the change does. The
 * events themselves are read from the change feed by {@link WebhookWorker}.
 */
@Component
class WebhookObserver implements ChangeLog.CommitObserver {

    private final DSLContext db;
    private final WebhookQueue queue;

    WebhookObserver(DSLContext db, WebhookQueue queue) {
        this.db = db;
        this.queue = queue;
    }

    @Override
    public void beforeCommit(String userId, long seq) {
        for (UUID endpoint : db.select(WEBHOOK_ENDPOINTS.ID).from(WEBHOOK_ENDPOINTS)
                .where(WEBHOOK_ENDPOINTS.USER_ID.eq(userId), WEBHOOK_ENDPOINTS.ENABLED.isTrue())
                .fetch(WEBHOOK_ENDPOINTS.ID)) {
            queue.wake(userId, endpoint);
        }
    }
}
