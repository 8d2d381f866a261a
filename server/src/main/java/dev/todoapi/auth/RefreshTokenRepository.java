package dev.todoapi.auth;

import static dev.todoapi.db.jooq.Tables.REFRESH_TOKENS;

import dev.todoapi.db.jooq.tables.records.RefreshTokensRecord;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

@Repository
class RefreshTokenRepository {

    private final DSLContext db;

    RefreshTokenRepository(DSLContext db) {
        this.db = db;
    }

    void insert(String userId, UUID familyId, byte[] tokenHash, OffsetDateTime expiresAt) {
        db.insertInto(REFRESH_TOKENS)
                .set(REFRESH_TOKENS.USER_ID, userId)
                .set(REFRESH_TOKENS.FAMILY_ID, familyId)
                .set(REFRESH_TOKENS.TOKEN_HASH, tokenHash)
                .set(REFRESH_TOKENS.EXPIRES_AT, expiresAt)
                .execute();
    }

    /** The user's token with this hash, locked until the transaction ends so concurrent rotations serialize. */
    Optional<RefreshTokensRecord> findForUpdate(String userId, byte[] tokenHash) {
        return db.selectFrom(REFRESH_TOKENS)
                .where(REFRESH_TOKENS.USER_ID.eq(userId), REFRESH_TOKENS.TOKEN_HASH.eq(tokenHash))
                .forUpdate()
                .fetchOptional();
    }

    /**
     * The owner of a token issued before tokens named their user: a lookup by hash over every user's tokens
     * (no lock, so Citus runs it across shards), kept only until such tokens have expired (REFRESH_TOKEN_TTL after
     * the upgrade).
     */
    Optional<String> findUserOfUnnamedToken(byte[] tokenHash) {
        return db.select(REFRESH_TOKENS.USER_ID).from(REFRESH_TOKENS)
                .where(REFRESH_TOKENS.TOKEN_HASH.eq(tokenHash))
                .fetchOptional(REFRESH_TOKENS.USER_ID);
    }

    void markRotated(String userId, UUID id, OffsetDateTime at) {
        db.update(REFRESH_TOKENS)
                .set(REFRESH_TOKENS.ROTATED_AT, at)
                .where(REFRESH_TOKENS.USER_ID.eq(userId), REFRESH_TOKENS.ID.eq(id))
                .execute();
    }

    void revokeFamily(String userId, UUID familyId, OffsetDateTime at) {
        db.update(REFRESH_TOKENS)
                .set(REFRESH_TOKENS.REVOKED_AT, at)
                .where(REFRESH_TOKENS.USER_ID.eq(userId), REFRESH_TOKENS.FAMILY_ID.eq(familyId))
                .and(REFRESH_TOKENS.REVOKED_AT.isNull())
                .execute();
    }

    void revokeAll(String userId, OffsetDateTime at) {
        db.update(REFRESH_TOKENS)
                .set(REFRESH_TOKENS.REVOKED_AT, at)
                .where(REFRESH_TOKENS.USER_ID.eq(userId))
                .and(REFRESH_TOKENS.REVOKED_AT.isNull())
                .execute();
    }
}
