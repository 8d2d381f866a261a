package dev.todoapi.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL the server talks to: an external one named by DATABASE_URL, or one it runs itself
 * (real PostgreSQL binaries from io.zonky.test) whose data persists across restarts.
 */
public final class DatabaseServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DatabaseServer.class);

    private final JdbcTarget target;
    private final @Nullable EmbeddedPostgres embedded;

    private DatabaseServer(JdbcTarget target, @Nullable EmbeddedPostgres embedded) {
        this.target = target;
        this.embedded = embedded;
    }

    public static DatabaseServer from(DatabaseProperties properties) {
        if (properties.embedded()) {
            return startEmbedded(properties.dataDir());
        }
        JdbcTarget target = JdbcTarget.parse(properties.url()).withCredentials(properties.user(), properties.password());
        log.info("Using external PostgreSQL at {}", target.describe());
        return new DatabaseServer(target, null);
    }

    private static DatabaseServer startEmbedded(Path dataDir) {
        Path pgData = dataDir.toAbsolutePath().normalize().resolve("postgres");
        try {
            Files.createDirectories(pgData.getParent());
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    // Stopped by close(), after the pool, once in-flight requests are done (not by zonky's own hook).
                    .setRegisterShutdownHook(false)
                    .start();
            JdbcTarget target = new JdbcTarget(
                    "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", "postgres", null);
            log.info("Using embedded PostgreSQL on port {}, data in {} (set DATABASE_URL to use another server)",
                    postgres.getPort(), pgData);
            return new DatabaseServer(target, postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + pgData, e);
        }
    }

    public JdbcTarget target() {
        return target;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            log.info("Stopping embedded PostgreSQL");
            embedded.close();
        }
    }
}
