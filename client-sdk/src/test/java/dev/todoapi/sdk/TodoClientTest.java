package dev.todoapi.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.todoapi.client.model.User;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TodoClient against a JDK HttpServer that plays the Todo API's auth rules. */
class TodoClientTest {

    private static final String USER_JSON =
            "{\"id\":\"5b0c6a2e-3f4d-4b8e-9a51-6c1d2e3f4a5b\",\"email\":\"ada@example.com\",\"name\":\"Ada\",\"created_at\":\"2026-11-23T10:15:30Z\"}";
    private static final Pattern REFRESH_TOKEN = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]*)\"");

    /** One request as the stub saw it. */
    record Seen(String method, String path, String authorization, String origin, String contentType, String body) {}

    /** A response of the stub. */
    record Reply(int status, String contentType, String body, Map<String, String> headers) {
        static Reply json(int status, String body) {
            return new Reply(status, "application/json", body, Map.of());
        }

        static Reply problem(int status, String code, String requestId) {
            return new Reply(status, "application/problem+json",
                    "{\"type\":\"about:blank\",\"title\":\"t\",\"status\":" + status + ",\"code\":\"" + code
                            + "\",\"detail\":\"d-" + code + "\"}",
                    Map.of("X-Request-Id", requestId));
        }
    }

    private HttpServer server;
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Function<Seen, Reply>> routes = new ConcurrentHashMap<>();

    // The stub's auth state: valid access tokens, live and rotated refresh tokens.
    private final Set<String> validAccess = ConcurrentHashMap.newKeySet();
    private final Set<String> liveRefresh = ConcurrentHashMap.newKeySet();
    private final Set<String> usedRefresh = ConcurrentHashMap.newKeySet();
    private final AtomicInteger generation = new AtomicInteger(1);
    private final AtomicInteger refreshCalls = new AtomicInteger();
    private volatile int expiresIn = 900;
    private volatile boolean expireIssued; // the access tokens issued now are ones the server deems expired

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();

        routes.put("POST /api/v1/auth/login", request -> signedIn(200));
        routes.put("POST /api/v1/auth/register", request -> signedIn(201));
        routes.put("POST /api/v1/auth/refresh", request -> {
            refreshCalls.incrementAndGet();
            Matcher m = REFRESH_TOKEN.matcher(request.body());
            String token = m.find() ? m.group(1) : null;
            if (token == null) {
                return Reply.problem(401, "MISSING_REFRESH_TOKEN", "r");
            }
            if (usedRefresh.contains(token)) {
                liveRefresh.clear();
                validAccess.clear();
                return Reply.problem(401, "REFRESH_TOKEN_REUSED", "r");
            }
            if (!liveRefresh.remove(token)) {
                return Reply.problem(401, "REFRESH_TOKEN_EXPIRED", "r");
            }
            usedRefresh.add(token);
            return signedIn(200);
        });
        routes.put("POST /api/v1/auth/logout", request -> new Reply(204, null, "", Map.of()));
        routes.put("GET /api/v1/auth/me", request -> {
            String auth = request.authorization();
            if (auth == null) {
                return Reply.problem(401, "MISSING_TOKEN", "r");
            }
            String token = auth.substring("Bearer ".length());
            if (token.startsWith("expired-")) {
                return Reply.problem(401, "TOKEN_EXPIRED", "r");
            }
            return validAccess.contains(token) ? Reply.json(200, USER_JSON) : Reply.problem(401, "INVALID_TOKEN", "r");
        });
    }

    @AfterEach
    void stop() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    /** Signs in: a new access token ("a<n>", or "expired-a<n>" while expireIssued) and refresh token. */
    private Reply signedIn(int status) {
        int n = generation.getAndIncrement();
        String access = (expireIssued ? "expired-a" : "a") + n;
        String refresh = "r" + n;
        validAccess.add(access);
        liveRefresh.add(refresh);
        return Reply.json(status, "{\"user\":" + USER_JSON + ",\"access_token\":\"" + access
                + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + ",\"refresh_token\":\"" + refresh
                + "\",\"refresh_expires_in\":604800}");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Seen request = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Origin"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body);
            seen.add(request);
            Function<Seen, Reply> route = routes.get(request.method() + " " + request.path());
            Reply reply = route != null ? route.apply(request) : Reply.problem(404, "NOT_FOUND", "nf-1");
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            if (reply.contentType() != null) {
                exchange.getResponseHeaders().add("Content-Type", reply.contentType());
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private TodoClient client() {
        return TodoClient.builder().baseUrl(baseUrl() + "/").build();
    }

    private List<String> calls() {
        synchronized (seen) {
            return seen.stream().map(s -> s.method() + " " + s.path() + (s.authorization() == null ? "" : " " + s.authorization())).toList();
        }
    }

    @Test
    void loginKeepsTheTokensAndSendsTheBearerOnlyWhereItBelongs() {
        TodoClient client = client();
        assertFalse(client.isSignedIn());

        User user = client.login("ada@example.com", "correct horse battery staple");
        User me = client.auth().getMe();

        assertEquals("ada@example.com", user.getEmail());
        assertEquals(user, me);
        assertTrue(client.isSignedIn());
        assertEquals(List.of("POST /api/v1/auth/login", "GET /api/v1/auth/me Bearer a1"), calls());
        assertTrue(seen.get(0).body().contains("\"email\":\"ada@example.com\""));
        assertTrue(seen.stream().allMatch(s -> s.origin() == null), "no Origin, so the server returns the refresh token");
        assertEquals(baseUrl(), client.baseUrl());
    }

    @Test
    void aCallThatGets401TokenExpiredIsRefreshedAndSentAgainOnce() {
        TodoClient client = client();
        expireIssued = true; // the server deems the first access token expired
        client.login("ada@example.com", "pw");
        expireIssued = false;

        User me = client.auth().getMe();

        assertEquals("ada@example.com", me.getEmail());
        assertEquals(List.of("POST /api/v1/auth/login", "GET /api/v1/auth/me Bearer expired-a1",
                "POST /api/v1/auth/refresh", "GET /api/v1/auth/me Bearer a2"), calls());
        Seen refresh = seen.get(2);
        assertEquals("{\"refresh_token\":\"r1\"}", refresh.body());
        assertTrue(refresh.contentType().startsWith("application/json"));
    }

    @Test
    void aTokenThatExpiresWithinTheMarginIsRefreshedBeforeTheCall() {
        expiresIn = 10; // less than the 30 s margin
        TodoClient client = client();
        client.login("ada@example.com", "pw");
        expiresIn = 900;

        client.auth().getMe();
        client.auth().getMe();

        assertEquals(List.of("POST /api/v1/auth/login", "POST /api/v1/auth/refresh",
                "GET /api/v1/auth/me Bearer a2", "GET /api/v1/auth/me Bearer a2"), calls());
    }

    @Test
    void expiryIsMeasuredFromWhenTheTokensArrived() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        TodoClient client = TodoClient.builder().baseUrl(baseUrl()).clock(clock).build();
        client.login("ada@example.com", "pw"); // expires_in 900

        clock.advance(Duration.ofSeconds(860));
        client.auth().getMe();
        assertEquals(0, refreshCalls.get(), "not yet: 40 s left");
        clock.advance(Duration.ofSeconds(20));
        client.auth().getMe();

        assertEquals(List.of("POST /api/v1/auth/login", "GET /api/v1/auth/me Bearer a1",
                "POST /api/v1/auth/refresh", "GET /api/v1/auth/me Bearer a2"), calls());
    }

    @Test
    void anInvalidTokenIsNotRefreshedButThrown() {
        TodoClient client = client();
        client.login("ada@example.com", "pw");
        validAccess.clear(); // the server no longer knows it: INVALID_TOKEN

        TodoApiException e = assertThrows(TodoApiException.class, () -> client.auth().getMe());

        assertEquals(401, e.status());
        assertEquals("INVALID_TOKEN", e.code());
        assertEquals(0, refreshCalls.get());
    }

    @Test
    void aRefusedRefreshEndsTheSessionAndIsThrown() {
        TodoClient client = client();
        expireIssued = true;
        client.login("ada@example.com", "pw");
        liveRefresh.clear(); // e.g. the password was changed elsewhere

        TodoApiException e = assertThrows(TodoApiException.class, () -> client.auth().getMe());

        assertEquals("REFRESH_TOKEN_EXPIRED", e.code());
        assertFalse(client.isSignedIn());
        assertEquals(List.of("POST /api/v1/auth/login", "GET /api/v1/auth/me Bearer expired-a1",
                "POST /api/v1/auth/refresh"), calls());
    }

    @Test
    void concurrentCallsWithAnExpiredTokenShareOneRefresh() throws Exception {
        TodoClient client = client();
        expireIssued = true;
        client.login("ada@example.com", "pw");
        expireIssued = false;

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<User>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> client.auth().getMe()));
            }
            for (Future<User> result : results) {
                assertEquals("ada@example.com", result.get(10, TimeUnit.SECONDS).getEmail());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, refreshCalls.get(), "the rotated refresh token r1 must be presented once only");
        assertTrue(usedRefresh.contains("r1"));
    }

    @Test
    void everyErrorResponseOfAGeneratedApiIsATodoApiException() {
        TodoClient client = client();
        client.login("ada@example.com", "pw");
        routes.put("GET /api/v1/tasks/0b3f6d1e-6c2a-4f0e-9d7b-2a1c3e4f5a6b",
                request -> Reply.problem(404, "TASK_NOT_FOUND", "req-404"));

        TodoApiException e = assertThrows(TodoApiException.class,
                () -> client.tasks().getTask(UUID.fromString("0b3f6d1e-6c2a-4f0e-9d7b-2a1c3e4f5a6b")));

        assertEquals(404, e.status());
        assertEquals("TASK_NOT_FOUND", e.code());
        assertEquals("d-TASK_NOT_FOUND", e.detail());
        assertEquals("req-404", e.requestId());
        assertEquals("GET /api/v1/tasks/0b3f6d1e-6c2a-4f0e-9d7b-2a1c3e4f5a6b Bearer a1", calls().get(1));
    }

    @Test
    void aFailedSignInIsATodoApiExceptionAndLeavesTheClientSignedOut() {
        routes.put("POST /api/v1/auth/register", request -> Reply.problem(409, "EMAIL_ALREADY_EXISTS", "req-409"));
        TodoClient client = client();

        TodoApiException e = assertThrows(TodoApiException.class, () -> client.register("ada@example.com", "pw123456", "Ada"));

        assertEquals(409, e.status());
        assertEquals("EMAIL_ALREADY_EXISTS", e.code());
        assertFalse(client.isSignedIn());
    }

    @Test
    void logoutRevokesTheRefreshTokenAndForgetsTheSession() {
        TodoClient client = client();
        client.register("ada@example.com", "pw123456", null);

        client.logout();
        client.logout(); // nothing left to do
        TodoApiException e = assertThrows(TodoApiException.class, () -> client.auth().getMe());

        assertFalse(client.isSignedIn());
        assertEquals("MISSING_TOKEN", e.code());
        assertEquals(List.of("POST /api/v1/auth/register", "POST /api/v1/auth/logout", "GET /api/v1/auth/me"), calls());
        assertEquals("{\"refresh_token\":\"r1\"}", seen.get(1).body());
        assertFalse(seen.get(0).body().contains("\"name\""), "a null name is left out");
    }

    @Test
    void aSlowServerIsAConnectionExceptionNamingTheRequestWithTheTimeoutAsCause() {
        routes.put("GET /health", request -> {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            return Reply.json(200, "{\"status\":\"healthy\",\"database\":\"up\"}");
        });
        TodoClient client = TodoClient.builder().baseUrl(baseUrl()).requestTimeout(Duration.ofMillis(200)).build();

        TodoConnectionException e = assertThrows(TodoConnectionException.class, () -> client.meta().getHealth());

        assertInstanceOf(HttpTimeoutException.class, e.getCause());
        assertEquals("GET", e.method());
        assertEquals(baseUrl() + "/health", e.uri().toString());
    }

    @Test
    void anUnreachableServerIsAConnectionExceptionWithItsUrl() throws IOException {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        TodoClient client = TodoClient.builder().baseUrl("http://127.0.0.1:" + closedPort).build();

        TodoException login = assertThrows(TodoException.class, () -> client.login("ada@example.com", "pw"));
        TodoConnectionException e = assertInstanceOf(TodoConnectionException.class, login);

        assertEquals("POST", e.method());
        assertEquals("http://127.0.0.1:" + closedPort + "/api/v1/auth/login", e.uri().toString());
        assertTrue(e.getMessage().contains("http://127.0.0.1:" + closedPort + "/api/v1/auth/login"), e.getMessage());
        assertInstanceOf(java.net.ConnectException.class, e.getCause());
        assertThrows(TodoConnectionException.class, () -> client.meta().getHealth());
    }

    @Test
    void theBuilderChecksItsSettings() {
        assertThrows(IllegalStateException.class, () -> TodoClient.builder().build());
        assertThrows(IllegalArgumentException.class, () -> TodoClient.builder().baseUrl("localhost:8080"));
        assertThrows(IllegalArgumentException.class, () -> TodoClient.builder().baseUrl("ftp://example.com"));
        assertThrows(IllegalArgumentException.class, () -> TodoClient.builder().connectTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> TodoClient.builder().refreshBeforeExpiry(Duration.ofSeconds(-1)));
        assertEquals("https://todo.example.com/base",
                TodoClient.builder().baseUrl("https://todo.example.com/base//").build().baseUrl());
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }
}
