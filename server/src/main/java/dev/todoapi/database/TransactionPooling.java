package dev.todoapi.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether DATABASE_URL leads through a transaction pooler (PgBouncer with {@code pool_mode = transaction},
 * Supavisor, pgcat, ...), and what the JDBC driver must do about it.
 *
 * <p>Behind such a pooler each transaction may run on another server connection. pgjdbc, by default, turns a
 * statement it has run five times into a named server-side prepared statement ({@code S_1}, {@code S_2}, ...;
 * {@code COMMIT} and {@code ROLLBACK} too) and later only binds that name. On another server connection the name
 * is missing ("prepared statement S_n does not exist"), taken ("already exists") or, worst, names another
 * client's statement: a {@code COMMIT} then runs someone's {@code ROLLBACK}, and a create is acknowledged
 * that is not in the database. With {@code prepareThreshold=0} the driver sends every statement unnamed,
 * which is safe there.
 *
 * <p>The check needs no pooler console ({@code SHOW} is not available through a normal connection): two
 * connections ask for {@code pg_backend_pid()} in an order after which, connected directly or through
 * session pooling, each connection has kept its one backend, while a transaction pooler has moved at least
 * one of them to another backend, whether it hands out its most recently used server connection first
 * (PgBouncer's default) or its least recently used one ({@code server_round_robin = 1}).
 */
public final class TransactionPooling {

    static final String PREPARE_THRESHOLD = "prepareThreshold";

    private static final Logger log = LoggerFactory.getLogger(TransactionPooling.class);

    private TransactionPooling() {}

    /** What two probe connections saw. */
    record Probe(boolean transactionPooling, String evidence) {}

    /**
     * The driver properties the pool must add to reach {@code target} safely: none when it is a direct (or
     * session-pooled) connection or already sets {@code prepareThreshold=0}, {@code prepareThreshold=0} when
     * it leads through a transaction pooler and sets no threshold (logged at WARN).
     *
     * @throws IllegalStateException when it leads through a transaction pooler with server-side prepared
     *     statements explicitly enabled, or through a statement pooler: the server must not start then
     */
    static Map<String, String> driverProperties(JdbcTarget target, Duration timeout) {
        Integer threshold = explicitPrepareThreshold(target.jdbcUrl());
        Probe probe;
        try {
            probe = probe(target, timeout);
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("statement pooling")) {
                // PgBouncer: "transaction blocks not allowed in statement pooling mode"
                throw new IllegalStateException("DATABASE_URL (" + target.describe() + ") leads through a pooler in "
                        + "statement pooling mode, which refuses transactions (" + e.getMessage()
                        + "): use pool_mode = transaction or session", e);
            }
            throw new IllegalStateException("Cannot reach the database at " + target.describe() + ": " + e.getMessage(), e);
        }
        return decide(target, threshold, probe);
    }

    static Map<String, String> decide(JdbcTarget target, @Nullable Integer threshold, Probe probe) {
        if (!probe.transactionPooling()) {
            log.debug("No transaction pooling in front of {} ({})", target.describe(), probe.evidence());
            return Map.of();
        }
        if (threshold == null) {
            log.warn("DATABASE_URL ({}) leads through a transaction pooler such as PgBouncer in pool_mode=transaction "
                    + "({}): server-side prepared statements are turned off (prepareThreshold=0); add prepareThreshold=0 "
                    + "to DATABASE_URL to say so yourself", target.describe(), probe.evidence());
            return Map.of(PREPARE_THRESHOLD, "0");
        }
        if (threshold == 0) {
            log.info("DATABASE_URL ({}) leads through a transaction pooler ({}); prepareThreshold=0 as configured",
                    target.describe(), probe.evidence());
            return Map.of();
        }
        throw new IllegalStateException("DATABASE_URL (" + target.describe() + ") sets prepareThreshold=" + threshold
                + " but leads through a transaction pooler such as PgBouncer in pool_mode=transaction (" + probe.evidence()
                + "), where server-side prepared statements fail or run another client's statement: "
                + "set prepareThreshold=0 in DATABASE_URL (or leave it out), or connect directly or through session pooling");
    }

    /** The URL's own {@code prepareThreshold}, or null when it sets none. */
    static @Nullable Integer explicitPrepareThreshold(String jdbcUrl) {
        Properties properties = Driver.parseURL(jdbcUrl, null);
        String value = properties == null ? null : properties.getProperty(PREPARE_THRESHOLD);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("DATABASE_URL has prepareThreshold=" + value + ", which is not a number");
        }
    }

    /**
     * Two connections, A and B, and only plain statements (sent unnamed whatever the URL's threshold): a
     * transaction on A (a statement pooler refuses it); B then A outside a transaction (a pooler that hands
     * out its most recently used server connection first, or has only one, gives B the backend A had); A and
     * B each inside a transaction at the same time (two different backends, so the pooler has at least two),
     * A's ended first; then A twice (most recently used first: B's backend; least recently used first: A's,
     * then B's). Connected directly, A and B each see one backend all along, and never the same one.
     */
    /** Whether connections to the target are lent by a transaction pooler (PgBouncer's pool_mode=transaction). */
    public static boolean transactionPooled(JdbcTarget target, Duration timeout) throws SQLException {
        return probe(target, timeout).transactionPooling();
    }

    static Probe probe(JdbcTarget target, Duration timeout) throws SQLException {
        Properties properties = new Properties();
        if (target.user() != null) {
            properties.setProperty("user", target.user());
        }
        if (target.password() != null) {
            properties.setProperty("password", target.password());
        }
        long seconds = Math.max(1, timeout.toSeconds());
        properties.setProperty("connectTimeout", String.valueOf(seconds));
        properties.setProperty("socketTimeout", String.valueOf(Math.max(10, seconds)));
        properties.setProperty("ApplicationName", "todo-api");
        try (Connection a = DriverManager.getConnection(target.jdbcUrl(), properties);
                Connection b = DriverManager.getConnection(target.jdbcUrl(), properties);
                Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            Set<Integer> seenByA = new LinkedHashSet<>();
            Set<Integer> seenByB = new LinkedHashSet<>();
            sa.execute("BEGIN"); // a statement pooler refuses this right away
            seenByA.add(backend(sa));
            sa.execute("COMMIT");
            seenByB.add(backend(sb));
            seenByA.add(backend(sa));
            if (moved(seenByA, seenByB)) { // before two transactions at once, which one server connection can't serve
                return pooled(seenByA, seenByB);
            }
            sa.execute("BEGIN");
            seenByA.add(backend(sa));
            sb.execute("BEGIN");
            seenByB.add(backend(sb));
            sa.execute("COMMIT");
            sb.execute("COMMIT");
            seenByA.add(backend(sa));
            seenByA.add(backend(sa));
            if (moved(seenByA, seenByB)) {
                return pooled(seenByA, seenByB);
            }
            return new Probe(false, "each of two connections kept its backend: " + seenByA + ", " + seenByB);
        }
    }

    /** Whether a connection saw more than one backend, or both saw the same one. */
    private static boolean moved(Set<Integer> seenByA, Set<Integer> seenByB) {
        return seenByA.size() > 1 || seenByB.size() > 1 || seenByA.stream().anyMatch(seenByB::contains);
    }

    private static Probe pooled(Set<Integer> seenByA, Set<Integer> seenByB) {
        return new Probe(true, "one connection saw backends " + seenByA + ", another " + seenByB
                + ", where each would keep one of its own if connected directly");
    }

    private static int backend(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
