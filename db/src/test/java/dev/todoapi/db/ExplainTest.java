package dev.todoapi.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The task list is served by {@code tasks_user_created_idx} for the first page and for keyset
 * continuations, without sorting: the plan must be an index scan on it and contain no Sort node.
 */
class ExplainTest {

    static final String INDEX = "tasks_user_created_idx";
    static final String MAIN_USER = "busy-user";

    static final String FIRST_PAGE =
            "SELECT * FROM tasks WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT 50";
    static final String NEXT_PAGE =
            "SELECT * FROM tasks WHERE user_id = ? AND (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT 50";

    private static DataSource dataSource;

    @BeforeAll
    static void seed() throws SQLException {
        dataSource = EmbeddedPostgresSupport.freshMigratedDatabase();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("""
                    INSERT INTO users (id, email, password_hash)
                    SELECT u, u || '@example.com', 'hash'
                    FROM unnest(ARRAY['%s', 'user-2', 'user-3', 'user-4']) AS u""".formatted(MAIN_USER));
            // 5000 tasks for the main user, 300 for each other user; creation times spread over ~a year,
            // with some identical timestamps so the id tie-breaker matters.
            st.execute("INSERT INTO lists (user_id, name, position, is_default) SELECT id, 'Inbox', 'a0', true FROM users");
            st.execute("""
                    INSERT INTO tasks (user_id, list_id, position, sort_path, title, priority, completed, completed_at, created_at, updated_at)
                    SELECT u.id, (SELECT l.id FROM lists l WHERE l.user_id = u.id), 'a0' || lpad(g::text, 6, '0') || 'V', 'a0' || lpad(g::text, 6, '0') || 'V', 'Task ' || g,
                           (ARRAY['low', 'medium', 'high'])[1 + mod(g, 3)],
                           mod(g, 4) = 0, CASE WHEN mod(g, 4) = 0 THEN now() END,
                           timestamptz '2025-01-01' + (g / 2) * interval '1 hour',
                           timestamptz '2025-01-01' + (g / 2) * interval '1 hour'
                    FROM users u
                    CROSS JOIN LATERAL generate_series(1, CASE WHEN u.id = '%s' THEN 5000 ELSE 300 END) AS g"""
                    .formatted(MAIN_USER));
            st.execute("ANALYZE");
        }
    }

    @Test
    void firstPageUsesTheIndex() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            String plan = explain(c, FIRST_PAGE, MAIN_USER);
            assertServedByIndex(plan);
            assertThat(rows(c, FIRST_PAGE, MAIN_USER)).hasSize(50);
        }
    }

    @Test
    void keysetContinuationUsesTheIndex() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            // Cursor = last row of the first page.
            Object[] cursor = rows(c, FIRST_PAGE, MAIN_USER).getLast();
            String plan = explain(c, NEXT_PAGE, MAIN_USER, cursor[0], cursor[1]);
            assertServedByIndex(plan);

            List<Object[]> next = rows(c, NEXT_PAGE, MAIN_USER, cursor[0], cursor[1]);
            assertThat(next).hasSize(50);
            assertThat((OffsetDateTime) next.getFirst()[0]).isBeforeOrEqualTo((OffsetDateTime) cursor[0]);
        }
    }

    /**
     * pgjdbc switches to server-side prepared statements after a few executions, and PostgreSQL may then
     * use a generic plan (planned without the parameter values). That plan must use the index too.
     */
    @Test
    void genericPlansUseTheIndex() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("SET plan_cache_mode = force_generic_plan");
            st.execute("PREPARE first_page(text) AS " + FIRST_PAGE.replace("?", "$1"));
            st.execute("PREPARE next_page(text, timestamptz, uuid) AS "
                    + NEXT_PAGE.replaceFirst("\\?", "\\$1").replaceFirst("\\?", "\\$2").replaceFirst("\\?", "\\$3"));
            assertServedByIndex(explainText(c, "EXPLAIN EXECUTE first_page('%s')".formatted(MAIN_USER)));
            String plan = explainText(c, "EXPLAIN EXECUTE next_page('%s', '2025-03-01T00:00:00Z', '%s')"
                    .formatted(MAIN_USER, new UUID(0, 0)));
            assertServedByIndex(plan);
            assertThat(plan).as("generic plan").contains("$1");
        }
    }

    /**
     * A list in display order (GET /api/v1/lists/{id}/tasks) walks the sort path index of the list, the pending view
     * the partial index of open tasks: no sort step, first page or keyset page, custom or generic plan.
     */
    @Test
    void displayOrderPagesWalkTheSortPathIndexes() throws SQLException {
        String page = "SELECT id, created_at FROM tasks WHERE user_id = ? AND list_id = (SELECT id FROM lists WHERE user_id = ?)"
                + " AND sort_path > ? %s ORDER BY sort_path LIMIT 51";
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (String mode : List.of("auto", "force_generic_plan")) {
                st.execute("SET plan_cache_mode = " + mode);
                String all = explain(c, page.formatted(""), MAIN_USER, MAIN_USER, "a0");
                assertThat(all).as("plan:%n%s", all).contains("Index Scan using tasks_sort_path_key on tasks").doesNotContain("Sort");
                String pending = explain(c, page.formatted("AND tasks.completed = false"), MAIN_USER, MAIN_USER, "a0");
                assertThat(pending).as("plan:%n%s", pending).contains("Index Scan using tasks_open_sort_path_idx on tasks")
                        .doesNotContain("Sort");
            }
            assertThat(rows(c, page.formatted("AND tasks.completed = false"), MAIN_USER, MAIN_USER, "a0")).hasSize(51);
        }
    }

    /**
     * The first (or last) top-level position of a list, read by every create and move: one entry of the unique key
     * (user_id, list_id, parent_id, position), not every top-level task (min(position) with "parent_id IS NULL" read all
     * 5,000 here: IS NULL is no equality to the planner, so the key's order by position went unused).
     */
    @Test
    void theFirstPositionOfAListReadsOneIndexEntry() throws SQLException {
        String first = "SELECT position FROM tasks WHERE user_id = ? AND list_id = (SELECT id FROM lists WHERE user_id = ?)"
                + " AND parent_id IS NULL ORDER BY parent_id, position LIMIT 1";
        String last = first.replace("ORDER BY parent_id, position", "ORDER BY parent_id DESC, position DESC");
        try (Connection c = dataSource.getConnection()) {
            for (String sql : List.of(first, last)) {
                String plan = explain(c, "(ANALYZE) " + sql, MAIN_USER, MAIN_USER);
                assertThat(plan).as("plan:%n%s", plan).contains("tasks_position_key").doesNotContain("Sort")
                        .containsPattern("Index (Only )?Scan (Backward )?using tasks_position_key on tasks .*rows=1 loops=1");
            }
        }
    }

    private static void assertServedByIndex(String plan) {
        assertThat(plan)
                .as("plan:%n%s", plan)
                .containsPattern("Index (Only )?Scan using " + INDEX + " on tasks")
                .doesNotContain("Sort");
    }

    private static String explain(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return text(rs);
            }
        }
    }

    private static String explainText(Connection c, String explain) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(explain)) {
            return text(rs);
        }
    }

    private static String text(ResultSet rs) throws SQLException {
        StringBuilder sb = new StringBuilder();
        while (rs.next()) {
            sb.append(rs.getString(1)).append('\n');
        }
        return sb.toString();
    }

    /** (created_at, id) of the result rows. */
    private static List<Object[]> rows(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getObject("created_at", OffsetDateTime.class), rs.getObject("id", UUID.class)});
                }
            }
            return rows;
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }
}
