package dev.todoapi.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * PostgreSQL for tests: one server per JVM, a fresh empty database per {@link #freshDatabase()} call.
 *
 * <p>The server is an embedded PostgreSQL (zonky; started lazily on first use, stopped by a shutdown
 * hook) unless the environment variable {@value #URL_ENV} is set to a {@code jdbc:postgresql://} URL
 * of an existing server (with {@value #USER_ENV} / {@value #PASSWORD_ENV} if the URL carries no
 * credentials). The configured user must be allowed to {@code CREATE DATABASE}; the databases created
 * on such a server are dropped again when the JVM exits.
 *
 * <p>Thread-safe; every database has a random name, so test classes may run in parallel.
 */
public final class EmbeddedPostgresSupport {

    public static final String URL_ENV = "TODO_TEST_DATABASE_URL";
    public static final String USER_ENV = "TODO_TEST_DATABASE_USER";
    public static final String PASSWORD_ENV = "TODO_TEST_DATABASE_PASSWORD";

    /** Location of the migrations on the classpath (as the application configures Flyway). */
    public static final String MIGRATIONS = "classpath:db/migration";

    private static final String DATABASE_PREFIX = "todo_test_";

    private static Server server;

    private EmbeddedPostgresSupport() {}

    /** Where a test database is: what a connection pool or the application needs to reach it. */
    public record Coordinates(String jdbcUrl, String user, String password) {}

    /** A new, empty database (no migrations applied) on the shared server. */
    public static DataSource freshDatabase() {
        Coordinates coordinates = freshDatabaseCoordinates();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(coordinates.jdbcUrl());
        ds.setUser(coordinates.user());
        ds.setPassword(coordinates.password());
        return ds;
    }

    /** A new, empty database (no migrations applied) on the shared server, as a URL and credentials. */
    public static Coordinates freshDatabaseCoordinates() {
        Server s = server();
        String name = DATABASE_PREFIX + HexFormat.of().formatHex(randomBytes());
        try (Connection c = s.adminConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database " + name + " on " + s.url(), e);
        }
        s.created(name);
        PGSimpleDataSource template = new PGSimpleDataSource();
        template.setURL(s.url());
        template.setDatabaseName(name);
        return new Coordinates(template.getURL(), s.user(), s.password() == null ? "" : s.password());
    }

    /** A new database with all migrations applied. */
    public static DataSource freshMigratedDatabase() {
        DataSource ds = freshDatabase();
        flyway(ds).load().migrate();
        return ds;
    }

    /** Flyway configured like the application (migrations from {@value #MIGRATIONS}), not yet loaded. */
    public static FluentConfiguration flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(MIGRATIONS)
                .cleanDisabled(true)
                .loggers("slf4j"); // quiet: slf4j-simple at WARN (src/test/resources/simplelogger.properties)
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private static synchronized Server server() {
        if (server == null) {
            String url = System.getenv(URL_ENV);
            server = url == null || url.isBlank() ? EmbeddedServer.start() : ExternalServer.of(url.strip());
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-postgres-shutdown"));
        }
        return server;
    }

    private interface Server extends AutoCloseable {
        /** JDBC URL of an existing database on the server (used for admin work and as URL template). */
        String url();

        String user();

        String password();

        default Connection adminConnection() throws SQLException {
            return DriverManager.getConnection(url(), user(), password());
        }

        default void created(String database) {}

        @Override
        void close();
    }

    private record EmbeddedServer(EmbeddedPostgres pg) implements Server {

        static EmbeddedServer start() {
            try {
                // Durability is irrelevant for throw-away test data; these make CREATE DATABASE and
                // migrations markedly faster. (When running as root, zonky starts postgres through
                // `unshare -U`, since postgres refuses to run as root.)
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .start();
                return new EmbeddedServer(pg);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start embedded PostgreSQL", e);
            }
        }

        @Override
        public String url() {
            return pg.getJdbcUrl("postgres", "postgres");
        }

        @Override
        public String user() {
            return "postgres";
        }

        @Override
        public String password() {
            return null;
        }

        @Override
        public void close() {
            try {
                pg.close(); // removes the whole cluster, including every test database
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final class ExternalServer implements Server {
        private final String url;
        private final String user;
        private final String password;
        private final List<String> databases = new ArrayList<>();

        private ExternalServer(String url, String user, String password) {
            this.url = url;
            this.user = user;
            this.password = password;
        }

        static ExternalServer of(String url) {
            if (!url.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException(URL_ENV + " must be a jdbc:postgresql:// URL, got " + url);
            }
            return new ExternalServer(url, System.getenv(USER_ENV), System.getenv(PASSWORD_ENV));
        }

        @Override
        public String url() {
            return url;
        }

        @Override
        public String user() {
            return user;
        }

        @Override
        public String password() {
            return password;
        }

        @Override
        public synchronized void created(String database) {
            databases.add(database);
        }

        @Override
        public synchronized void close() {
            try (Connection c = adminConnection(); Statement st = c.createStatement()) {
                for (String db : databases) {
                    try {
                        st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
                    } catch (SQLException e) {
                        System.err.println("Could not drop test database " + db + ": " + e.getMessage());
                    }
                }
            } catch (SQLException e) {
                System.err.println("Could not drop test databases " + databases + ": " + e.getMessage());
            }
        }

        @Override
        public String toString() {
            return Objects.toString(url);
        }
    }
}
