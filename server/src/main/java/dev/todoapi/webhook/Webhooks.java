package dev.todoapi.webhook;

import static dev.todoapi.db.jooq.Tables.WEBHOOK_DELIVERIES;
import static dev.todoapi.db.jooq.Tables.WEBHOOK_ENDPOINTS;
import static dev.todoapi.db.jooq.Tables.WEBHOOK_MESSAGES;

import dev.todoapi.db.jooq.tables.records.WebhookDeliveriesRecord;
import dev.todoapi.db.jooq.tables.records.WebhookEndpointsRecord;
import dev.todoapi.db.jooq.tables.records.WebhookMessagesRecord;
import dev.todoapi.sync.ChangeFeed;
import dev.todoapi.web.ApiException;
import dev.todoapi.web.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A user's webhook endpoints (registration, changes, secret rotation), test events, the delivery log and
 * redeliveries. Events themselves are made and sent by {@link WebhookWorker}; every attempt, whoever makes it, goes
 * through {@link #attempt}.
 */
@Service
public class Webhooks {

    /** Every event type, as the contract names them. */
    static final List<String> EVENT_TYPES = List.of("task.upserted", "task.deleted", "list.upserted", "list.deleted",
            "tag.upserted", "tag.deleted", "webhook.test", "endpoint.disabled");

    /** At most this many endpoints per user. */
    static final int MAX_ENDPOINTS = 20;

    public record Create(String url, @Nullable String description, @Nullable List<String> eventTypes, boolean enabled) {}

    /** A merge patch: each {@code has*} says whether the field was sent. */
    public record Update(boolean hasUrl, @Nullable String url, boolean hasDescription, @Nullable String description,
            boolean hasEventTypes, @Nullable List<String> eventTypes, boolean hasEnabled, @Nullable Boolean enabled) {}

    public record WithSecret(WebhookEndpointsRecord endpoint, String secret) {}

    public record DeliveryPage(List<WebhookDeliveriesRecord> items, @Nullable String nextCursor) {}

    /** One attempt as logged, and the event it sent. */
    public record Attempt(WebhookDeliveriesRecord delivery, String eventType) {}

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final DSLContext db;
    private final TransactionTemplate tx;
    private final UrlGuard guard;
    private final WebhookSender sender;
    private final WebhookProperties properties;
    private final ChangeFeed feed;
    private final WebhookQueue queue;

    Webhooks(DSLContext db, TransactionTemplate tx, UrlGuard guard, WebhookSender sender, WebhookProperties properties,
            ChangeFeed feed, WebhookQueue queue) {
        this.db = db;
        this.tx = tx;
        this.guard = guard;
        this.sender = sender;
        this.properties = properties;
        this.feed = feed;
        this.queue = queue;
    }

    // ---- endpoints --------------------------------------------------------------------------------------

    public WithSecret create(String userId, Create command) {
        String url = guard.check(command.url(), "url").toString();
        String secret = WebhookSignature.newSecret();
        WebhookEndpointsRecord created = tx.execute(status -> {
            int count = db.fetchCount(WEBHOOK_ENDPOINTS, WEBHOOK_ENDPOINTS.USER_ID.eq(userId));
            if (count >= MAX_ENDPOINTS) {
                throw new ApiException(ErrorCode.CONFLICT.status(), "WEBHOOK_LIMIT_REACHED",
                        "A user can have at most " + MAX_ENDPOINTS + " webhook endpoints; delete one first.");
            }
            OffsetDateTime now = now();
            // Events start after what is committed now: the feed's position when the endpoint appears.
            return db.insertInto(WEBHOOK_ENDPOINTS)
                    .set(WEBHOOK_ENDPOINTS.USER_ID, userId)
                    .set(WEBHOOK_ENDPOINTS.URL, url)
                    .set(WEBHOOK_ENDPOINTS.DESCRIPTION, command.description())
                    .set(WEBHOOK_ENDPOINTS.EVENT_TYPES, types(command.eventTypes()))
                    .set(WEBHOOK_ENDPOINTS.ENABLED, command.enabled())
                    .set(WEBHOOK_ENDPOINTS.SECRET, secret)
                    .set(WEBHOOK_ENDPOINTS.CURSOR_SEQ, feed.committed(userId))
                    .set(WEBHOOK_ENDPOINTS.CREATED_AT, now)
                    .set(WEBHOOK_ENDPOINTS.UPDATED_AT, now)
                    .returning()
                    .fetchSingle();
        });
        if (created.getEnabled()) {
            queue.wake(userId, created.getId()); // a change committing while this was created is not left waiting
        }
        return new WithSecret(created, secret);
    }

    public List<WebhookEndpointsRecord> list(String userId) {
        return db.selectFrom(WEBHOOK_ENDPOINTS).where(WEBHOOK_ENDPOINTS.USER_ID.eq(userId))
                .orderBy(WEBHOOK_ENDPOINTS.CREATED_AT, WEBHOOK_ENDPOINTS.ID).fetch();
    }

    public WebhookEndpointsRecord get(String userId, UUID id) {
        WebhookEndpointsRecord endpoint = db.selectFrom(WEBHOOK_ENDPOINTS)
                .where(WEBHOOK_ENDPOINTS.USER_ID.eq(userId), WEBHOOK_ENDPOINTS.ID.eq(id)).fetchOne();
        if (endpoint == null) {
            throw new ApiException(ErrorCode.NOT_FOUND.status(), "WEBHOOK_NOT_FOUND", "There is no webhook endpoint " + id + ".");
        }
        return endpoint;
    }

    public WebhookEndpointsRecord update(String userId, UUID id, Update changes) {
        if (changes.hasUrl() && changes.url() == null) {
            throw ApiException.validation("url", "REQUIRED", "must not be null");
        }
        if (changes.hasEnabled() && changes.enabled() == null) {
            throw ApiException.validation("enabled", "REQUIRED", "must not be null");
        }
        String url = changes.hasUrl() ? guard.check(changes.url(), "url").toString() : null;
        WebhookEndpointsRecord updated = tx.execute(status -> {
            WebhookEndpointsRecord endpoint = db.selectFrom(WEBHOOK_ENDPOINTS)
                    .where(WEBHOOK_ENDPOINTS.USER_ID.eq(userId), WEBHOOK_ENDPOINTS.ID.eq(id)).forUpdate().fetchOne();
            if (endpoint == null) {
                throw new ApiException(ErrorCode.NOT_FOUND.status(), "WEBHOOK_NOT_FOUND", "There is no webhook endpoint " + id + ".");
            }
            if (url != null) {
                endpoint.setUrl(url);
            }
            if (changes.hasDescription()) {
                endpoint.setDescription(changes.description());
            }
            if (changes.hasEventTypes()) {
                endpoint.setEventTypes(types(changes.eventTypes()));
            }
            if (changes.hasEnabled()) {
                boolean enable = changes.enabled();
                if (enable && !endpoint.getEnabled()) {
                    endpoint.setDisabledReason(null);
                    endpoint.setDisabledAt(null);
                    endpoint.setFailingSince(null);
                } else if (!enable && endpoint.getEnabled()) {
                    endpoint.setDisabledAt(now());
                    endpoint.setDisabledReason(null);
                }
                endpoint.setEnabled(enable);
            }
            if (endpoint.changed()) {
                endpoint.setUpdatedAt(now());
                db.update(WEBHOOK_ENDPOINTS).set(endpoint)
                        .where(WEBHOOK_ENDPOINTS.USER_ID.eq(userId), WEBHOOK_ENDPOINTS.ID.eq(id)).execute();
            }
            return endpoint;
        });
        if (updated.getEnabled()) {
            queue.wake(userId, id);
        }
        return updated;
    }

    public void delete(String userId, UUID id) {
        int deleted = db.deleteFrom(WEBHOOK_ENDPOINTS)
                .where(WEBHOOK_ENDPOINTS.USER_ID.eq(userId), WEBHOOK_ENDPOINTS.ID.eq(id)).execute();
        if (deleted == 0) {
            throw new ApiException(ErrorCode.NOT_FOUND.status(), "WEBHOOK_NOT_FOUND", "There is no webhook endpoint " + id + ".");
        }
    }

    /** A new secret; the old one keeps signing for the grace period. */
    public WithSecret rotate(String userId, UUID id) {
        String secret = WebhookSignature.newSecret();
        OffsetDateTime now = now();
        WebhookEndpointsRecord rotated = db.update(WEBHOOK_ENDPOINTS)
                .set(WEBHOOK_ENDPOINTS.PREVIOUS_SECRET, WEBHOOK_ENDPOINTS.SECRET)
                .set(WEBHOOK_ENDPOINTS.PREVIOUS_SECRET_EXPIRES_AT, now.plus(properties.secretGrace()))
                .set(WEBHOOK_ENDPOINTS.SECRET, secret)
                .set(WEBHOOK_ENDPOINTS.UPDATED_AT, now)
                .where(WEBHOOK_ENDPOINTS.USER_ID.eq(userId), WEBHOOK_ENDPOINTS.ID.eq(id))
                .returning().fetchOne();
        if (rotated == null) {
            throw new ApiException(ErrorCode.NOT_FOUND.status(), "WEBHOOK_NOT_FOUND", "There is no webhook endpoint " + id + ".");
        }
        return new WithSecret(rotated, secret);
    }

    // ---- test events, the log, redeliveries --------------------------------------------------------------

    /** A webhook.test event, sent now (not retried). */
    public Attempt test(String userId, UUID id) {
        WebhookEndpointsRecord endpoint = get(userId, id);
        ObjectNode data = JSON.createObjectNode().put("id", id.toString());
        WebhookMessagesRecord message = db.insertInto(WEBHOOK_MESSAGES)
                .set(WEBHOOK_MESSAGES.USER_ID, userId)
                .set(WEBHOOK_MESSAGES.ENDPOINT_ID, id)
                .set(WEBHOOK_MESSAGES.POSITION, 0L)
                .set(WEBHOOK_MESSAGES.EVENT_TYPE, "webhook.test")
                .set(WEBHOOK_MESSAGES.PAYLOAD, payload("webhook.test", Instant.now(), data))
                .set(WEBHOOK_MESSAGES.STATE, "test")
                .set(WEBHOOK_MESSAGES.CREATED_AT, now())
                .returning().fetchSingle();
        return attempt(endpoint, message, "test");
    }

    /** The endpoint's attempts, newest first; the cursor is the last one's (attempted_at, id). */
    public DeliveryPage deliveries(String userId, UUID id, int limit, @Nullable String cursor) {
        get(userId, id);
        var condition = WEBHOOK_DELIVERIES.USER_ID.eq(userId).and(WEBHOOK_DELIVERIES.ENDPOINT_ID.eq(id));
        if (cursor != null && !cursor.isEmpty()) {
            String[] at = decodeCursor(cursor);
            condition = condition.and(DSL.row(WEBHOOK_DELIVERIES.ATTEMPTED_AT, WEBHOOK_DELIVERIES.ID)
                    .lt(OffsetDateTime.parse(at[0]), UUID.fromString(at[1])));
        }
        List<WebhookDeliveriesRecord> rows = new ArrayList<>(db.selectFrom(WEBHOOK_DELIVERIES).where(condition)
                .orderBy(WEBHOOK_DELIVERIES.ATTEMPTED_AT.desc(), WEBHOOK_DELIVERIES.ID.desc())
                .limit(limit + 1).fetch());
        String next = null;
        if (rows.size() > limit) {
            rows = new ArrayList<>(rows.subList(0, limit));
            WebhookDeliveriesRecord last = rows.getLast();
            next = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (last.getAttemptedAt().toString() + "|" + last.getId()).getBytes(StandardCharsets.UTF_8));
        }
        return new DeliveryPage(rows, next);
    }

    /** The event type of each of these messages. */
    public java.util.Map<UUID, String> eventTypes(String userId, List<UUID> messageIds) {
        if (messageIds.isEmpty()) {
            return java.util.Map.of();
        }
        return db.select(WEBHOOK_MESSAGES.ID, WEBHOOK_MESSAGES.EVENT_TYPE).from(WEBHOOK_MESSAGES)
                .where(WEBHOOK_MESSAGES.USER_ID.eq(userId), WEBHOOK_MESSAGES.ID.in(messageIds))
                .fetchMap(WEBHOOK_MESSAGES.ID, WEBHOOK_MESSAGES.EVENT_TYPE);
    }

    /** The event of that attempt, sent again now with its webhook-id. */
    public Attempt redeliver(String userId, UUID id, UUID deliveryId) {
        WebhookEndpointsRecord endpoint = get(userId, id);
        WebhookDeliveriesRecord delivery = db.selectFrom(WEBHOOK_DELIVERIES)
                .where(WEBHOOK_DELIVERIES.USER_ID.eq(userId), WEBHOOK_DELIVERIES.ENDPOINT_ID.eq(id), WEBHOOK_DELIVERIES.ID.eq(deliveryId))
                .fetchOne();
        if (delivery == null) {
            throw new ApiException(ErrorCode.NOT_FOUND.status(), "WEBHOOK_DELIVERY_NOT_FOUND",
                    "There is no delivery " + deliveryId + " of webhook endpoint " + id + ".");
        }
        WebhookMessagesRecord message = db.selectFrom(WEBHOOK_MESSAGES)
                .where(WEBHOOK_MESSAGES.USER_ID.eq(userId), WEBHOOK_MESSAGES.ID.eq(delivery.getMessageId())).fetchSingle();
        return attempt(endpoint, message, "redelivery");
    }

    // ---- one attempt -------------------------------------------------------------------------------------

    /**
     * Sends the message to the endpoint once and logs the attempt. A scheduled attempt that fails is retried after
     * the backoff, until its first attempt is older than the retry window; then it is given up. A redelivery or test
     * changes no schedule, but a successful redelivery marks a given-up event delivered.
     */
    Attempt attempt(WebhookEndpointsRecord endpoint, WebhookMessagesRecord message, String trigger) {
        String userId = endpoint.getUserId();
        int attempt = db.update(WEBHOOK_MESSAGES)
                .set(WEBHOOK_MESSAGES.ATTEMPTS, WEBHOOK_MESSAGES.ATTEMPTS.plus(1))
                .where(WEBHOOK_MESSAGES.USER_ID.eq(userId), WEBHOOK_MESSAGES.ID.eq(message.getId()))
                .returning(WEBHOOK_MESSAGES.ATTEMPTS).fetchSingle().getAttempts();
        OffsetDateTime attemptedAt = now();
        byte[] body = message.getPayload().getBytes(StandardCharsets.UTF_8);
        String messageId = messageId(message.getId());
        long timestamp = attemptedAt.toEpochSecond();
        List<String> secrets = new ArrayList<>(List.of(endpoint.getSecret()));
        if (endpoint.getPreviousSecret() != null && endpoint.getPreviousSecretExpiresAt() != null
                && endpoint.getPreviousSecretExpiresAt().isAfter(attemptedAt)) {
            secrets.add(endpoint.getPreviousSecret());
        }
        WebhookSender.Outcome outcome = sender.send(endpoint.getUrl(), messageId, timestamp,
                WebhookSender.signatures(secrets, messageId, timestamp, body), body);

        return tx.execute(status -> {
            // The endpoint's row first, as a delete of the endpoint (which cascades to its events) and the worker's
            // fill take their locks: no lock-order deadlock between them and this.
            if (db.select(WEBHOOK_ENDPOINTS.ID).from(WEBHOOK_ENDPOINTS)
                    .where(WEBHOOK_ENDPOINTS.USER_ID.eq(userId), WEBHOOK_ENDPOINTS.ID.eq(endpoint.getId()))
                    .forUpdate().fetchOne() == null) {
                throw new ApiException(ErrorCode.NOT_FOUND.status(), "WEBHOOK_NOT_FOUND",
                        "The webhook endpoint " + endpoint.getId() + " was deleted.");
            }
            OffsetDateTime done = now();
            OffsetDateTime nextAttempt = null;
            boolean scheduled = trigger.equals("scheduled");
            if (scheduled) {
                OffsetDateTime first = message.getFirstAttemptAt() == null ? attemptedAt : message.getFirstAttemptAt();
                String state;
                if (outcome.success()) {
                    state = "delivered";
                } else if (done.isAfter(first.plus(properties.retryFor()))) {
                    state = "failed";
                } else {
                    state = "pending";
                    nextAttempt = done.plus(Backoff.delay(properties, attempt));
                }
                db.update(WEBHOOK_MESSAGES)
                        .set(WEBHOOK_MESSAGES.STATE, state)
                        .set(WEBHOOK_MESSAGES.NEXT_ATTEMPT_AT, nextAttempt)
                        .set(WEBHOOK_MESSAGES.FIRST_ATTEMPT_AT, first)
                        .where(WEBHOOK_MESSAGES.USER_ID.eq(userId), WEBHOOK_MESSAGES.ID.eq(message.getId()))
                        .execute();
            } else if (trigger.equals("redelivery") && outcome.success()) {
                db.update(WEBHOOK_MESSAGES).set(WEBHOOK_MESSAGES.STATE, "delivered")
                        .where(WEBHOOK_MESSAGES.USER_ID.eq(userId), WEBHOOK_MESSAGES.ID.eq(message.getId()),
                                WEBHOOK_MESSAGES.STATE.in("failed", "pending"))
                        .execute();
            }
            WebhookDeliveriesRecord delivery = db.insertInto(WEBHOOK_DELIVERIES)
                    .set(WEBHOOK_DELIVERIES.USER_ID, userId)
                    .set(WEBHOOK_DELIVERIES.ENDPOINT_ID, endpoint.getId())
                    .set(WEBHOOK_DELIVERIES.MESSAGE_ID, message.getId())
                    .set(WEBHOOK_DELIVERIES.ATTEMPT, attempt)
                    .set(WEBHOOK_DELIVERIES.TRIGGER, trigger)
                    .set(WEBHOOK_DELIVERIES.STATUS, outcome.success() ? "succeeded" : "failed")
                    .set(WEBHOOK_DELIVERIES.RESPONSE_STATUS, outcome.status())
                    .set(WEBHOOK_DELIVERIES.LATENCY_MS, outcome.latencyMs())
                    .set(WEBHOOK_DELIVERIES.ERROR, outcome.error())
                    .set(WEBHOOK_DELIVERIES.RESPONSE_BODY, outcome.body())
                    .set(WEBHOOK_DELIVERIES.NEXT_ATTEMPT_AT, nextAttempt)
                    .set(WEBHOOK_DELIVERIES.ATTEMPTED_AT, attemptedAt)
                    .returning().fetchSingle();
            if (scheduled) {
                health(endpoint, outcome.success(), done);
            }
            return new Attempt(delivery, message.getEventType());
        });
    }

    /** A scheduled attempt's effect on the endpoint: failing since when; disabled after failing for too long. */
    private void health(WebhookEndpointsRecord endpoint, boolean success, OffsetDateTime now) {
        String userId = endpoint.getUserId();
        if (success) {
            if (endpoint.getFailingSince() != null) {
                db.update(WEBHOOK_ENDPOINTS).set(WEBHOOK_ENDPOINTS.FAILING_SINCE, (OffsetDateTime) null)
                        .where(WEBHOOK_ENDPOINTS.USER_ID.eq(userId), WEBHOOK_ENDPOINTS.ID.eq(endpoint.getId())).execute();
                endpoint.setFailingSince(null);
            }
            return;
        }
        OffsetDateTime since = db.select(WEBHOOK_ENDPOINTS.FAILING_SINCE).from(WEBHOOK_ENDPOINTS)
                .where(WEBHOOK_ENDPOINTS.USER_ID.eq(userId), WEBHOOK_ENDPOINTS.ID.eq(endpoint.getId()))
                .fetchOne(WEBHOOK_ENDPOINTS.FAILING_SINCE);
        if (since == null) {
            db.update(WEBHOOK_ENDPOINTS).set(WEBHOOK_ENDPOINTS.FAILING_SINCE, now)
                    .where(WEBHOOK_ENDPOINTS.USER_ID.eq(userId), WEBHOOK_ENDPOINTS.ID.eq(endpoint.getId())).execute();
            endpoint.setFailingSince(now);
            return;
        }
        if (now.isAfter(since.plus(properties.disableAfter()))) {
            disable(endpoint, since, now);
        }
    }

    /**
     * Disables the endpoint and records an endpoint.disabled notice: in its own delivery log (a record, not sent:
     * the endpoint is not answering) and as an event for the user's other enabled endpoints that want that type.
     */
    private void disable(WebhookEndpointsRecord endpoint, OffsetDateTime since, OffsetDateTime now) {
        String userId = endpoint.getUserId();
        String reason = "every delivery failed since " + since.truncatedTo(ChronoUnit.SECONDS)
                + " (longer than " + properties.disableAfter() + ")";
        db.update(WEBHOOK_ENDPOINTS)
                .set(WEBHOOK_ENDPOINTS.ENABLED, false)
                .set(WEBHOOK_ENDPOINTS.DISABLED_REASON, reason)
                .set(WEBHOOK_ENDPOINTS.DISABLED_AT, now)
                .set(WEBHOOK_ENDPOINTS.UPDATED_AT, now)
                .where(WEBHOOK_ENDPOINTS.USER_ID.eq(userId), WEBHOOK_ENDPOINTS.ID.eq(endpoint.getId())).execute();
        endpoint.setEnabled(false);
        ObjectNode data = JSON.createObjectNode().put("id", endpoint.getId().toString()).put("reason", reason);
        String payload = payload("endpoint.disabled", now.toInstant(), data);
        WebhookMessagesRecord notice = db.insertInto(WEBHOOK_MESSAGES)
                .set(WEBHOOK_MESSAGES.USER_ID, userId)
                .set(WEBHOOK_MESSAGES.ENDPOINT_ID, endpoint.getId())
                .set(WEBHOOK_MESSAGES.POSITION, 0L)
                .set(WEBHOOK_MESSAGES.EVENT_TYPE, "endpoint.disabled")
                .set(WEBHOOK_MESSAGES.PAYLOAD, payload)
                .set(WEBHOOK_MESSAGES.STATE, "notice")
                .set(WEBHOOK_MESSAGES.CREATED_AT, now)
                .returning().fetchSingle();
        db.insertInto(WEBHOOK_DELIVERIES)
                .set(WEBHOOK_DELIVERIES.USER_ID, userId)
                .set(WEBHOOK_DELIVERIES.ENDPOINT_ID, endpoint.getId())
                .set(WEBHOOK_DELIVERIES.MESSAGE_ID, notice.getId())
                .set(WEBHOOK_DELIVERIES.ATTEMPT, 1)
                .set(WEBHOOK_DELIVERIES.TRIGGER, "notice")
                .set(WEBHOOK_DELIVERIES.STATUS, "skipped")
                .set(WEBHOOK_DELIVERIES.LATENCY_MS, 0)
                .set(WEBHOOK_DELIVERIES.ERROR, "endpoint disabled: " + reason)
                .set(WEBHOOK_DELIVERIES.ATTEMPTED_AT, now.plusNanos(1000))
                .execute();
        for (WebhookEndpointsRecord other : db.selectFrom(WEBHOOK_ENDPOINTS)
                .where(WEBHOOK_ENDPOINTS.USER_ID.eq(userId), WEBHOOK_ENDPOINTS.ENABLED.isTrue(), WEBHOOK_ENDPOINTS.ID.ne(endpoint.getId()))
                .fetch()) {
            if (wants(other, "endpoint.disabled")) {
                enqueue(other, "endpoint.disabled", payload, now);
                queue.wake(userId, other.getId());
            }
        }
    }

    /** Appends an event to the endpoint's queue (its next position). */
    void enqueue(WebhookEndpointsRecord endpoint, String type, String payload, OffsetDateTime now) {
        long position = db.update(WEBHOOK_ENDPOINTS)
                .set(WEBHOOK_ENDPOINTS.NEXT_POSITION, WEBHOOK_ENDPOINTS.NEXT_POSITION.plus(1))
                .where(WEBHOOK_ENDPOINTS.USER_ID.eq(endpoint.getUserId()), WEBHOOK_ENDPOINTS.ID.eq(endpoint.getId()))
                .returning(WEBHOOK_ENDPOINTS.NEXT_POSITION).fetchSingle().getNextPosition() - 1;
        db.insertInto(WEBHOOK_MESSAGES)
                .set(WEBHOOK_MESSAGES.USER_ID, endpoint.getUserId())
                .set(WEBHOOK_MESSAGES.ENDPOINT_ID, endpoint.getId())
                .set(WEBHOOK_MESSAGES.POSITION, position)
                .set(WEBHOOK_MESSAGES.EVENT_TYPE, type)
                .set(WEBHOOK_MESSAGES.PAYLOAD, payload)
                .set(WEBHOOK_MESSAGES.STATE, "pending")
                .set(WEBHOOK_MESSAGES.NEXT_ATTEMPT_AT, now)
                .set(WEBHOOK_MESSAGES.CREATED_AT, now)
                .execute();
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    static boolean wants(WebhookEndpointsRecord endpoint, String type) {
        return endpoint.getEventTypes() == null || List.of(endpoint.getEventTypes().split(" ")).contains(type);
    }

    static @Nullable List<String> types(WebhookEndpointsRecord endpoint) {
        return endpoint.getEventTypes() == null ? null : List.of(endpoint.getEventTypes().split(" "));
    }

    private static @Nullable String types(@Nullable List<String> types) {
        if (types == null) {
            return null;
        }
        List<String> known = EVENT_TYPES.stream().filter(types::contains).toList(); // the contract's order, once each
        return String.join(" ", known);
    }

    static String payload(String type, Instant timestamp, ObjectNode data) {
        ObjectNode event = JSON.createObjectNode();
        event.put("type", type);
        event.put("timestamp", timestamp.truncatedTo(ChronoUnit.MILLIS).toString());
        event.set("data", data);
        return JSON.writeValueAsString(event);
    }

    static String messageId(UUID id) {
        return "msg_" + id.toString().replace("-", "");
    }

    private static String[] decodeCursor(String cursor) {
        try {
            String[] at = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", -1);
            OffsetDateTime.parse(at[0]);
            UUID.fromString(at[1]);
            return at;
        } catch (RuntimeException e) {
            throw ApiException.validation("cursor", "INVALID_CURSOR", "is not a cursor this API issued");
        }
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    /** Entries of the feed, as events of one type each. */
    static String eventType(ChangeFeed.Entry entry) {
        return entry.kind() + (entry.deletedAt() == null ? ".upserted" : ".deleted");
    }
}
