package dev.todoapi.db;

import static dev.todoapi.db.jooq.Tables.REFRESH_TOKENS;
import static dev.todoapi.db.jooq.Tables.TAGS;
import static dev.todoapi.db.jooq.Tables.TASKS;
import static dev.todoapi.db.jooq.Tables.TASK_TAGS;
import static dev.todoapi.db.jooq.Tables.USERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.todoapi.db.jooq.Keys;
import dev.todoapi.db.jooq.tables.records.RefreshTokensRecord;
import dev.todoapi.db.jooq.tables.records.TasksRecord;
import dev.todoapi.db.jooq.tables.records.UsersRecord;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/** The generated classes work against PostgreSQL as generated (types, keys, unqualified names). */
class JooqModelRoundTripTest {

    @Test
    void rendersUnqualifiedTableNames() {
        String sql = DSL.using(SQLDialect.POSTGRES).selectFrom(TASKS).where(TASKS.USER_ID.eq("u")).getSQL();
        assertThat(sql).contains("from \"tasks\"").doesNotContainIgnoringCase("public");
    }

    @Test
    void recordsRoundTrip() {
        DSLContext db = DSL.using(EmbeddedPostgresSupport.freshMigratedDatabase(), SQLDialect.POSTGRES);

        UsersRecord user = db.newRecord(USERS).setId("user-1").setEmail("ada@example.com").setPasswordHash("hash");
        user.store();
        user.refresh();
        assertThat(user.getCreatedAt()).isNotNull();

        OffsetDateTime due = OffsetDateTime.of(2030, 1, 2, 3, 4, 5, 123_456_000, ZoneOffset.ofHours(2));
        java.util.UUID inbox = db.insertInto(dev.todoapi.db.jooq.Tables.LISTS)
                .set(dev.todoapi.db.jooq.Tables.LISTS.USER_ID, "user-1")
                .set(dev.todoapi.db.jooq.Tables.LISTS.NAME, "Inbox")
                .set(dev.todoapi.db.jooq.Tables.LISTS.POSITION, "a0")
                .set(dev.todoapi.db.jooq.Tables.LISTS.IS_DEFAULT, true)
                .returning(dev.todoapi.db.jooq.Tables.LISTS.ID)
                .fetchSingle().getId();
        TasksRecord task = db.insertInto(TASKS)
                .set(TASKS.USER_ID, "user-1")
                .set(TASKS.LIST_ID, inbox)
                .set(TASKS.POSITION, "a0")
                .set(TASKS.SORT_PATH, "a0")
                .set(TASKS.TITLE, "Write the report")
                .set(TASKS.DUE_DATE, due)
                .returning()
                .fetchSingle();
        assertThat(task.getId()).isNotNull(); // gen_random_uuid() default
        assertThat(task.getPriority()).isEqualTo("medium");
        assertThat(task.getVersion()).isEqualTo(1);
        assertThat(task.getDueDate().isEqual(due)).as("timestamptz round trip: %s", task.getDueDate()).isTrue();

        UUID tagId = db.insertInto(TAGS, TAGS.USER_ID, TAGS.NAME).values("user-1", "Work")
                .returning(TAGS.ID).fetchSingle(TAGS.ID);
        db.insertInto(TASK_TAGS).set(TASK_TAGS.USER_ID, "user-1").set(TASK_TAGS.TASK_ID, task.getId())
                .set(TASK_TAGS.TAG_ID, tagId).execute();

        byte[] hash = new byte[32];
        hash[31] = 7;
        RefreshTokensRecord token = db.newRecord(REFRESH_TOKENS)
                .setUserId("user-1")
                .setFamilyId(UUID.randomUUID())
                .setTokenHash(hash)
                .setExpiresAt(OffsetDateTime.now().plusDays(30).truncatedTo(ChronoUnit.MICROS));
        token.store();
        assertThat(db.fetchSingle(REFRESH_TOKENS, REFRESH_TOKENS.TOKEN_HASH.eq(hash)).getTokenHash()).isEqualTo(hash);

        // optimistic update through the primary key
        task.setCompleted(true).setCompletedAt(OffsetDateTime.now()).setVersion(task.getVersion() + 1);
        assertThat(task.update()).isEqualTo(1);
        assertThat(db.fetchCount(TASK_TAGS.join(TASKS).onKey().join(TAGS).onKey(Keys.TASK_TAGS_TAG_FKEY)))
                .isEqualTo(1);
    }
}
