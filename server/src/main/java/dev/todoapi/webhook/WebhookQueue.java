package dev.todoapi.webhook;

import static dev.todoapi.db.jooq.Tables.SCHEDULED_TASKS;

import com.github.kagkarlsson.scheduler.Scheduler;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jooq.DSLContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Marks an endpoint as having work: one db-scheduler execution per endpoint (task {@value #TASK}, instance
 * {@code <endpoint id>:<user id>}), inserted unless it is there already, in the caller's transaction. The insert is
 * db-scheduler's own (what its {@code scheduleIfNotExists} writes) with {@code ON CONFLICT DO NOTHING}, so that a
 * concurrent insert of the same instance never fails a user's write; when the execution is running, it sees the new
 * change itself before it completes ({@link WebhookWorker}). After the commit, the local scheduler is told to look
 * for due work at once (other instances find it at their next poll).
 */
@Component
class WebhookQueue {

    static final String TASK = "webhook-endpoint";

    private final DSLContext db;
    private final ObjectProvider<Scheduler> scheduler;

    WebhookQueue(DSLContext db, ObjectProvider<Scheduler> scheduler) {
        this.db = db;
        this.scheduler = scheduler;
    }

    static String instance(String userId, UUID endpointId) {
        return endpointId + ":" + userId;
    }

    void wake(String userId, UUID endpointId) {
        // db-scheduler's own row, as its scheduleIfNotExists would write it, but ON CONFLICT DO NOTHING: a duplicate
        // key error would abort the user's write transaction this runs in.
        int inserted = db.insertInto(SCHEDULED_TASKS, SCHEDULED_TASKS.TASK_NAME, SCHEDULED_TASKS.TASK_INSTANCE,
                        SCHEDULED_TASKS.EXECUTION_TIME, SCHEDULED_TASKS.PICKED, SCHEDULED_TASKS.VERSION)
                .values(TASK, instance(userId, endpointId), OffsetDateTime.now(ZoneOffset.UTC), false, 1L)
                .onConflictDoNothing()
                .execute();
        if (inserted > 0) {
            triggerAfterCommit();
        }
    }

    /** Tells the local scheduler to look for due executions once the current transaction (if any) has committed. */
    void triggerAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    trigger();
                }
            });
        } else {
            trigger();
        }
    }

    private void trigger() {
        Scheduler local = scheduler.getIfAvailable();
        if (local != null) {
            local.triggerCheckForDueExecutions();
        }
    }
}
