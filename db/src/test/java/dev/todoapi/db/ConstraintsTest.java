package dev.todoapi.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.util.PSQLException;

/**
 * The rules the schema enforces by itself. One migrated database for the class; every test runs in a
 * transaction that is rolled back, and every expected violation runs under a savepoint, so one test
 * can try several rows.
 */
class ConstraintsTest {

    static final UUID LIST_A2 = UUID.fromString("a2a2a2a2-0000-4000-8000-00000000a2a2");
    static final String CHECK_VIOLATION = "23514";
    static final String UNIQUE_VIOLATION = "23505";
    static final String FOREIGN_KEY_VIOLATION = "23503";

    static final String USER_A = "user-a";
    static final String USER_B = "user-b";
    static final UUID TASK_A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    static final UUID LIST_A = UUID.fromString("00000000-0000-0000-0000-0000000000ca");
    static final UUID LIST_B = UUID.fromString("00000000-0000-0000-0000-0000000000cb");
    static final UUID TAG_A = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
    static final UUID TASK_B = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    static final UUID TAG_B = UUID.fromString("00000000-0000-0000-0000-0000000000b1");

    private static DataSource dataSource;
    private Connection c;

    @BeforeAll
    static void migrate() {
        dataSource = EmbeddedPostgresSupport.freshMigratedDatabase();
    }

    @BeforeEach
    void seed() throws SQLException {
        c = dataSource.getConnection();
        c.setAutoCommit(false);
        insertUser(USER_A, "ada@example.com", null);
        insertUser(USER_B, "bob@example.com", null);
        exec("INSERT INTO lists (user_id, id, name, position, is_default) VALUES (?, ?, 'Inbox', 'a0', true)", USER_A, LIST_A);
        exec("INSERT INTO lists (user_id, id, name, position, is_default) VALUES (?, ?, 'Inbox', 'a0', true)", USER_B, LIST_B);
        exec("INSERT INTO tasks (user_id, id, title, list_id, position, sort_path) VALUES (?, ?, 'Task A', ?, 'a0', 'a0')", USER_A, TASK_A, LIST_A);
        exec("INSERT INTO tasks (user_id, id, title, list_id, position, sort_path) VALUES (?, ?, 'Task B', ?, 'a0', 'a0')", USER_B, TASK_B, LIST_B);
        exec("INSERT INTO tags (user_id, id, name) VALUES (?, ?, 'Work')", USER_A, TAG_A);
        exec("INSERT INTO tags (user_id, id, name) VALUES (?, ?, 'Home')", USER_B, TAG_B);
    }

    @AfterEach
    void rollback() throws SQLException {
        c.rollback();
        c.close();
    }

    // ------------------------------------------------------------------ tasks

    // Note: btrim() strips spaces only, so a title of tabs/newlines passes tasks_title_length.
    @ParameterizedTest(name = "title \"{0}\"")
    @ValueSource(strings = {"", " ", "    "})
    void blankTitleIsRejected(String title) {
        assertRejected(CHECK_VIOLATION, "tasks_title_length", this::insertTask, USER_A, title, null, "medium");
    }

    @Test
    void titleIsAtMost200Characters() throws SQLException {
        assertRejected(CHECK_VIOLATION, "tasks_title_length", this::insertTask, USER_A, "x".repeat(201), null, "medium");
        // 200 after trimming but 201 in total is still too long
        assertRejected(CHECK_VIOLATION, "tasks_title_length", this::insertTask, USER_A, " " + "x".repeat(200), null, "low");
        insertTask(USER_A, "x".repeat(200), null, "medium");
        insertTask(USER_A, " y ", null, "medium");
    }

    @Test
    void descriptionIsAtMost1000Characters() throws SQLException {
        assertRejected(CHECK_VIOLATION, "tasks_description_length", this::insertTask,
                USER_A, "Title", "d".repeat(1001), "medium");
        insertTask(USER_A, "Title", "d".repeat(1000), "medium");
    }

    @Test
    void priorityIsLowMediumOrHigh() throws SQLException {
        assertRejected(CHECK_VIOLATION, "tasks_priority_values", this::insertTask, USER_A, "Title", null, "urgent");
        assertRejected(CHECK_VIOLATION, "tasks_priority_values", this::insertTask, USER_A, "Title", null, "HIGH");
        for (String priority : new String[] {"low", "medium", "high"}) {
            insertTask(USER_A, "Title", null, priority);
        }
    }

    // ------------------------------------------------------------------ tags

    @Test
    void tagColorIsAHexRgbValue() throws SQLException {
        String sql = "INSERT INTO tags (user_id, name, color) VALUES (?, ?, ?)";
        assertRejected(CHECK_VIOLATION, "tags_color_format", a -> exec(sql, a), USER_A, "Red", "red");
        assertRejected(CHECK_VIOLATION, "tags_color_format", a -> exec(sql, a), USER_A, "Short", "#12345");
        exec(sql, USER_A, "Mixed case", "#a1B2c3");
        exec(sql, USER_A, "No color", null);
    }

    @Test
    void tagNameIsUniquePerUserIgnoringCase() throws SQLException {
        String sql = "INSERT INTO tags (user_id, name) VALUES (?, ?)";
        assertRejected(UNIQUE_VIOLATION, "tags_user_name_lower_key", a -> exec(sql, a), USER_A, "work");
        assertRejected(UNIQUE_VIOLATION, "tags_user_name_lower_key", a -> exec(sql, a), USER_A, "WORK");
        exec(sql, USER_B, "WORK"); // another user may use the same name
        assertThat(count("SELECT count(*) FROM tags WHERE lower(name) = 'work'")).isEqualTo(2);
    }

    // ------------------------------------------------------------------ users

    @Test
    void emailOfOwnAccountsIsUniqueIgnoringCase() throws SQLException {
        // The uniqueness lives in user_emails, keyed by the lower-cased email (users carries no unique key but its id,
        // so it can be distributed by id on Citus).
        String claim = "INSERT INTO user_emails (email_lower, user_id) VALUES (?, ?)";
        exec(claim, "ada@example.com", USER_A);
        assertRejected(UNIQUE_VIOLATION, "user_emails_pkey", a -> exec(claim, a), "ada@example.com", "user-c");
        assertRejected(CHECK_VIOLATION, "user_emails_lowercase", a -> exec(claim, a), "ADA@Example.COM", "user-c");
        // Users of an external identity provider are keyed by subject, not by email.
        insertUser("https://idp.example.com|42", "ada@example.com", "https://idp.example.com");
    }

    // ------------------------------------------------------------------ lists

    @Test
    void aUserHasOneDefaultListAndListPositionsAreUnique() {
        String sql = "INSERT INTO lists (user_id, name, position, is_default) VALUES (?, ?, ?, ?)";
        assertRejected(UNIQUE_VIOLATION, "lists_one_default_key", a -> exec(sql, a), USER_A, "Second inbox", "a1", true);
        assertRejected(UNIQUE_VIOLATION, "lists_position_key", a -> exec(sql, a), USER_A, "Same place", "a0", false);
        assertRejected(CHECK_VIOLATION, "lists_name_length", a -> exec(sql, a), USER_A, "  ", "a1", false);
    }

    @Test
    void siblingsNeverShareAPositionTopLevelTasksIncluded() {
        assertRejected(UNIQUE_VIOLATION, "tasks_position_key",
                a -> exec("INSERT INTO tasks (user_id, title, list_id, position, sort_path) VALUES (?, 'Same place', ?, 'a0', 'a0')", a),
                USER_A, LIST_A);
    }

    @Test
    void aSubtaskIsInItsParentsListAndPathsAreUniqueInAList() throws SQLException {
        exec("INSERT INTO lists (user_id, id, name, position) VALUES (?, ?, 'Second', 'a1')", USER_A, LIST_A2);
        assertRejected(FOREIGN_KEY_VIOLATION, "tasks_parent_fkey",
                a -> exec("INSERT INTO tasks (user_id, title, list_id, parent_id, position, sort_path) VALUES (?, 'Elsewhere', ?, ?, 'a0', 'a0/a0')", a),
                USER_A, LIST_A2, TASK_A);
        assertRejected(UNIQUE_VIOLATION, "tasks_sort_path_key",
                a -> exec("INSERT INTO tasks (user_id, title, list_id, position, sort_path) VALUES (?, 'Same path', ?, 'a1', 'a0')", a),
                USER_A, LIST_A);
        assertRejected(CHECK_VIOLATION, "tasks_sort_path_length",
                a -> exec("INSERT INTO tasks (user_id, title, list_id, position, sort_path) VALUES (?, 'No path', ?, 'a1', '')", a),
                USER_A, LIST_A);
    }

    @Test
    void aTaskCannotBeInAnotherUsersList() {
        assertRejected(FOREIGN_KEY_VIOLATION, "tasks_list_fkey",
                a -> exec("INSERT INTO tasks (user_id, title, list_id, position, sort_path) VALUES (?, 'Mine', ?, 'a5', 'a5')", a), USER_A, LIST_B);
    }

    // ------------------------------------------------------------------ tenant isolation and cascades

    @Test
    void taskCannotBeTaggedWithAnotherUsersTag() {
        String sql = "INSERT INTO task_tags (user_id, task_id, tag_id) VALUES (?, ?, ?)";
        // A's task with B's tag, as A ...
        assertRejected(FOREIGN_KEY_VIOLATION, "task_tags_tag_fkey", a -> exec(sql, a), USER_A, TASK_A, TAG_B);
        // ... or as B.
        assertRejected(FOREIGN_KEY_VIOLATION, "task_tags_task_fkey", a -> exec(sql, a), USER_B, TASK_A, TAG_B);
    }

    @Test
    void deletingAUserDeletesAllItsRows() throws SQLException {
        exec("INSERT INTO task_tags (user_id, task_id, tag_id) VALUES (?, ?, ?)", USER_A, TASK_A, TAG_A);
        exec("INSERT INTO task_tags (user_id, task_id, tag_id) VALUES (?, ?, ?)", USER_B, TASK_B, TAG_B);
        for (String user : new String[] {USER_A, USER_B}) {
            exec("""
                    INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
                    VALUES (?, gen_random_uuid(), sha256(convert_to(?, 'UTF8')), now() + interval '30 days')""",
                    user, user);
            exec("""
                    INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, response_status, response_body)
                    VALUES (?, 'key-1', sha256('body'::bytea), 201, '{}')""", user);
        }
        String[] tables = {"tasks", "tags", "task_tags", "refresh_tokens", "idempotency_keys"};
        for (String table : tables) {
            assertThat(count("SELECT count(*) FROM " + table + " WHERE user_id = ?", USER_A)).as(table).isEqualTo(1);
        }

        assertThat(exec("DELETE FROM users WHERE id = ?", USER_A)).isEqualTo(1);

        for (String table : tables) {
            assertThat(count("SELECT count(*) FROM " + table + " WHERE user_id = ?", USER_A)).as(table).isZero();
            assertThat(count("SELECT count(*) FROM " + table + " WHERE user_id = ?", USER_B)).as(table).isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------ helpers

    @FunctionalInterface
    interface SqlCall {
        void call(Object... args) throws SQLException;
    }

    private void insertUser(Object... args) throws SQLException {
        // id, email, issuer; own accounts (issuer NULL) need a password hash
        exec("INSERT INTO users (id, email, issuer, password_hash) VALUES (?, ?, ?, CASE WHEN ?::text IS NULL THEN 'hash' END)",
                args[0], args[1], args[2], args[2]);
    }

    private void insertTask(Object... args) throws SQLException {
        // user_id, title, description, priority
        exec("INSERT INTO tasks (user_id, title, description, priority, list_id, position, sort_path)"
                + " SELECT ?, ?, ?, ?, id, k, k FROM lists, (SELECT 'a0' || substr(md5(random()::text), 1, 8) || 'V' AS k) AS key"
                + " WHERE user_id = ? AND is_default", args[0], args[1], args[2], args[3], args[0]);
    }

    private int exec(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }

    private long count(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Runs {@code call} under a savepoint and expects it to fail with {@code sqlState} on {@code constraint}. */
    private void assertRejected(String sqlState, String constraint, SqlCall call, Object... args) {
        Savepoint savepoint;
        try {
            savepoint = c.setSavepoint();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThatExceptionOfType(SQLException.class)
                .as("expected %s (%s) for %s", sqlState, constraint, java.util.Arrays.toString(args))
                .isThrownBy(() -> call.call(args))
                .satisfies(e -> {
                    assertThat(e.getSQLState()).as("SQLState of: " + e.getMessage()).isEqualTo(sqlState);
                    assertThat((Object) e).isInstanceOf(PSQLException.class);
                    assertThat(((PSQLException) e).getServerErrorMessage().getConstraint())
                            .as("violated constraint of: " + e.getMessage())
                            .isEqualTo(constraint);
                });
        try {
            c.rollback(savepoint);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
