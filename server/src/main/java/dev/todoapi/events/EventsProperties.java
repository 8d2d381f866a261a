package dev.todoapi.events;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The live event stream ({@code GET /api/v1/events}).
 *
 * @param listenUrl         TODO_EVENTS_LISTEN_URL: where the instance LISTENs for other instances' changes. LISTEN
 *                          needs a session of its own: behind PgBouncer in transaction mode, point this at PostgreSQL
 *                          itself (or a session-mode pool). Default: the database the API uses.
 * @param listenUser        TODO_EVENTS_LISTEN_USER, overrides the URL's user
 * @param listenPassword    TODO_EVENTS_LISTEN_PASSWORD, overrides the URL's password
 * @param heartbeat         TODO_EVENTS_HEARTBEAT: how often an idle stream gets a comment line
 * @param poll              TODO_EVENTS_POLL: how often each streamed user's change number is read anyway (a missed
 *                          notification, a listener reconnecting, a pooler that swallows LISTEN)
 * @param streamTimeout     TODO_EVENTS_STREAM_TIMEOUT: a stream ends after this (the client reconnects with
 *                          Last-Event-ID; an EventSource does so by itself)
 * @param maxStreams        TODO_EVENTS_MAX_STREAMS: open streams per instance. Each holds about 120 KiB of heap (Tomcat's
 *                          buffers of an open connection): 1,000 take about 125 MiB of the 256 MiB of server/jvm.options,
 *                          2,000 ran it out of memory. Raise it with -Xmx.
 * @param maxStreamsPerUser TODO_EVENTS_MAX_STREAMS_PER_USER: open streams per user on one instance
 * @param ticketTtl         how long a stream ticket opens a stream
 */
@ConfigurationProperties("todo.events")
public record EventsProperties(
        @Nullable String listenUrl,
        @Nullable String listenUser,
        @Nullable String listenPassword,
        @DefaultValue("15s") Duration heartbeat,
        @DefaultValue("30s") Duration poll,
        @DefaultValue("1h") Duration streamTimeout,
        @DefaultValue("1000") int maxStreams,
        @DefaultValue("10") int maxStreamsPerUser,
        @DefaultValue("60s") Duration ticketTtl) {}
