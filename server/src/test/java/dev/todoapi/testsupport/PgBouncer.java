package dev.todoapi.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;

/**
 * A real PgBouncer process on a free loopback port in front of one PostgreSQL database, for tests of what the
 * server does behind a connection pooler. Found on the PATH or in /usr/sbin (Debian's package {@code pgbouncer}),
 * or at {@code -Dtodo.pgbouncer.executable}; {@link #executable()} is empty where there is none. PgBouncer
 * refuses to run as root, so as root it is started with {@code -u nobody} (it reads its ini file before it drops
 * root); it logs to its stderr, which goes to {@code pgbouncer.log} in its directory.
 */
public final class PgBouncer implements AutoCloseable {

    /** The system property that makes a missing pgbouncer an error instead of a skipped test (.ci/run sets it). */
    public static final String REQUIRED_PROPERTY = "todo.pgbouncer.required";

    private final Process process;
    private final int port;
    private final String database;
    private final Path directory;

    private PgBouncer(Process process, int port, String database, Path directory) {
        this.process = process;
        this.port = port;
        this.database = database;
        this.directory = directory;
    }

    /** A pgbouncer elsewhere than on the PATH or in /usr/sbin: {@code -Dtodo.pgbouncer.executable=/opt/pgbouncer/bin/pgbouncer}. */
    public static final String EXECUTABLE_PROPERTY = "todo.pgbouncer.executable";

    public static Optional<Path> executable() {
        String configured = System.getProperty(EXECUTABLE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured.strip())).filter(Files::isExecutable);
        }
        String path = System.getenv("PATH");
        return Stream.concat(path == null ? Stream.empty() : Stream.of(path.split(":")), Stream.of("/usr/sbin", "/usr/local/sbin"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "pgbouncer"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    public static boolean required() {
        return Boolean.getBoolean(REQUIRED_PROPERTY);
    }

    /**
     * Starts PgBouncer in front of the database of {@code jdbcUrl} (logging in there as {@code user}), serving it
     * under the same database name with any client user ({@code auth_type = any}).
     *
     * @param poolMode     {@code transaction}, {@code session} or {@code statement}
     * @param poolSize     {@code default_pool_size}: server connections per database and user
     * @param roundRobin   {@code server_round_robin}: least recently used server connection first instead of most
     * @param directory    where its ini file and log go (created if missing; an earlier ini is overwritten)
     */
    public static PgBouncer start(Path executable, String jdbcUrl, String user, @Nullable String password, String poolMode,
            int poolSize, boolean roundRobin, Path directory) {
        Properties url = Driver.parseURL(jdbcUrl, null);
        if (url == null) {
            throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: " + jdbcUrl);
        }
        String host = url.getProperty("PGHOST", "localhost").split(",")[0];
        String serverPort = url.getProperty("PGPORT", "5432").split(",")[0];
        String database = url.getProperty("PGDBNAME");
        if ("localhost".equals(host)) {
            host = "127.0.0.1"; // the embedded PostgreSQL listens on both; PgBouncer would try ::1 first
        }
        try {
            Files.createDirectories(directory);
            int port = freePort();
            String connection = "host=" + host + " port=" + serverPort + " dbname=" + database + " user=" + user
                    + (password == null || password.isEmpty() ? "" : " password=" + password);
            Path ini = directory.resolve("pgbouncer.ini");
            Files.writeString(ini, String.join("\n",
                    "[databases]",
                    database + " = " + connection,
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    "listen_port = " + port,
                    "unix_socket_dir =",
                    "auth_type = any",
                    "pool_mode = " + poolMode,
                    "default_pool_size = " + poolSize,
                    "max_client_conn = 200",
                    "server_round_robin = " + (roundRobin ? 1 : 0),
                    "admin_users =",
                    ""), StandardCharsets.UTF_8);
            Path log = directory.resolve("pgbouncer.log");
            ProcessBuilder builder = "root".equals(System.getProperty("user.name"))
                    ? new ProcessBuilder(executable.toString(), "-u", "nobody", ini.toString())
                    : new ProcessBuilder(executable.toString(), ini.toString());
            Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            PgBouncer bouncer = new PgBouncer(process, port, database, directory);
            bouncer.awaitListening(Duration.ofSeconds(15));
            return bouncer;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start pgbouncer in " + directory, e);
        }
    }

    private void awaitListening(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pgbouncer exited with " + process.exitValue() + ": " + logTail());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("pgbouncer not listening on " + port + " after " + timeout + ": " + logTail());
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** The JDBC URL of the database through PgBouncer, with no further parameters. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(directory.resolve("pgbouncer.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: PgBouncer's fast shutdown
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
