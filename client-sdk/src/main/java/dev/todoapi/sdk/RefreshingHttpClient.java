package dev.todoapi.sdk;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * The {@link HttpClient} the generated API classes of a {@link TodoClient} send through: a request that
 * carried a bearer token and got {@code 401 TOKEN_EXPIRED} is sent once more with a refreshed token.
 * Everything else is the wrapped client's behaviour.
 *
 * <p>Only a 401's body is buffered (to read its problem code); every other response streams to the
 * caller's body handler as usual.
 */
final class RefreshingHttpClient extends HttpClient {

    private static final String AUTHORIZATION = "Authorization";
    private static final String BEARER = "Bearer ";

    private final HttpClient delegate;
    private final Tokens tokens;

    RefreshingHttpClient(HttpClient delegate, Tokens tokens) {
        this.delegate = delegate;
        this.tokens = tokens;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler)
            throws IOException, InterruptedException {
        Optional<String> authorization = request.headers().firstValue(AUTHORIZATION);
        if (authorization.isEmpty() || !authorization.get().startsWith(BEARER)) {
            return send(delegate, request, handler);
        }
        // A 401's body as bytes, to look at; any other status straight to the caller's handler.
        BodyHandler<Object> probe = info -> info.statusCode() == 401
                ? (BodySubscriber<Object>) (BodySubscriber<?>) BodySubscribers.ofByteArray()
                : (BodySubscriber<Object>) (BodySubscriber<?>) handler.apply(info);
        HttpResponse<Object> response = send(delegate, request, probe);
        if (response.statusCode() != 401) {
            return (HttpResponse<T>) response;
        }
        byte[] body = (byte[]) response.body();
        if (Tokens.shouldRefreshAfterResponse(401, TodoApiException.problemCode(body), true)) {
            String rejected = authorization.get().substring(BEARER.length());
            String fresh = tokens.accessTokenAfterExpired(rejected);
            if (fresh != null && !fresh.equals(rejected)) {
                HttpRequest retry = HttpRequest.newBuilder(request, (name, value) -> !AUTHORIZATION.equalsIgnoreCase(name))
                        .header(AUTHORIZATION, BEARER + fresh)
                        .build();
                return send(delegate, retry, handler);
            }
        }
        return replay((HttpResponse<byte[]>) (HttpResponse<?>) response, body, handler);
    }

    /**
     * Sends through {@code client}; a failure to reach the server becomes a {@link TodoConnectionException}
     * naming the request, which passes through the generated code untouched (it wraps only checked ones).
     */
    static <T> HttpResponse<T> send(HttpClient client, HttpRequest request, BodyHandler<T> handler) throws InterruptedException {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            throw new TodoConnectionException(request.method(), request.uri(), e);
        }
    }

    /** Hands an already-read body to the caller's handler, as if it were arriving from the network. */
    static <T> HttpResponse<T> replay(HttpResponse<byte[]> response, byte[] body, BodyHandler<T> handler) {
        BodySubscriber<T> subscriber = handler.apply(new HttpResponse.ResponseInfo() {
            @Override public int statusCode() { return response.statusCode(); }
            @Override public HttpHeaders headers() { return response.headers(); }
            @Override public HttpClient.Version version() { return response.version(); }
        });
        subscriber.onSubscribe(new Flow.Subscription() {
            private boolean done;

            @Override
            public synchronized void request(long n) {
                if (done || n <= 0) {
                    return;
                }
                done = true;
                if (body != null && body.length > 0) {
                    subscriber.onNext(List.of(ByteBuffer.wrap(body)));
                }
                subscriber.onComplete();
            }

            @Override
            public synchronized void cancel() {
                done = true;
            }
        });
        T value = subscriber.getBody().toCompletableFuture().join();
        return new HttpResponse<>() {
            @Override public int statusCode() { return response.statusCode(); }
            @Override public HttpRequest request() { return response.request(); }
            @Override public Optional<HttpResponse<T>> previousResponse() { return Optional.empty(); }
            @Override public HttpHeaders headers() { return response.headers(); }
            @Override public T body() { return value; }
            @Override public Optional<SSLSession> sslSession() { return response.sslSession(); }
            @Override public java.net.URI uri() { return response.uri(); }
            @Override public HttpClient.Version version() { return response.version(); }
        };
    }

    // The generated code is synchronous; asynchronous sends go out as they are (bearer, no retry).

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler) {
        return delegate.sendAsync(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler,
            PushPromiseHandler<T> pushPromiseHandler) {
        return delegate.sendAsync(request, handler, pushPromiseHandler);
    }

    @Override public Optional<CookieHandler> cookieHandler() { return delegate.cookieHandler(); }
    @Override public Optional<Duration> connectTimeout() { return delegate.connectTimeout(); }
    @Override public Redirect followRedirects() { return delegate.followRedirects(); }
    @Override public Optional<ProxySelector> proxy() { return delegate.proxy(); }
    @Override public SSLContext sslContext() { return delegate.sslContext(); }
    @Override public SSLParameters sslParameters() { return delegate.sslParameters(); }
    @Override public Optional<Authenticator> authenticator() { return delegate.authenticator(); }
    @Override public HttpClient.Version version() { return delegate.version(); }
    @Override public Optional<Executor> executor() { return delegate.executor(); }
}
