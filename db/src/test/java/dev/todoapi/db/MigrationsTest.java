package dev.todoapi.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MigrationsTest {

    private static final Pattern VERSIONED = Pattern.compile("V(\\d+(?:[._]\\d+)*)__.+\\.sql");

    @Test
    void allMigrationsApplyToAnEmptyDatabase() throws Exception {
        DataSource ds = EmbeddedPostgresSupport.freshDatabase();
        Flyway flyway = EmbeddedPostgresSupport.flyway(ds).load();

        flyway.migrate();

        List<MigrationVersion> files = migrationFileVersions();
        assertThat(files).as("migration files on the classpath").isNotEmpty();
        assertThat(flyway.info().pending()).as("pending migrations").isEmpty();
        assertThat(flyway.info().applied()).as("applied migrations").hasSize(files.size());
        assertThat(flyway.info().current().getVersion()).isEqualTo(files.getLast());
        flyway.validate(); // checksums of the applied migrations match the files
    }

    // ------------------------------------------------------------------ upgrades keep existing rows

    /**
     * Migrate an empty database to {@code fromVersion}, {@code seed} it with plain SQL that is valid for
     * that version's schema, migrate to the latest version, then {@code verify} the rows survived (and
     * were transformed as intended).
     *
     * <p>Seeds and checks are plain SQL on purpose: the generated jOOQ classes describe the latest
     * schema, not the schema at {@code fromVersion}.
     */
    record UpgradeScenario(String description, String fromVersion, SqlStep seed, SqlStep verify) {
        @Override
        public String toString() {
            return description;
        }
    }

    @FunctionalInterface
    interface SqlStep {
        void run(Connection c) throws SQLException;
    }

    /**
     * One scenario per migration that changes tables holding data. With only V1 there is nothing to
     * upgrade yet, so the single scenario migrates "to V1", seeds, migrates to latest (a no-op today)
     * and checks the rows; it keeps the harness exercised.
     *
     * <p>When V2 arrives (say it adds {@code tasks.position}), add
     * <pre>{@code
     * new UpgradeScenario("V1 -> latest keeps tasks and fills position", "1",
     *         MigrationsTest::seedV1, c -> { verifyV1Rows(c); assertTasksHavePosition(c); })
     * }</pre>
     * i.e. seed at N-1 (here "1"), verify after latest. Keep the V1 seed (it only uses V1 columns);
     * for V3 add a scenario starting at "2" whose seed may use V2 columns, and so on.
     */
    static Stream<UpgradeScenario> upgradeScenarios() {
        return Stream.of(new UpgradeScenario(
                "V1 -> latest keeps users, tasks, tags, task_tags", "1",
                MigrationsTest::seedV1, MigrationsTest::verifyV1Rows),
                new UpgradeScenario(
                "V2 -> latest keeps the rows and marks completed recurring tasks as having spawned their next occurrence", "2",
                c -> { seedV1(c); seedOpenRecurringTask(c); },
                c -> { verifyV1Rows(c); verifyNextOccurrenceCreated(c); }),
                new UpgradeScenario(
                "V3 -> latest keeps the rows and gives every local account its user_emails row", "3",
                c -> { seedV1(c); seedExternalUser(c); },
                c -> { verifyV1Rows(c); verifyUserEmails(c); }),
                new UpgradeScenario(
                "V4 -> latest gives every user an Inbox holding all of their tasks, newest first as before", "4",
                c -> { seedV1(c); seedOpenRecurringTask(c); seedOtherUsersTasks(c); },
                c -> { verifyV1Rows(c); verifyInboxes(c); }),
                new UpgradeScenario(
                "V6 -> latest gives every task a position among its siblings, in the order it showed in (newest first)", "6",
                MigrationsTest::seedV6Siblings, MigrationsTest::verifyPositions),
                new UpgradeScenario(
                "V7 -> latest gives every task its sort path (the positions from its root), so a list sorts depth-first", "7",
                MigrationsTest::seedV7Tree, MigrationsTest::verifySortPaths),
                new UpgradeScenario(
                "V8 -> latest keeps every row, as change 0 of the feed (a full sync returns it), with no tombstones", "8",
                MigrationsTest::seedV8, c -> assertThat(row(c, "SELECT string_agg(title || '=' || sort_path || '@' || change_seq, ','"
                        + " ORDER BY sort_path), (SELECT string_agg(name || '@' || change_seq, ',') FROM lists),"
                        + " (SELECT string_agg(name || '@' || change_seq, ',') FROM tags),"
                        + " (SELECT count(*) FROM tombstones)::text, (SELECT count(*) FROM change_counters)::text FROM tasks"))
                        .containsExactly("A=a0@0,A1=a0/a0@0,B=a1@0", "Inbox@0", "home@0", "0", "0")));
    }

    static void seedV8(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO users (id, email, password_hash) VALUES ('user-9', 'nine@example.com', 'hash')");
            st.executeUpdate("INSERT INTO lists (user_id, id, name, position, is_default) VALUES ('user-9', md5('l9')::uuid, 'Inbox', 'a0', true)");
            st.executeUpdate("INSERT INTO tags (user_id, id, name) VALUES ('user-9', md5('g9')::uuid, 'home')");
            st.executeUpdate("INSERT INTO tasks (user_id, id, list_id, position, sort_path, title) VALUES"
                    + " ('user-9', md5('a')::uuid, md5('l9')::uuid, 'a0', 'a0', 'A'), ('user-9', md5('b')::uuid, md5('l9')::uuid, 'a1', 'a1', 'B')");
            st.executeUpdate("INSERT INTO tasks (user_id, list_id, parent_id, position, sort_path, title) VALUES"
                    + " ('user-9', md5('l9')::uuid, md5('a')::uuid, 'a0', 'a0/a0', 'A1')");
            st.executeUpdate("INSERT INTO task_tags (user_id, task_id, tag_id) VALUES ('user-9', md5('a')::uuid, md5('g9')::uuid)");
        }
    }

    /** Two users' trees four levels deep, in two lists, with sibling keys that are prefixes of each other. */
    static void seedV7Tree(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String user : List.of("user-7", "user-8")) {
                st.executeUpdate("INSERT INTO users (id, email, password_hash) VALUES ('%s', '%s@example.com', 'hash')".formatted(user, user));
                st.executeUpdate("INSERT INTO lists (user_id, id, name, position, is_default) VALUES ('%s', md5('%s-inbox')::uuid, 'Inbox', 'a0', true),"
                        .formatted(user, user) + " ('%s', md5('%s-work')::uuid, 'Work', 'a1', false)".formatted(user, user));
                String insert = "INSERT INTO tasks (user_id, id, list_id, parent_id, position, title) VALUES ('" + user
                        + "', md5('%s-%s')::uuid, md5('%s-%s')::uuid, %s, '%s', '%s')";
                // Inbox: A (a0) > A1 (a0) > A1x (a0V) > A1x9 (Zz); A0V (a0V, a sibling of A after it); B (a1) > B1 (a0).
                Object[][] tasks = {
                        {"A", "inbox", null, "a0"}, {"A1", "inbox", "A", "a0"}, {"A1x", "inbox", "A1", "a0V"},
                        {"A1x9", "inbox", "A1x", "Zz"}, {"A0V", "inbox", null, "a0V"}, {"B", "inbox", null, "a1"},
                        {"B1", "inbox", "B", "a0"}, {"W", "work", null, "a0"}, {"W1", "work", "W", "a0"}};
                for (Object[] t : tasks) {
                    String parent = t[2] == null ? "NULL" : "md5('" + user + "-" + t[2] + "')::uuid";
                    st.executeUpdate(insert.formatted(user, t[0], user, t[1], parent, t[3], t[0]));
                }
            }
        }
    }

    static void verifySortPaths(Connection c) throws SQLException {
        for (String user : List.of("user-7", "user-8")) {
            assertThat(row(c, "SELECT string_agg(title || '=' || sort_path, ',' ORDER BY sort_path) FROM tasks"
                    + " WHERE user_id = '" + user + "' AND list_id = md5('" + user + "-inbox')::uuid"))
                    .containsExactly("A=a0,A1=a0/a0,A1x=a0/a0/a0V,A1x9=a0/a0/a0V/Zz,A0V=a0V,B=a1,B1=a1/a0");
            assertThat(row(c, "SELECT string_agg(title || '=' || sort_path, ',' ORDER BY sort_path) FROM tasks"
                    + " WHERE user_id = '" + user + "' AND list_id = md5('" + user + "-work')::uuid"))
                    .containsExactly("W=a0,W1=a0/a0");
        }
    }

    /** 4,000 top-level tasks in one list (past the a.. and b.. keys) and 70 subtasks of one of them. */
    static void seedV6Siblings(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO users (id, email, password_hash) VALUES ('user-6', 'six@example.com', 'hash')");
            st.executeUpdate("INSERT INTO lists (user_id, id, name, position, is_default) VALUES "
                    + "('user-6', '" + LIST_6 + "', 'Inbox', 'a0', true)");
            st.executeUpdate("""
                    INSERT INTO tasks (user_id, id, list_id, title, created_at)
                    SELECT 'user-6', md5('t' || g)::uuid, '%s', 'T' || g, timestamptz '2025-01-01' + (g / 3) * interval '1 minute'
                    FROM generate_series(1, 4000) AS g""".formatted(LIST_6));
            st.executeUpdate("""
                    INSERT INTO tasks (user_id, list_id, parent_id, title, created_at)
                    SELECT 'user-6', '%s', md5('t1')::uuid, 'S' || g, timestamptz '2025-06-01' + g * interval '1 second'
                    FROM generate_series(1, 70) AS g""".formatted(LIST_6));
        }
    }

    static final String LIST_6 = "6a6a6a6a-6b6b-4c6c-8d6d-6e6e6e6e6e6e";

    static void verifyPositions(Connection c) throws SQLException {
        for (String siblings : List.of("parent_id IS NULL", "parent_id = md5('t1')::uuid")) {
            assertThat(row(c, "SELECT (string_agg(title, ',' ORDER BY position COLLATE \"C\")"
                    + " = string_agg(title, ',' ORDER BY created_at DESC, id DESC))::text, (count(DISTINCT position) = count(*))::text"
                    + " FROM tasks WHERE user_id = 'user-6' AND " + siblings)).as(siblings).containsExactly("true", "true");
        }
        // Valid order keys (OrderKeys.isValid: a head a-z, as many base-62 digits as it says, no trailing 0).
        assertThat(row(c, "SELECT count(*)::text FROM tasks WHERE user_id = 'user-6' AND NOT ("
                + "position ~ '^(a[0-9A-Za-z]|b[0-9A-Za-z]{2}|c[0-9A-Za-z]{3}|d[0-9A-Za-z]{4})$')")).containsExactly("0");
        assertThat(row(c, "SELECT min(position), max(position) FROM tasks WHERE user_id = 'user-6' AND parent_id IS NULL"))
                .containsExactly("a0", "c01V"); // the 4,000th key of the sequence: a0..az, b00..bzz, c000, ..., c01V
    }

    static void seedOtherUsersTasks(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO users (id, email, password_hash) VALUES ('user-2', 'bob@example.com', 'hash')");
            st.executeUpdate("""
                    INSERT INTO tasks (user_id, title, created_at)
                    SELECT 'user-2', 'Bob ' || g, timestamptz '2025-02-01' + g * interval '1 minute'
                    FROM generate_series(1, 30) AS g""");
            st.executeUpdate("INSERT INTO users (id, email, issuer) VALUES ('idp|9', 'x@example.com', 'https://idp.example.com')");
        }
    }

    /** Every user has exactly one list, the default Inbox, and every task is in its owner's Inbox, order unchanged. */
    static void verifyInboxes(Connection c) throws SQLException {
        assertThat(row(c, "SELECT count(*)::text, count(DISTINCT user_id)::text, bool_and(is_default)::text,"
                + " bool_and(name = 'Inbox')::text FROM lists")).containsExactly("3", "3", "true", "true");
        assertThat(row(c, "SELECT count(*)::text FROM tasks t JOIN lists l ON l.user_id = t.user_id AND l.id = t.list_id"
                + " WHERE l.is_default")).containsExactly(row(c, "SELECT count(*)::text FROM tasks").get(0));
        assertThat(row(c, "SELECT string_agg(title, ',' ORDER BY created_at DESC, id DESC) FROM tasks WHERE user_id = 'user-2'"))
                .containsExactly(row(c, "SELECT string_agg(t.title, ',' ORDER BY t.created_at DESC, t.id DESC) FROM tasks t"
                        + " JOIN lists l ON l.user_id = t.user_id AND l.id = t.list_id WHERE t.user_id = 'user-2'").get(0));
    }

    static void seedExternalUser(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO users (id, email, issuer) VALUES ('idp|7', 'ada@example.com', 'https://idp.example.com')");
        }
    }

    /** The local account's email, lower-cased, names it; the external identity (same email) has no row. */
    static void verifyUserEmails(Connection c) throws SQLException {
        assertThat(row(c, "SELECT email_lower, user_id FROM user_emails")).containsExactly("ada@example.com", USER_ID);
    }

    static final String OPEN_TASK_ID = "7a2e3f4d-5b6c-4d7e-8f90-a1b2c3d4e5f6";

    static void seedOpenRecurringTask(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("""
                    INSERT INTO tasks (user_id, id, title, priority, due_date, recurrence_rule)
                    VALUES ('%s', '%s', 'Water plants', 'low', '2025-01-06T08:00:00Z', 'FREQ=DAILY')"""
                    .formatted(USER_ID, OPEN_TASK_ID));
        }
    }

    /** The completed recurring task spawned its occurrence when it was completed; the open one has not yet. */
    static void verifyNextOccurrenceCreated(Connection c) throws SQLException {
        assertThat(row(c, "SELECT next_occurrence_created::text FROM tasks WHERE user_id = '" + USER_ID
                + "' AND id = '" + TASK_ID + "'")).containsExactly("true");
        assertThat(row(c, "SELECT next_occurrence_created::text, title FROM tasks WHERE user_id = '" + USER_ID
                + "' AND id = '" + OPEN_TASK_ID + "'")).containsExactly("false", "Water plants");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upgradeScenarios")
    void upgradeKeepsExistingRows(UpgradeScenario scenario) throws SQLException {
        DataSource ds = EmbeddedPostgresSupport.freshDatabase();

        EmbeddedPostgresSupport.flyway(ds).target(scenario.fromVersion()).load().migrate();
        MigrationInfo current = EmbeddedPostgresSupport.flyway(ds).load().info().current();
        assertThat(current.getVersion()).isEqualTo(MigrationVersion.fromVersion(scenario.fromVersion()));

        try (Connection c = ds.getConnection()) {
            scenario.seed().run(c);
        }

        Flyway latest = EmbeddedPostgresSupport.flyway(ds).load();
        latest.migrate();
        assertThat(latest.info().pending()).isEmpty();

        try (Connection c = ds.getConnection()) {
            scenario.verify().run(c);
        }
    }

    static final String USER_ID = "user-1";
    static final String TASK_ID = "6f1d1f0e-9d7b-4f55-8a3c-1b2c3d4e5f60";
    static final String TAG_ID = "0a7c5b7e-2f43-4d1a-9a61-7e6f5d4c3b2a";

    /** Representative rows valid for the V1 schema. */
    static void seedV1(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("""
                    INSERT INTO users (id, email, password_hash, name, created_at, updated_at)
                    VALUES ('%s', 'Ada@Example.com', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA', 'Ada',
                            '2025-01-02T03:04:05.123456Z', '2025-01-02T03:04:05.123456Z')""".formatted(USER_ID));
            st.executeUpdate("""
                    INSERT INTO tasks (user_id, id, title, description, completed, completed_at, priority,
                                       due_date, recurrence_rule, version, created_at, updated_at)
                    VALUES ('%s', '%s', 'Write the report', 'Quarterly numbers', true, '2025-01-03T00:00:00Z',
                            'high', '2025-01-05T12:00:00Z', 'FREQ=WEEKLY', 3,
                            '2025-01-02T03:04:05.123456Z', '2025-01-03T00:00:00Z')""".formatted(USER_ID, TASK_ID));
            st.executeUpdate("""
                    INSERT INTO tags (user_id, id, name, color) VALUES ('%s', '%s', 'Work', '#1E90FF')"""
                    .formatted(USER_ID, TAG_ID));
            st.executeUpdate("INSERT INTO task_tags (user_id, task_id, tag_id) VALUES ('%s', '%s', '%s')"
                    .formatted(USER_ID, TASK_ID, TAG_ID));
        }
    }

    static void verifyV1Rows(Connection c) throws SQLException {
        assertThat(row(c, "SELECT email, name, (password_hash IS NOT NULL)::text,"
                + " (created_at = '2025-01-02T03:04:05.123456Z')::text"
                + " FROM users WHERE id = '" + USER_ID + "'"))
                .containsExactly("Ada@Example.com", "Ada", "true", "true");
        assertThat(row(c, "SELECT title, description, completed::text, priority, recurrence_rule, version::text,"
                + " (completed_at = '2025-01-03T00:00:00Z')::text FROM tasks WHERE user_id = '" + USER_ID
                + "' AND id = '" + TASK_ID + "'"))
                .containsExactly("Write the report", "Quarterly numbers", "true", "high", "FREQ=WEEKLY", "3", "true");
        assertThat(row(c, "SELECT name, color FROM tags WHERE user_id = '" + USER_ID + "' AND id = '" + TAG_ID + "'"))
                .containsExactly("Work", "#1E90FF");
        assertThat(row(c, "SELECT count(*)::text FROM task_tags WHERE user_id = '" + USER_ID + "' AND task_id = '"
                + TASK_ID + "' AND tag_id = '" + TAG_ID + "'"))
                .containsExactly("1");
    }

    /** The single row of {@code sql} as strings (empty if there is no row). */
    static List<String> row(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                return List.of();
            }
            int n = rs.getMetaData().getColumnCount();
            String[] values = new String[n];
            for (int i = 0; i < n; i++) {
                values[i] = rs.getString(i + 1);
            }
            assertThat(rs.next()).as("more than one row for " + sql).isFalse();
            return List.of(values);
        }
    }

    /** Versions of the V*__*.sql files in classpath:db/migration, ascending. */
    static List<MigrationVersion> migrationFileVersions() throws IOException, URISyntaxException {
        URL dir = MigrationsTest.class.getClassLoader().getResource("db/migration");
        assertThat(dir).as("classpath:db/migration").isNotNull();
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            return files.map(p -> VERSIONED.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> MigrationVersion.fromVersion(m.group(1)))
                    .sorted(Comparator.naturalOrder())
                    .toList();
        }
    }
}
