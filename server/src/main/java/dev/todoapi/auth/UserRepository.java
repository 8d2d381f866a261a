package dev.todoapi.auth;

import static dev.todoapi.db.jooq.Tables.USERS;

import dev.todoapi.db.jooq.tables.records.UsersRecord;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Repository;

@Repository
public class UserRepository {

    private final DSLContext db;

    UserRepository(DSLContext db) {
        this.db = db;
    }

    public Optional<UsersRecord> findById(String id) {
        return db.selectFrom(USERS).where(USERS.ID.eq(id)).fetchOptional();
    }

    /** Accounts registered here, by email, case-insensitively (served by users_email_lower_key). */
    Optional<UsersRecord> findLocalByEmail(String email) {
        return db.selectFrom(USERS)
                .where(DSL.lower(USERS.EMAIL).eq(DSL.lower(DSL.val(email))))
                .and(USERS.ISSUER.isNull())
                .fetchOptional();
    }

    /** Throws Spring's DuplicateKeyException when the email is taken. */
    UsersRecord insertLocal(String id, String email, String passwordHash, @Nullable String name) {
        return db.insertInto(USERS)
                .set(USERS.ID, id)
                .set(USERS.EMAIL, email)
                .set(USERS.PASSWORD_HASH, passwordHash)
                .set(USERS.NAME, name)
                .returning()
                .fetchSingle();
    }

    /** Creates the row of an external identity on first sight; returns the row as it now is. */
    UsersRecord insertExternalIfAbsent(String id, String email, String issuer) {
        db.insertInto(USERS)
                .set(USERS.ID, id)
                .set(USERS.EMAIL, email)
                .set(USERS.ISSUER, issuer)
                .onConflict(USERS.ID)
                .doNothing()
                .execute();
        return db.selectFrom(USERS).where(USERS.ID.eq(id)).fetchSingle();
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

    /** Deletes the user; every tenant table cascades. */
    boolean delete(String id) {
        return db.deleteFrom(USERS).where(USERS.ID.eq(id)).execute() == 1;
    }
}
