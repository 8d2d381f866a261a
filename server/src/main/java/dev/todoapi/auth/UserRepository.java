package dev.todoapi.auth;

import static dev.todoapi.db.jooq.Tables.USERS;
import static dev.todoapi.db.jooq.Tables.USER_EMAILS;

import dev.todoapi.db.jooq.tables.records.UsersRecord;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;
import dev.todoapi.database.RenderedSql;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Repository;

@Repository
public class UserRepository {

    private final DSLContext db;
    /** Rendered once: building and rendering the query was a fifth of what /auth/me cost (2026-12-03-tuning.md). */
    private final RenderedSql.Prepared byId;

    UserRepository(DSLContext db, RenderedSql rendered) {
        this.db = db;
        this.byId = rendered.prepare(db.selectFrom(USERS).where(USERS.ID.eq(DSL.param("id", String.class))), 1);
    }

    public Optional<UsersRecord> findById(String id) {
        return byId.bind(id).fetchOptional(row -> row.into(USERS));
    }

    /**
     * Accounts registered here, by email, case-insensitively: the owner from user_emails (keyed by the email),
     * then the user by id; two single-shard statements where one would touch every shard of users.
     */
    Optional<UsersRecord> findLocalByEmail(String email) {
        return db.select(USER_EMAILS.USER_ID).from(USER_EMAILS)
                .where(USER_EMAILS.EMAIL_LOWER.eq(email.toLowerCase(Locale.ROOT)))
                .fetchOptional(USER_EMAILS.USER_ID)
                .flatMap(this::findById)
                .filter(user -> user.getIssuer() == null);
    }

    /**
     * A local account, claiming its email in user_emails in the same transaction. Throws Spring's
     * DuplicateKeyException when the email is taken (the caller's transaction then rolls the user back).
     */
    UsersRecord insertLocal(String id, String email, String passwordHash, @Nullable String name) {
        db.insertInto(USER_EMAILS)
                .set(USER_EMAILS.EMAIL_LOWER, email.toLowerCase(Locale.ROOT))
                .set(USER_EMAILS.USER_ID, id)
                .execute();
        return db.insertInto(USERS)
                .set(USERS.ID, id)
                .set(USERS.EMAIL, email)
                .set(USERS.PASSWORD_HASH, passwordHash)
                .set(USERS.NAME, name)
                .returning()
                .fetchSingle();
    }

    /** Creates the row of an external identity on first sight; true when this call created it. */
    boolean insertExternalIfAbsent(String id, String email, String issuer) {
        return db.insertInto(USERS)
                .set(USERS.ID, id)
                .set(USERS.EMAIL, email)
                .set(USERS.ISSUER, issuer)
                .onConflict(USERS.ID)
                .doNothing()
                .execute() == 1;
    }

    Optional<UsersRecord> updateName(String id, String name) {
        return db.update(USERS)
                .set(USERS.NAME, name)
                .set(USERS.UPDATED_AT, OffsetDateTime.now())
                .where(USERS.ID.eq(id))
                .returning()
                .fetchOptional();
    }

    void updatePasswordHash(String id, String passwordHash) {
        db.update(USERS)
                .set(USERS.PASSWORD_HASH, passwordHash)
                .set(USERS.UPDATED_AT, OffsetDateTime.now())
                .where(USERS.ID.eq(id))
                .execute();
    }

    /** Deletes the user (every tenant table cascades) and frees its email; call in a transaction. */
    boolean delete(String id) {
        Optional<UsersRecord> user = findById(id);
        if (user.isEmpty()) {
            return false;
        }
        if (user.get().getIssuer() == null) {
            db.deleteFrom(USER_EMAILS)
                    .where(USER_EMAILS.EMAIL_LOWER.eq(user.get().getEmail().toLowerCase(Locale.ROOT)), USER_EMAILS.USER_ID.eq(id))
                    .execute();
        }
        return db.deleteFrom(USERS).where(USERS.ID.eq(id)).execute() == 1;
    }
}
