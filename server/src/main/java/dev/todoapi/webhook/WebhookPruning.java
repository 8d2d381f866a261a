package dev.todoapi.webhook;

import static dev.todoapi.db.jooq.Tables.WEBHOOK_DELIVERIES;
import static dev.todoapi.db.jooq.Tables.WEBHOOK_MESSAGES;

import java.time.Duration;
import java.time.OffsetDateTime;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Forgets events that are done with (delivered, given up, tests, notices) and logged attempts older than the sync
 * window: past it, their sync tokens are refused anyway. Events still waiting are kept, whatever their age. An
 * idempotent DELETE, safe on several instances, like TombstonePruning.
 */
@Component
class WebhookPruning {

    private static final Logger log = LoggerFactory.getLogger(WebhookPruning.class);

    private final DSLContext db;
    private final Duration window;

    WebhookPruning(DSLContext db, @Value("${todo.sync.window:P30D}") Duration window) {
        this.db = db;
        this.window = window;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT11M")
    void prune() {
        try {
            int deleted = prune(OffsetDateTime.now().minus(window));
            if (deleted > 0) {
                log.info("Deleted {} webhook events older than {}", deleted, window);
            }
        } catch (RuntimeException e) {
            log.warn("Webhook pruning failed, will retry: {}", e.getMessage());
        }
    }

    /** Finished events created before {@code before} (their attempts with them), and attempts made before it. */
    int prune(OffsetDateTime before) {
        int events = db.deleteFrom(WEBHOOK_MESSAGES)
                .where(WEBHOOK_MESSAGES.CREATED_AT.lt(before), WEBHOOK_MESSAGES.STATE.ne("pending"))
                .execute();
        db.deleteFrom(WEBHOOK_DELIVERIES).where(WEBHOOK_DELIVERIES.ATTEMPTED_AT.lt(before)).execute();
        return events;
    }
}
