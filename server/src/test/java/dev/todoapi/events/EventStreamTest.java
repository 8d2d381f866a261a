package dev.todoapi.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoapi.TodoApiApplication;
import dev.todoapi.testsupport.ApiTestBase;
import dev.todoapi.testsupport.ServerTestBase;
import dev.todoapi.testsupport.SseClient;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Event streams on real sockets, with a second instance of the application on the same database: a write served by
 * one instance reaches the streams held by the other (PostgreSQL NOTIFY), a stream resumes exactly after its
 * Last-Event-ID, a position past the window gets a resync, and a thousand open streams hold no request threads.
 * The second instance sends heartbeats every 200 ms and polls the change numbers only hourly, so a change can only
 * reach its streams by notification.
 */
class EventStreamTest extends ServerTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static ConfigurableApplicationContext second;
    private static int secondPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void startSecondInstance() {
        Map<String, Object> properties = new HashMap<>();
        ApiTestBase.registerTestProperties((name, value) -> properties.put(name, ((Supplier<?>) value).get()));
        properties.put("server.port", "0");
        properties.put("management.server.port", "0");
        properties.put("todo.auth.bcrypt-cost", "10");
        properties.put("todo.auth.rate-limit-per-minute", "100000");
        properties.put("todo.events.heartbeat", "200ms");
        properties.put("todo.events.poll", "1h");
        properties.put("todo.events.max-streams-per-user", "1200");
        properties.put("todo.events.max-streams", "1500"); // the thousand-stream test, and streams of others still closing
        properties.put("todo.webhooks.worker-enabled", "false"); // it serves streams; the suite's own contexts deliver webhooks
        // As arguments: they outrank application.yaml (whose ${ENV:default}s would win over default properties).
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        second = new SpringApplicationBuilder(TodoApiApplication.class).run(args);
        secondPort = ((WebServerApplicationContext) second).getWebServer().getPort();
    }

    @AfterAll
    static void stopSecondInstance() {
        if (second != null) {
            second.close();
        }
    }

    private String url(int instancePort, String path) {
        return "http://localhost:" + instancePort + path;
    }

    private JsonNode request(int instancePort, String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url(instancePort, path)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isLessThan(300);
        return response.body().isEmpty() ? null : JSON.readTree(response.body());
    }

    private String register(int instancePort) throws Exception {
        return request(instancePort, "POST", "/api/v1/auth/register", null,
                "{\"email\": \"sse-" + UUID.randomUUID() + "@example.com\", \"password\": \"correct horse battery staple\"}")
                .get("access_token").asString();
    }

    private String createTask(int instancePort, String token, String title) throws Exception {
        return request(instancePort, "POST", "/api/v1/tasks", token, "{\"title\": \"" + title + "\"}").get("id").asString();
    }

    private static List<String> ids(SseClient.Event event) {
        List<String> ids = new ArrayList<>();
        JsonNode data = JSON.readTree(event.data());
        data.get("changes").forEach(change -> ids.add(change.get("op").asString() + " " + change.get("type").asString()
                + " " + change.get("id").asString()));
        assertThat(data.get("sync_token").asString()).isEqualTo(event.id());
        return ids;
    }

    /** What events said until one named the change, and the id of that last event. */
    private record Seen(List<String> changes, String lastId) {}

    private static Seen until(SseClient stream, String change) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        String lastId = null;
        while (!seen.contains(change)) {
            SseClient.Event event = stream.next(WAIT);
            assertThat(event.name()).isEqualTo("changes");
            seen.addAll(ids(event));
            lastId = event.id();
        }
        return new Seen(seen, lastId);
    }

    @Test
    void aWriteServedByOneInstanceReachesTheStreamsOfTheOther() throws Exception {
        String token = register(port);
        try (SseClient onSecond = SseClient.open(http, url(secondPort, "/api/v1/events"), "Authorization", "Bearer " + token);
                SseClient onFirst = SseClient.open(http, url(port, "/api/v1/events"), "Authorization", "Bearer " + token)) {
            assertThat(onSecond.status()).isEqualTo(200);
            assertThat(onFirst.status()).isEqualTo(200);
            assertThat(onSecond.header("Content-Type")).startsWith("text/event-stream");
            awaitComment(onFirst);
            awaitComment(onSecond);

            long started = System.nanoTime();
            String task = createTask(port, token, "Written on the first");
            until(onSecond, "upsert task " + task);
            long crossMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            until(onFirst, "upsert task " + task);

            started = System.nanoTime();
            String other = createTask(secondPort, token, "Written on the second");
            until(onFirst, "upsert task " + other);
            long backMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.printf("event fan-out across instances: write acknowledged + event received in %d ms and %d ms%n",
                    crossMs, backMs);
        }
    }

    @Test
    void aStreamResumesExactlyAfterItsLastEventIdReplayingWhatItMissed() throws Exception {
        String token = register(port);
        String first = createTask(port, token, "One");
        String lastId;
        try (SseClient stream = SseClient.open(http, url(port, "/api/v1/events"), "Authorization", "Bearer " + token)) {
            assertThat(stream.status()).isEqualTo(200);
            awaitComment(stream);
            String second = createTask(port, token, "Two");
            lastId = until(stream, "upsert task " + second).lastId();
        }
        // Offline: three changes the stream does not see.
        String third = createTask(port, token, "Three");
        request(port, "PATCH", "/api/v1/tasks/" + first, token, "{\"title\": \"One, edited\"}");
        request(port, "DELETE", "/api/v1/tasks/" + third, token, null);

        JsonNode feed = request(port, "GET", "/api/v1/sync?token=" + lastId, token, null);
        List<String> expected = new ArrayList<>();
        feed.get("changes").forEach(c -> expected.add(c.get("op").asString() + " " + c.get("type").asString() + " " + c.get("id").asString()));
        assertThat(expected).contains("upsert task " + first, "delete task " + third);

        try (SseClient resumed = SseClient.open(http, url(secondPort, "/api/v1/events"), "Authorization", "Bearer " + token,
                "Last-Event-ID", lastId)) {
            assertThat(resumed.status()).isEqualTo(200);
            SseClient.Event replay = resumed.next(WAIT);
            assertThat(replay.name()).isEqualTo("changes");
            assertThat(ids(replay)).as("exactly what the feed has after that position, on another instance too")
                    .containsExactlyElementsOf(expected);
            assertThat(dev.todoapi.sync.Sync.position(replay.id())).isEqualTo(dev.todoapi.sync.Sync.position(feed.get("sync_token").asString()));
        }
    }

    @Test
    void aPositionPastTheWindowGetsOneResyncEventAndTheStreamEnds() throws Exception {
        String token = register(port);
        String old = Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"v\":1,\"s\":0,\"f\":0,\"t\":"
                + Instant.now().minus(Duration.ofDays(31)).getEpochSecond() + "}").getBytes(StandardCharsets.US_ASCII));
        try (SseClient stream = SseClient.open(http, url(port, "/api/v1/events?token=" + old), "Authorization", "Bearer " + token)) {
            assertThat(stream.status()).isEqualTo(200);
            SseClient.Event resync = stream.next(WAIT);
            assertThat(resync.name()).isEqualTo("resync");
            assertThat(JSON.readTree(resync.data()).get("code").asString()).isEqualTo("SYNC_TOKEN_EXPIRED");
            stream.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void heartbeatsKeepAnIdleStreamTalking() throws Exception {
        String token = register(secondPort);
        try (SseClient stream = SseClient.open(http, url(secondPort, "/api/v1/events"), "Authorization", "Bearer " + token)) {
            assertThat(stream.status()).isEqualTo(200);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (stream.comments.get() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(stream.comments.get()).as("connected, then heartbeats every 200 ms").isGreaterThanOrEqualTo(4);
            assertThat(stream.events).isEmpty();
        }
    }

    @Test
    void aThousandOpenStreamsHoldNoRequestThreadsAndAllGetTheChange() throws Exception {
        String token = register(secondPort);
        EventStreams streams = second.getBean(EventStreams.class);
        int before = streams.openStreams();
        System.gc();
        long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        List<SseClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                clients.add(SseClient.open(http, url(secondPort, "/api/v1/events"), "Authorization", "Bearer " + token));
            }
            for (SseClient client : clients) {
                assertThat(client.status()).isEqualTo(200);
            }
            assertThat(streams.openStreams()).as("all open at once (%d were before, closing)", before).isGreaterThanOrEqualTo(1000);
            System.gc();
            long heapAfter = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long threads = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().contains("exec-")).count();

            // The API answers as usual with the streams open.
            for (int i = 0; i < 20; i++) {
                assertThat(request(secondPort, "GET", "/api/v1/tasks", token, null).get("items")).isNotNull();
            }
            long started = System.nanoTime();
            String task = createTask(secondPort, token, "To a thousand streams");
            for (SseClient client : clients) {
                until(client, "upsert task " + task);
            }
            long fanOutMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.printf("1,000 open streams: heap +%d KiB (test JVM: server and clients, %.1f KiB per stream),"
                    + " %d request threads in the JVM, one change delivered to all in %d ms%n",
                    (heapAfter - heapBefore) / 1024, (heapAfter - heapBefore) / 1024.0 / 1000, threads, fanOutMs);
        } finally {
            clients.forEach(SseClient::close);
        }
    }

    private static void awaitComment(SseClient stream) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (stream.comments.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(stream.comments.get()).as("the stream's first comment").isPositive();
    }
}
