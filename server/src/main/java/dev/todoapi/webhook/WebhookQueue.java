package dev.todoapi.webhook;

import com.github.kagkarlsson.scheduler.Scheduler;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
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
        int inserted = db.execute("insert into scheduled_tasks (task_name, task_instance, execution_time, picked, version)"
                + " values ({0}, {1}, {2}, false, 1) on conflict do nothing",
                DSL.val(TASK), DSL.val(instance(userId, endpointId)),
                DSL.val(OffsetDateTime.now(ZoneOffset.UTC), SQLDataType.TIMESTAMPWITHTIMEZONE));
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
