package dev.todoapi.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import dev.todoapi.TodoApiApplication;
import dev.todoapi.db.EmbeddedPostgresSupport;
import dev.todoapi.testsupport.PgBouncer;
import dev.todoapi.testsupport.SseClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server behind a real PgBouncer 1.18 in transaction mode, in front of the test PostgreSQL, with a
 * DATABASE_URL that does not say {@code prepareThreshold=0}: the misconfiguration that once acknowledged
 * creates that were not in the database.
 *
 * <p>Two servers, A and B, start together on a fresh database through the pooler (their migrations race
 * there too), with pools larger than PgBouncer's pool, so transactions keep changing server connections. They
 * must correct the setting by themselves (and say so), every create must land exactly once, and a reused
 * refresh token must be refused. A server whose URL insists on {@code prepareThreshold=5} must not start.
 *
 * <p>Skipped with a warning where pgbouncer is not installed ({@code apt-get install pgbouncer}), unless
 * {@code -Dtodo.pgbouncer.required=true} (as .ci/run runs it).
 */
@ExtendWith(OutputCaptureExtension.class)
class PgBouncerTest {

    private static final int CREATES = 300;
    private static final int CLIENT_THREADS = 16;
    private static final String SECRET = "pgbouncer-test-secret-" + UUID.randomUUID();
    private static final Path WORK = Path.of("target", "pgbouncer-it");

    private static EmbeddedPostgresSupport.Coordinates database;
    private static PgBouncer bouncer;
    private static ConfigurableApplicationContext a;
    private static ConfigurableApplicationContext b;
    private static String startupOutput;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void startPgBouncerAndTwoServers(CapturedOutput output) throws Exception {
        Optional<Path> executable = PgBouncer.executable();
        if (executable.isEmpty()) {
            String message = "pgbouncer is not installed (apt-get install -y pgbouncer): PgBouncerTest cannot run";
            if (PgBouncer.required()) {
                fail(message + ", and -D" + PgBouncer.REQUIRED_PROPERTY + "=true requires it");
            }
            System.err.println("WARNING: " + message + "; skipped (-D" + PgBouncer.REQUIRED_PROPERTY + "=true makes this an error)");
            Assumptions.abort(message);
        }
        database = EmbeddedPostgresSupport.freshDatabaseCoordinates(); // no migrations: the servers run them
        // 4 server connections for 2 x 5 pooled client connections: transactions keep moving between them.
        bouncer = PgBouncer.start(executable.get(), database.jdbcUrl(), database.user(), database.password(),
                "transaction", 4, false, WORK.resolve("transaction"));

        // B starts once A has set up logging (two Spring Boot logging set-ups at once trip over each other), and
        // both migrate at the same moment: each waits for the other right before Flyway's migrate().
        CyclicBarrier migrateTogether = new CyclicBarrier(2);
        CountDownLatch aPrepared = new CountDownLatch(1);
        ExecutorService starter = Executors.newFixedThreadPool(2);
        try {
            Future<ConfigurableApplicationContext> startA = starter.submit(() -> startServer(bouncer.jdbcUrl(),
                    builder -> builder.listeners((ApplicationListener<ApplicationPreparedEvent>) event -> aPrepared.countDown())
                            .initializers(migratingTogether(migrateTogether))));
            if (!aPrepared.await(2, TimeUnit.MINUTES)) {
                a = startA.get(); // it failed: this throws why
            }
            Future<ConfigurableApplicationContext> startB = starter.submit(() -> startServer(bouncer.jdbcUrl(),
                    builder -> builder.initializers(migratingTogether(migrateTogether))));
            a = startA.get();
            b = startB.get();
        } finally {
            starter.shutdown();
        }
        startupOutput = output.getAll();
    }

    @AfterAll
    static void stopAll() {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {a, b}) {
            if (context != null) {
                context.close();
            }
        }
        if (bouncer != null) {
            bouncer.close();
        }
    }

    /** Flyway's migrate() once the other server is about to migrate too. */
    private static ApplicationContextInitializer<ConfigurableApplicationContext> migratingTogether(CyclicBarrier barrier) {
        FlywayMigrationStrategy strategy = flyway -> {
            try {
                barrier.await(2, TimeUnit.MINUTES);
            } catch (Exception e) {
                throw new IllegalStateException("the other server did not get to its migrations", e);
            }
            flyway.migrate();
        };
        return context -> context.getBeanFactory().registerSingleton("migrateTogether", strategy);
    }

    private static ConfigurableApplicationContext startServer(String databaseUrl) {
        return startServer(databaseUrl, builder -> builder);
    }

    private static ConfigurableApplicationContext startServer(String databaseUrl,
            UnaryOperator<SpringApplicationBuilder> customizer) {
        // Command-line arguments: they win over application.yaml (default properties would not).
        return customizer.apply(new SpringApplicationBuilder(TodoApiApplication.class)).run(
                "--server.port=0",
                "--management.server.port=0",
                "--todo.database.url=" + databaseUrl,
                "--todo.database.user=" + database.user(),
                "--todo.database.password=" + database.password(),
                "--todo.database.pool-size=5",
                "--todo.auth.jwt-secret=" + SECRET,
                "--todo.auth.bcrypt-cost=10",
                "--todo.auth.rate-limit-per-minute=100000",
                // LISTEN needs a session: straight to PostgreSQL, while everything else goes through the pooler.
                // No polling, so a change reaches another server's streams only by notification.
                "--todo.events.listen-url=" + database.jdbcUrl(),
                "--todo.events.poll=1h");
    }

    // ------------------------------------------------------------------ (a) no silent serving

    @Test
    void aUrlWithoutPrepareThresholdIsCorrectedAtStartUpAndSaysSo() throws Exception {
        for (ConfigurableApplicationContext server : List.of(a, b)) {
            try (Connection connection = server.getBean(DataSource.class).getConnection()) {
                assertThat(connection.unwrap(PGConnection.class).getPrepareThreshold())
                        .as("the pool's connections send unnamed statements only").isZero();
            }
        }
        assertThat(startupOutput).contains("leads through a transaction pooler")
                .contains("server-side prepared statements are turned off (prepareThreshold=0)");
    }

    @Test
    void aUrlThatInsistsOnPreparedStatementsDoesNotStart() {
        assertThatThrownBy(() -> startServer(bouncer.jdbcUrl() + "?prepareThreshold=5").close())
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sets prepareThreshold=5 but leads through a transaction pooler")
                .hasMessageContaining("set prepareThreshold=0 in DATABASE_URL");
    }

    @Test
    void migrationsRanOnceThroughThePooler() throws Exception {
        try (Connection direct = direct(); Statement statement = direct.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FILTER (WHERE success), count(DISTINCT version), "
                        + "count(*) FILTER (WHERE NOT success) FROM flyway_schema_history WHERE version IS NOT NULL")) {
            rows.next();
            assertThat(rows.getInt(1)).as("successful migrations").isEqualTo(rows.getInt(2)).isPositive();
            assertThat(rows.getInt(3)).as("failed migrations").isZero();
        }
    }

    // ------------------------------------------------------------------ (b) what the corrected servers do

    @Test
    void concurrentCreatesThroughTwoServersLandExactlyOnce() throws Exception {
        // Registering is tried again after a failure, so that a broken set-up still shows what became of the creates.
        List<Integer> failedRegistrations = new ArrayList<>();
        JsonNode user = null;
        for (int attempt = 0; attempt < 5 && user == null; attempt++) {
            HttpResponse<String> registered = post(a, "/api/v1/auth/register", null, null, registration());
            if (registered.statusCode() == 201) {
                user = json.readTree(registered.body());
            } else {
                failedRegistrations.add(registered.statusCode());
            }
        }
        assertThat(user).as("registered (failed attempts: %s)", failedRegistrations).isNotNull();
        String token = user.get("access_token").asString();
        String run = UUID.randomUUID().toString().substring(0, 8);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
        CountDownLatch go = new CountDownLatch(1);
        Map<String, Future<Integer>> statuses = new TreeMap<>();
        try {
            for (int i = 0; i < CREATES; i++) {
                ConfigurableApplicationContext server = i % 2 == 0 ? a : b;
                String title = "pgbouncer " + run + " #" + i;
                String key = run + "-" + i;
                statuses.put(title, clients.submit(() -> {
                    go.await();
                    return post(server, "/api/v1/tasks", token, key, json.writeValueAsString(Map.of("title", title))).statusCode();
                }));
            }
            go.countDown();
            Map<Integer, Integer> byStatus = new TreeMap<>();
            List<String> acknowledged = new ArrayList<>();
            for (Map.Entry<String, Future<Integer>> entry : statuses.entrySet()) {
                int status = entry.getValue().get();
                byStatus.merge(status, 1, Integer::sum);
                if (status == 201) {
                    acknowledged.add(entry.getKey());
                }
            }
            Map<String, Integer> found = titlesInDatabase("pgbouncer " + run + " #%");
            List<String> lost = acknowledged.stream().filter(title -> !found.containsKey(title)).toList();
            long duplicated = found.values().stream().filter(count -> count > 1).count();
            System.out.printf("PgBouncerTest: %d creates sent through A and B, statuses %s: %d acknowledged, %d found in "
                    + "the database, %d acknowledged but missing, %d duplicated (failed registrations before: %s)%n",
                    CREATES, byStatus, acknowledged.size(), found.size(), lost.size(), duplicated, failedRegistrations);
            assertThat(lost).as("acknowledged creates missing from the database").isEmpty();
            assertThat(byStatus).as("every create is acknowledged with 201").isEqualTo(Map.of(201, CREATES));
            assertThat(found).as("every create is in the database exactly once")
                    .hasSize(CREATES).allSatisfy((title, count) -> assertThat(count).as(title).isEqualTo(1));
            assertThat(failedRegistrations).as("failed registrations").isEmpty();
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void refreshTokensRotateAcrossServersAndAReusedOneRevokesTheSession() throws Exception {
        JsonNode session = register(a);
        String first = session.get("refresh_token").asString();
        // A chain of rotations alternating A and B: every statement of a refresh runs often enough on each pooled
        // connection that pgjdbc would have named it (its default prepareThreshold is 5).
        String current = first;
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> refreshed = refresh(i % 2 == 0 ? a : b, current);
            assertThat(refreshed.statusCode()).as("rotation #%d: %s", i, refreshed.body()).isEqualTo(200);
            current = json.readTree(refreshed.body()).get("refresh_token").asString();
        }
        HttpResponse<String> reused = refresh(b, first);
        assertThat(reused.statusCode()).isEqualTo(401);
        assertThat(json.readTree(reused.body()).get("code").asString()).isEqualTo("REFRESH_TOKEN_REUSED");
        assertThat(refresh(a, current).statusCode()).as("the newest token of the revoked session").isEqualTo(401);
        assertThat(unrevokedTokensOfFamily(first)).as("unrevoked refresh tokens of the session").isZero();
    }

    @Test
    void aRefreshTokenPresentedConcurrentlyToBothServersWorksOnce() throws Exception {
        String token = register(b).get("refresh_token").asString();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                ConfigurableApplicationContext server = i % 2 == 0 ? a : b;
                answers.add(clients.submit((Callable<HttpResponse<String>>) () -> {
                    go.await();
                    return refresh(server, token);
                }));
            }
            go.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                outcomes.add(response.statusCode() + (response.statusCode() == 200 ? ""
                        : " " + json.readTree(response.body()).path("code").asString()));
            }
            assertThat(outcomes).as("one rotation, every other presentation refused").containsOnlyOnce("200")
                    .filteredOn(outcome -> !outcome.equals("200"))
                    .allSatisfy(outcome -> assertThat(outcome).isIn("401 REFRESH_TOKEN_REUSED", "401 INVALID_TOKEN"))
                    .contains("401 REFRESH_TOKEN_REUSED");
            assertThat(unrevokedTokensOfFamily(token)).as("unrevoked refresh tokens of the session").isZero();
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aWriteThroughThePoolerReachesAnEventStreamOnTheOtherServer() throws Exception {
        String token = register(a).get("access_token").asString();
        int portB = ((WebServerApplicationContext) b).getWebServer().getPort();
        try (SseClient stream = SseClient.open(http, "http://127.0.0.1:" + portB + "/api/v1/events", "Authorization", "Bearer " + token)) {
            assertThat(stream.status()).isEqualTo(200);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (stream.comments.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            HttpResponse<String> created = post(a, "/api/v1/tasks", token, null, "{\"title\": \"through the pooler\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String id = json.readTree(created.body()).get("id").asString();
            boolean seen = false;
            while (!seen) {
                SseClient.Event event = stream.next(Duration.ofSeconds(15));
                seen = event.data().contains(id);
            }
        }
    }

    // ------------------------------------------------------------------ the check itself, on several poolers

    @Test
    void theCheckTellsATransactionPoolerFromADirectOrSessionPooledConnection() throws Exception {
        Path executable = PgBouncer.executable().orElseThrow();
        JdbcTarget direct = new JdbcTarget(database.jdbcUrl(), database.user(), database.password());
        assertThat(TransactionPooling.probe(direct, Duration.ofSeconds(2)).transactionPooling()).as("direct").isFalse();
        assertThat(TransactionPooling.probe(through(bouncer), Duration.ofSeconds(2)).transactionPooling())
                .as("transaction pooling, most recently used server connection first").isTrue();
        try (PgBouncer roundRobin = PgBouncer.start(executable, database.jdbcUrl(), database.user(), database.password(),
                        "transaction", 4, true, WORK.resolve("round-robin"));
                PgBouncer single = PgBouncer.start(executable, database.jdbcUrl(), database.user(), database.password(),
                        "transaction", 1, false, WORK.resolve("single"));
                PgBouncer session = PgBouncer.start(executable, database.jdbcUrl(), database.user(), database.password(),
                        "session", 4, false, WORK.resolve("session"));
                PgBouncer statement = PgBouncer.start(executable, database.jdbcUrl(), database.user(), database.password(),
                        "statement", 4, false, WORK.resolve("statement"))) {
            for (int i = 0; i < 3; i++) { // the same answer every time, also with warm server connections
                assertThat(TransactionPooling.probe(through(roundRobin), Duration.ofSeconds(2)).transactionPooling())
                        .as("transaction pooling, least recently used server connection first").isTrue();
                assertThat(TransactionPooling.probe(through(single), Duration.ofSeconds(2)).transactionPooling())
                        .as("transaction pooling, one server connection").isTrue();
                assertThat(TransactionPooling.probe(through(session), Duration.ofSeconds(2)).transactionPooling())
                        .as("session pooling").isFalse();
            }
            assertThatThrownBy(() -> TransactionPooling.driverProperties(through(statement), Duration.ofSeconds(2)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("statement pooling mode");
        }
    }

    // ------------------------------------------------------------------ helpers

    private static JdbcTarget through(PgBouncer pooler) {
        return new JdbcTarget(pooler.jdbcUrl(), database.user(), database.password());
    }

    private static Connection direct() throws Exception {
        return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
    }

    private static Map<String, Integer> titlesInDatabase(String pattern) throws Exception {
        try (Connection direct = direct();
                PreparedStatement query = direct.prepareStatement("SELECT title, count(*) FROM tasks WHERE title LIKE ? GROUP BY title")) {
            query.setString(1, pattern);
            Map<String, Integer> titles = new TreeMap<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    titles.put(rows.getString(1), rows.getInt(2));
                }
            }
            return titles;
        }
    }

    private static int unrevokedTokensOfFamily(String refreshToken) throws Exception {
        try (Connection direct = direct(); PreparedStatement query = direct.prepareStatement(
                "SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL AND family_id = "
                        + "(SELECT family_id FROM refresh_tokens WHERE token_hash = sha256(convert_to(?, 'UTF8')))")) {
            query.setString(1, refreshToken);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private String registration() throws Exception {
        return json.writeValueAsString(Map.of("email", "pgbouncer-" + UUID.randomUUID() + "@example.com",
                "password", "correct horse battery staple", "name", "PgBouncer"));
    }

    private JsonNode register(ConfigurableApplicationContext server) throws Exception {
        HttpResponse<String> response = post(server, "/api/v1/auth/register", null, null, registration());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body());
    }

    private HttpResponse<String> refresh(ConfigurableApplicationContext server, String refreshToken) throws Exception {
        return post(server, "/api/v1/auth/refresh", null, null, json.writeValueAsString(Map.of("refresh_token", refreshToken)));
    }

    private HttpResponse<String> post(ConfigurableApplicationContext server, String path, String bearer, String idempotencyKey,
            String body) throws Exception {
        int port = ((WebServerApplicationContext) server).getWebServer().getPort();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
