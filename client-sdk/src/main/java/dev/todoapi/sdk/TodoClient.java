package dev.todoapi.sdk;

import dev.todoapi.client.ApiClient;
import dev.todoapi.client.api.AuthApi;
import dev.todoapi.client.api.ListsApi;
import dev.todoapi.client.api.SyncApi;
import dev.todoapi.client.api.MetaApi;
import dev.todoapi.client.api.TagsApi;
import dev.todoapi.client.api.TasksApi;
import dev.todoapi.client.api.WebhooksApi;
import dev.todoapi.client.model.AuthResponse;
import dev.todoapi.client.model.LoginRequest;
import dev.todoapi.client.model.RefreshRequest;
import dev.todoapi.client.model.RegisterRequest;
import dev.todoapi.client.model.User;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Entry point of the Todo API Java SDK: signs in, keeps the session's tokens, and hands out the API
 * classes generated from {@code openapi.yaml} already wired to send {@code Authorization: Bearer ...}.
 *
 * <pre>{@code
 * TodoClient client = TodoClient.builder().baseUrl("http://localhost:8080").build();
 * client.login("ada@example.com", "correct horse battery staple");
 * TaskPage page = client.tasks().listTasks(APIListTasksRequest.newBuilder()
 *         .status(TaskStatusFilter.PENDING).sort(TaskSortOrder.DUE_DATE).limit(20).build());
 * }</pre>
 *
 * <p><b>Tokens.</b> {@link #register}, {@link #login} and {@link #logout} manage the session. The access
 * token is refreshed (with the refresh token, {@code POST /api/v1/auth/refresh}) shortly before it
 * expires, and a call that still gets {@code 401 TOKEN_EXPIRED} is refreshed and sent again once. Refresh
 * tokens rotate; the client serializes refreshes so that concurrent calls never present the same one twice
 * (which the server would treat as token theft and answer by revoking the session).
 *
 * <p><b>Errors.</b> Every failure, of these methods and of the generated API classes alike, is an unchecked
 * {@link TodoException}: a non-2xx response is a {@link TodoApiException} carrying the problem's status,
 * stable code, detail, field errors and request id; a server that cannot be reached (refused connection,
 * timeout, broken connection) is a {@link TodoConnectionException} naming the method and URL, with the
 * {@link java.io.IOException} as its cause. The generated methods declare the generator's
 * {@link dev.todoapi.client.ApiException}; through a {@code TodoClient} it is thrown only for a response
 * body that cannot be read as the contract's JSON, or when the calling thread is interrupted.
 *
 * <p><b>Threads.</b> A {@code TodoClient} and the API objects it returns are thread-safe; share one per
 * base URL and user. It keeps no cookies: the refresh token travels in request and response bodies, as
 * the API offers to clients that send no {@code Origin} header.
 */
public final class TodoClient {

    /** Operations that take no access token, and to which none is sent. */
    private static final Set<String> PUBLIC_AUTH_PATHS = Set.of(
            "/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout");

    private final String baseUrl;
    private final String basePath;
    private final Clock clock;
    private final Tokens tokens;
    private final ApiClient apiClient;
    private final AuthApi publicAuth;
    private final AuthApi auth;
    private final TasksApi tasks;
    private final ListsApi lists;
    private final SyncApi sync;
    private final TagsApi tags;
    private final MetaApi meta;
    private final WebhooksApi webhooks;

    private TodoClient(Builder builder) {
        this.baseUrl = builder.baseUrl;
        this.basePath = URI.create(baseUrl).getRawPath();
        this.clock = builder.clock;
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(builder.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();

        this.tokens = new Tokens(clock, builder.refreshBeforeExpiry, this::refresh);

        // Sign-in, refresh and sign-out: no bearer token, so no refresh (the refresh itself goes through here);
        // the same client only to report an unreachable server as a TodoConnectionException.
        ApiClient publicClient = new FixedHttpClientApiClient(new RefreshingHttpClient(http, tokens), baseUrl);
        publicClient.setReadTimeout(builder.requestTimeout);
        publicClient.setResponseInterceptor(TodoClient::throwOnError);
        this.publicAuth = new AuthApi(publicClient);

        // Everything else: bearer token attached, refreshed before expiry and after 401 TOKEN_EXPIRED.
        this.apiClient = new FixedHttpClientApiClient(new RefreshingHttpClient(http, tokens), baseUrl);
        apiClient.setReadTimeout(builder.requestTimeout);
        apiClient.setRequestInterceptor(this::authorize);
        apiClient.setResponseInterceptor(TodoClient::throwOnError);
        this.auth = new AuthApi(apiClient);
        this.tasks = new TasksApi(apiClient);
        this.lists = new ListsApi(apiClient);
        this.sync = new SyncApi(apiClient);
        this.tags = new TagsApi(apiClient);
        this.meta = new MetaApi(apiClient);
        this.webhooks = new WebhooksApi(apiClient);
    }

    /** @return a builder; {@link Builder#baseUrl(String)} is the one required setting */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates an account and signs in as it ({@code POST /api/v1/auth/register}).
     *
     * @param email    the account's email (case-insensitive, unique)
     * @param password 8 to 128 characters
     * @param name     display name, or {@code null}
     * @return the new user
     * @throws TodoApiException e.g. 409 {@code EMAIL_ALREADY_EXISTS}, 422 {@code VALIDATION_FAILED}
     */
    public User register(String email, String password, String name) {
        AuthResponse response = publicAuth.register(new RegisterRequest().email(email).password(password).name(name));
        tokens.set(session(response));
        return response.getUser();
    }

    /**
     * Signs in with email and password ({@code POST /api/v1/auth/login}), replacing any current session
     * of this client.
     *
     * @param email    the account's email
     * @param password its password
     * @return the signed-in user
     * @throws TodoApiException e.g. 401 {@code INVALID_CREDENTIALS}, 429 {@code RATE_LIMIT_EXCEEDED}
     */
    public User login(String email, String password) {
        AuthResponse response = publicAuth.login(new LoginRequest().email(email).password(password));
        tokens.set(session(response));
        return response.getUser();
    }

    /**
     * Signs out ({@code POST /api/v1/auth/logout}): the server revokes the session's refresh token. The
     * client forgets its tokens first, so it is signed out locally even if the call fails. Does nothing
     * when not signed in.
     *
     * @throws TodoApiException when the server refuses (the local session is gone all the same)
     */
    public void logout() {
        Tokens.Session session = tokens.clear();
        if (session != null && session.refreshToken() != null) {
            publicAuth.logout(new RefreshRequest().refreshToken(session.refreshToken()));
        }
    }

    /** @return whether the client holds a session (it may still be refused if revoked on the server) */
    public boolean isSignedIn() {
        return tokens.current() != null;
    }

    /** @return the task operations ({@code /api/v1/tasks}), authenticated as the signed-in user */
    public TasksApi tasks() {
        return tasks;
    }

    /**
     * @return the task list operations ({@code /api/v1/lists}), authenticated as the signed-in user; a list's tasks in
     *     display order are {@link TasksApi#listTasksInDisplayOrder} in {@link #tasks()}
     */
    public ListsApi lists() {
        return lists;
    }

    /**
     * @return the change feed ({@code GET /api/v1/sync}: a full snapshot, then every change since a token),
     *     authenticated as the signed-in user
     */
    public SyncApi sync() {
        return sync;
    }

    /**
     * @return the webhook endpoint operations ({@code /api/v1/webhooks}: endpoints, secret rotation, test events, the
     *     delivery log), authenticated as the signed-in user
     */
    public WebhooksApi webhooks() {
        return webhooks;
    }

    /** @return the tag operations ({@code /api/v1/tags}), authenticated as the signed-in user */
    public TagsApi tags() {
        return tags;
    }

    /**
     * The account operations: {@code getMe}, {@code updateMe}, {@code deleteMe}, {@code changePassword}.
     * Use {@link #register}, {@link #login} and {@link #logout} rather than their generated counterparts,
     * which would not update this client's session.
     *
     * @return the account operations, authenticated as the signed-in user
     */
    public AuthApi auth() {
        return auth;
    }

    /** @return the service information and health check operations */
    public MetaApi meta() {
        return meta;
    }

    /**
     * The configured generated client, for building other generated API classes on it. Do not change
     * its interceptors: they carry the authentication and the error mapping.
     *
     * @return the underlying generated client
     */
    public ApiClient apiClient() {
        return apiClient;
    }

    /** @return the base URL the client talks to, without a trailing slash */
    public String baseUrl() {
        return baseUrl;
    }

    private Tokens.Session refresh(String refreshToken) {
        return session(publicAuth.refresh(new RefreshRequest().refreshToken(refreshToken)));
    }

    private Tokens.Session session(AuthResponse response) {
        Integer expiresIn = response.getExpiresIn();
        return new Tokens.Session(response.getAccessToken(), response.getRefreshToken(),
                expiresIn == null ? null : clock.instant().plusSeconds(expiresIn));
    }

    /** Request interceptor: the bearer token, unless the operation takes none or the caller set one. */
    private void authorize(HttpRequest.Builder request) {
        HttpRequest peek = request.copy().build();
        if (peek.headers().firstValue("Authorization").isPresent()) {
            return;
        }
        String path = peek.uri().getRawPath();
        if (path != null && path.startsWith(basePath) && PUBLIC_AUTH_PATHS.contains(path.substring(basePath.length()))) {
            return;
        }
        String token = tokens.accessTokenForRequest();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
    }

    /** Response interceptor: any non-2xx response becomes a TodoApiException. */
    static void throwOnError(HttpResponse<InputStream> response) {
        if (response.statusCode() / 100 == 2) {
            return;
        }
        byte[] body;
        try (InputStream in = ApiClient.getResponseBody(response)) {
            body = in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the error response " + response.statusCode(), e);
        }
        throw TodoApiException.fromResponse(response.statusCode(), response.headers(), body);
    }

    /** A generated ApiClient whose API classes all send through one given HttpClient. */
    private static final class FixedHttpClientApiClient extends ApiClient {
        private final HttpClient http;

        FixedHttpClientApiClient(HttpClient http, String baseUrl) {
            super(HttpClient.newBuilder(), ApiClient.createDefaultObjectMapper(), baseUrl);
            this.http = http;
        }

        @Override
        public HttpClient getHttpClient() {
            return http;
        }
    }

    /**
     * Settings of a {@link TodoClient}. Not thread-safe; {@link #build()} may be called more than once,
     * each client with its own session.
     */
    public static final class Builder {
        private String baseUrl;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration refreshBeforeExpiry = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /**
         * @param baseUrl where the API is served, e.g. {@code https://todo.example.com} (required; a
         *                trailing slash is ignored)
         * @return this builder
         */
        public Builder baseUrl(String baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            String trimmed = baseUrl.strip();
            while (trimmed.endsWith("/")) {
                trimmed = trimmed.substring(0, trimmed.length() - 1);
            }
            URI uri = URI.create(trimmed);
            if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("baseUrl must be an http(s) URL without query: " + baseUrl);
            }
            this.baseUrl = trimmed;
            return this;
        }

        /**
         * @param timeout how long to wait for a TCP/TLS connection (default 10 s)
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * @param timeout how long to wait for each response (default 30 s); a late one fails with
         *                a {@link TodoConnectionException} whose cause is a {@link java.net.http.HttpTimeoutException}
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /**
         * @param margin refresh the access token when it expires within this much time (default 30 s)
         * @return this builder
         */
        public Builder refreshBeforeExpiry(Duration margin) {
            Objects.requireNonNull(margin, "refreshBeforeExpiry");
            if (margin.isNegative()) {
                throw new IllegalArgumentException("refreshBeforeExpiry must not be negative");
            }
            this.refreshBeforeExpiry = margin;
            return this;
        }

        /** For tests: the clock that access-token expiry is measured on. */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return a new client, signed out
         * @throws IllegalStateException when no base URL was set
         */
        public TodoClient build() {
            if (baseUrl == null) {
                throw new IllegalStateException("baseUrl is required");
            }
            return new TodoClient(this);
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }
    }
}
