package dev.todoapi.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Sends one signed event to an endpoint: a POST with the Standard Webhooks headers, connected only to addresses
 * {@link UrlGuard} allowed at this moment (its DNS resolver is the guard's), no redirects followed, a deadline of
 * {@code timeout} for the whole exchange, and at most {@code maxResponseBytes} of the answer read.
 */
@Component
class WebhookSender implements DisposableBean {

    /** How an attempt went: a 2xx answer, or why not. */
    record Outcome(boolean success, @Nullable Integer status, int latencyMs, @Nullable String error, @Nullable String body) {}

    private final UrlGuard guard;
    private final WebhookProperties properties;
    private final CloseableHttpClient http;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "webhook-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    WebhookSender(UrlGuard guard, WebhookProperties properties) {
        this.guard = guard;
        this.properties = properties;
        Timeout timeout = Timeout.of(properties.timeout());
        DnsResolver resolver = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                try {
                    return guard.addresses(host).toArray(InetAddress[]::new);
                } catch (UrlGuard.Refused refused) {
                    throw new RefusedAddress(refused);
                }
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(resolver)
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout).build())
                .setMaxConnTotal(Math.max(20, properties.threads() * 4))
                .setMaxConnPerRoute(4)
                .build();
        this.http = HttpClients.custom()
                .setConnectionManager(connections)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent("todo-api-webhooks/1")
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout)
                        .setConnectionRequestTimeout(timeout).build())
                .build();
    }

    /** The refusal of the guard, as the resolver's failure. */
    static final class RefusedAddress extends UnknownHostException {
        final UrlGuard.Refused refused;

        RefusedAddress(UrlGuard.Refused refused) {
            super(refused.getMessage());
            this.refused = refused;
        }
    }

    Outcome send(String url, String messageId, long timestamp, String signatures, byte[] body) {
        long started = System.nanoTime();
        URI uri;
        try {
            uri = guard.parse(url);
        } catch (UrlGuard.Refused refused) {
            return new Outcome(false, null, 0, refused.code() + ": " + refused.getMessage(), null);
        }
        HttpPost post = new HttpPost(uri);
        post.setHeader("webhook-id", messageId);
        post.setHeader("webhook-timestamp", Long.toString(timestamp));
        post.setHeader("webhook-signature", signatures);
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        ScheduledFuture<?> deadline = deadlines.schedule(post::cancel, properties.timeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            return http.execute(post, response -> {
                int status = response.getCode();
                String text = null;
                if (response.getEntity() != null) {
                    try (InputStream in = response.getEntity().getContent()) {
                        byte[] bytes = in.readNBytes(properties.maxResponseBytes());
                        text = new String(bytes, StandardCharsets.UTF_8);
                    }
                }
                // Closing without reading the rest: the connection is not reused when more was left.
                boolean ok = status >= 200 && status < 300;
                String error = ok ? null : status >= 300 && status < 400 ? "HTTP " + status + " (redirects are not followed)" : "HTTP " + status;
                return new Outcome(ok, status, elapsed(started), error, text == null || text.isEmpty() ? null : text);
            });
        } catch (RefusedAddress refused) {
            return new Outcome(false, null, elapsed(started), refused.refused.code() + ": " + refused.getMessage(), null);
        } catch (IOException | RuntimeException e) {
            String error = post.isCancelled() ? "timed out after " + properties.timeout().toMillis() + " ms"
                    : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return new Outcome(false, null, elapsed(started), error.length() > 500 ? error.substring(0, 500) : error, null);
        } finally {
            deadline.cancel(false);
        }
    }

    private static int elapsed(long started) {
        return (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    @Override
    public void destroy() throws IOException {
        deadlines.shutdownNow();
        http.close();
    }

    static String signatures(List<String> secrets, String messageId, long timestamp, byte[] body) {
        StringBuilder header = new StringBuilder();
        for (String secret : secrets) {
            header.append(header.isEmpty() ? "" : " ").append(WebhookSignature.sign(secret, messageId, timestamp, body));
        }
        return header.toString();
    }
}
