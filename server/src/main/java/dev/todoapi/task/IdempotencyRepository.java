package dev.todoapi.task;

import static dev.todoapi.db.jooq.Tables.IDEMPOTENCY_KEYS;

import dev.todoapi.db.jooq.tables.records.IdempotencyKeysRecord;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

@Repository
class IdempotencyRepository {

    private final DSLContext db;

    IdempotencyRepository(DSLContext db) {
        this.db = db;
    }

    /**
     * Claims the key for this request. Returns false when the key is already taken; a concurrent request
     * with the same key waits here until the first one commits.
     */
    boolean claim(String userId, String key, byte[] requestHash) {
        return db.insertInto(IDEMPOTENCY_KEYS)
                .set(IDEMPOTENCY_KEYS.USER_ID, userId)
                .set(IDEMPOTENCY_KEYS.IDEMPOTENCY_KEY, key)
                .set(IDEMPOTENCY_KEYS.REQUEST_HASH, requestHash)
                .set(IDEMPOTENCY_KEYS.RESPONSE_STATUS, 0)
                .set(IDEMPOTENCY_KEYS.RESPONSE_BODY, "")
                .onConflictDoNothing()
                .execute() == 1;
    }

    Optional<IdempotencyKeysRecord> find(String userId, String key) {
        return db.selectFrom(IDEMPOTENCY_KEYS)
                .where(IDEMPOTENCY_KEYS.USER_ID.eq(userId), IDEMPOTENCY_KEYS.IDEMPOTENCY_KEY.eq(key))
                .fetchOptional();
    }

    void complete(String userId, String key, int status, String body, UUID resourceId) {
        db.update(IDEMPOTENCY_KEYS)
                .set(IDEMPOTENCY_KEYS.RESPONSE_STATUS, status)
                .set(IDEMPOTENCY_KEYS.RESPONSE_BODY, body)
                .set(IDEMPOTENCY_KEYS.RESOURCE_ID, resourceId)
                .where(IDEMPOTENCY_KEYS.USER_ID.eq(userId), IDEMPOTENCY_KEYS.IDEMPOTENCY_KEY.eq(key))
                .execute();
    }

    int deleteOlderThan(Duration age) {
        return db.deleteFrom(IDEMPOTENCY_KEYS)
                .where(IDEMPOTENCY_KEYS.CREATED_AT.lt(OffsetDateTime.now().minus(age)))
                .execute();
    }
}
