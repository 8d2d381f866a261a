package dev.todoapi.webhook;

import static dev.todoapi.db.jooq.Tables.CHANGE_COUNTERS;
import static dev.todoapi.db.jooq.Tables.WEBHOOK_ENDPOINTS;
import static dev.todoapi.db.jooq.Tables.WEBHOOK_MESSAGES;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.DeadExecutionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.todoapi.db.jooq.tables.records.WebhookEndpointsRecord;
import dev.todoapi.db.jooq.tables.records.WebhookMessagesRecord;
import dev.todoapi.sync.ChangeFeed;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.ObjectNode;

/**
 * Delivers one endpoint's events, as the db-scheduler execution of that endpoint (so one instance at a time, across
 * instances: db-scheduler picks an execution with an optimistic update and keeps it picked with heartbeats; a dead
 * instance's execution is revived elsewhere). A run makes events from the change feed after the endpoint's cursor
 * (one per feed entry of a wanted type, with the sync token after it) and sends the queue's head, one at a time in
 * order, until the queue is empty or the head waits for its retry. Its completion, in one transaction, reads the
 * user's change counter with FOR SHARE (so a write that is committing finishes first) and then either removes the
 * execution or reschedules it (now when changes arrived meanwhile, else when the head is due): a change is never
 * left without an execution that will see it.
 */
@Component
class WebhookWorker {

    private static final Logger log = LoggerFactory.getLogger(WebhookWorker.class);

    /** Events are made from the feed while fewer than this many wait; the feed is the queue beyond. */
    static final int QUEUE_FILL = 100;
    /** One run sends for at most this long, then lets other endpoints have the thread. */
    private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final DSLContext db;
    private final TransactionTemplate tx;
    private final ChangeFeed feed;
    private final Webhooks webhooks;
    private final WebhookProperties properties;
    private final WebhookQueue queue;
    private final CustomTask<Void> task;

    WebhookWorker(DSLContext db, TransactionTemplate tx, ChangeFeed feed, Webhooks webhooks, WebhookProperties properties,
            WebhookQueue queue) {
        this.db = db;
        this.queue = queue;
        this.tx = tx;
        this.feed = feed;
        this.webhooks = webhooks;
        this.properties = properties;
        this.task = Tasks.custom(WebhookQueue.TASK, Void.class)
                .onFailure((complete, ops) -> ops.reschedule(complete, Instant.now().plus(properties.retryInitialDelay())))
                .onDeadExecution(new DeadExecutionHandler.ReviveDeadExecution<>())
                .execute(this::execute);
    }

    CustomTask<Void> task() {
        return task;
    }

    private CompletionHandler<Void> execute(com.github.kagkarlsson.scheduler.task.TaskInstance<Void> instance, ExecutionContext context) {
        String id = instance.getId();
        UUID endpointId = UUID.fromString(id.substring(0, 36));
        String userId = id.substring(37);
        Instant next = run(userId, endpointId, context);
        return (complete, ops) -> tx.executeWithoutResult(status -> {
            Long committed = db.select(CHANGE_COUNTERS.SEQ).from(CHANGE_COUNTERS)
                    .where(CHANGE_COUNTERS.USER_ID.eq(userId)).forShare().fetchOne(CHANGE_COUNTERS.SEQ);
            // FOR SHARE on the endpoint: an event enqueued for it by another transaction (an endpoint.disabled notice)
            // updates the endpoint row first, so either it has committed and is counted below, or it waits for this
            // completion and then finds no execution, and makes one.
            WebhookEndpointsRecord endpoint = db.selectFrom(WEBHOOK_ENDPOINTS)
                    .where(WEBHOOK_ENDPOINTS.USER_ID.eq(userId), WEBHOOK_ENDPOINTS.ID.eq(endpointId)).forShare().fetchOne();
            if (endpoint == null || !endpoint.getEnabled()) {
                ops.remove();
                return;
            }
            boolean behind = (committed != null && committed > endpoint.getCursorSeq()) || endpoint.getCursorKind() != null;
            int waiting = pending(userId, endpointId);
            if (behind && waiting < QUEUE_FILL) {
                ops.reschedule(complete, Instant.now());
                queue.triggerAfterCommit(); // not the next poll: at once
            } else if (next != null) {
                ops.reschedule(complete, next);
            } else if (waiting > 0) {
                ops.reschedule(complete, Instant.now()); // enqueued after the run looked (a notice)
                queue.triggerAfterCommit();
            } else {
                ops.remove();
            }
        });
    }

    /** Sends what is due; when the run should come back (null: nothing left but what the feed may bring). */
    @Nullable Instant run(String userId, UUID endpointId, @Nullable ExecutionContext context) {
        long started = System.nanoTime();
        while (true) {
            WebhookEndpointsRecord endpoint = endpoint(userId, endpointId);
            if (endpoint == null || !endpoint.getEnabled()) {
                return null;
            }
            fill(userId, endpointId);
            WebhookMessagesRecord head = db.selectFrom(WEBHOOK_MESSAGES)
                    .where(WEBHOOK_MESSAGES.USER_ID.eq(userId), WEBHOOK_MESSAGES.ENDPOINT_ID.eq(endpointId),
                            WEBHOOK_MESSAGES.STATE.eq("pending"))
                    .orderBy(WEBHOOK_MESSAGES.POSITION).limit(1).fetchOne();
            if (head == null) {
                // A change committed since the feed was read: make its events now rather than in another run.
                if (moved(userId, endpointId) && System.nanoTime() - started < RUN_NANOS) {
                    continue;
                }
                return null;
            }
            if (head.getNextAttemptAt() != null && head.getNextAttemptAt().isAfter(OffsetDateTime.now())) {
                return head.getNextAttemptAt().toInstant();
            }
            webhooks.attempt(endpoint, head, "scheduled");
            if (System.nanoTime() - started > RUN_NANOS
                    || (context != null && context.getSchedulerState().isShuttingDown())) {
                return Instant.now();
            }
        }
    }

    /**
     * Makes events from the feed after the endpoint's cursor while its queue is short, in one transaction that
     * holds the endpoint's row (a concurrent change of its event types waits for it).
     */
    private void fill(String userId, UUID endpointId) {
        if (pending(userId, endpointId) >= QUEUE_FILL) {
            return;
        }
        tx.executeWithoutResult(status -> {
            WebhookEndpointsRecord endpoint = db.selectFrom(WEBHOOK_ENDPOINTS)
                    .where(WEBHOOK_ENDPOINTS.USER_ID.eq(userId), WEBHOOK_ENDPOINTS.ID.eq(endpointId))
                    .forUpdate().fetchOne();
            if (endpoint == null || !endpoint.getEnabled()) {
                return;
            }
            ChangeFeed.Position at = new ChangeFeed.Position(endpoint.getCursorSeq(), endpoint.getCursorKind(), endpoint.getCursorId());
            ChangeFeed.Page page = feed.after(userId, at, QUEUE_FILL);
            if (page.entries().isEmpty() && page.next().equals(at)) {
                return;
            }
            long position = endpoint.getNextPosition();
            OffsetDateTime now = Webhooks.now();
            var insert = db.insertInto(WEBHOOK_MESSAGES, WEBHOOK_MESSAGES.USER_ID, WEBHOOK_MESSAGES.ENDPOINT_ID,
                    WEBHOOK_MESSAGES.POSITION, WEBHOOK_MESSAGES.EVENT_TYPE, WEBHOOK_MESSAGES.PAYLOAD, WEBHOOK_MESSAGES.STATE,
                    WEBHOOK_MESSAGES.NEXT_ATTEMPT_AT, WEBHOOK_MESSAGES.CREATED_AT);
            int events = 0;
            for (ChangeFeed.Entry entry : page.entries()) {
                String type = Webhooks.eventType(entry);
                if (!Webhooks.wants(endpoint, type)) {
                    continue;
                }
                ObjectNode data = Webhooks.JSON.createObjectNode()
                        .put("id", entry.id().toString())
                        .put("sync_token", feed.tokenAfter(entry));
                insert = insert.values(userId, endpointId, position++, type, Webhooks.payload(type, now.toInstant(), data),
                        "pending", now, now);
                events++;
            }
            if (events > 0) {
                insert.execute();
            }
            ChangeFeed.Position next = page.next();
            db.update(WEBHOOK_ENDPOINTS)
                    .set(WEBHOOK_ENDPOINTS.CURSOR_SEQ, next.seq())
                    .set(WEBHOOK_ENDPOINTS.CURSOR_KIND, next.kind())
                    .set(WEBHOOK_ENDPOINTS.CURSOR_ID, next.id())
                    .set(WEBHOOK_ENDPOINTS.NEXT_POSITION, position)
                    .where(WEBHOOK_ENDPOINTS.USER_ID.eq(userId), WEBHOOK_ENDPOINTS.ID.eq(endpointId))
                    .execute();
            if (events > 0) {
                log.debug("Endpoint {}: {} events up to {}", endpointId, events, next);
            }
        });
    }

    /** Whether the user's feed has moved past the endpoint's cursor. */
    private boolean moved(String userId, UUID endpointId) {
        WebhookEndpointsRecord endpoint = endpoint(userId, endpointId);
        return endpoint != null && endpoint.getEnabled()
                && (endpoint.getCursorKind() != null || feed.committed(userId) > endpoint.getCursorSeq());
    }

    private int pending(String userId, UUID endpointId) {
        return db.fetchCount(WEBHOOK_MESSAGES, WEBHOOK_MESSAGES.USER_ID.eq(userId),
                WEBHOOK_MESSAGES.ENDPOINT_ID.eq(endpointId), WEBHOOK_MESSAGES.STATE.eq("pending"));
    }

    private @Nullable WebhookEndpointsRecord endpoint(String userId, UUID endpointId) {
        return db.selectFrom(WEBHOOK_ENDPOINTS)
                .where(WEBHOOK_ENDPOINTS.USER_ID.eq(userId), WEBHOOK_ENDPOINTS.ID.eq(endpointId)).fetchOne();
    }
}
