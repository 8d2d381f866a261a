package dev.todoapi.events;

import dev.todoapi.api.model.StreamChanges;
import dev.todoapi.api.model.StreamResync;
import dev.todoapi.sync.Sync;
import dev.todoapi.web.ApiException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The open event streams of this instance. A stream holds no thread: it is an async response ({@link SseEmitter}),
 * written to when its user's changes arrive. A change notification (from {@link ChangeListener}, whichever instance
 * served the write) wakes the user's streams; each reads the feed after its own position (a few small index reads,
 * on a small pool of reader threads; streams of one user at one position share each read) and sends one
 * {@code changes} event per page, with the new position as its {@code id}. Notifications that come while a user's
 * streams are reading are folded into one more read, so a burst of writes costs a few reads, not one per write. Every
 * {@code poll} each streamed user's change number is checked anyway.
 */
@Component
public class EventStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventStreams.class);
    private static final int PAGE = 1000;

    private final Sync sync;
    private final EventsProperties properties;
    private final Map<String, UserStreams> byUser = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    /** Made at each start (a context can be stopped and started again). */
    private volatile ExecutorService readers = Executors.newFixedThreadPool(4, Thread.ofPlatform().name("event-reader-", 0).daemon().factory());
    private volatile ScheduledExecutorService timer;
    private volatile boolean running;

    EventStreams(Sync sync, EventsProperties properties, MeterRegistry meters) {
        this.sync = sync;
        this.properties = properties;
        Gauge.builder("todo.events.streams", open, AtomicInteger::get).description("Open event streams").register(meters);
    }

    /** One client's stream. */
    final class Stream {
        final String userId;
        final SseEmitter emitter;
        volatile String token;
        volatile long position;
        final AtomicBoolean closed = new AtomicBoolean();

        Stream(String userId, SseEmitter emitter, String token) {
            this.userId = userId;
            this.emitter = emitter;
            this.token = token;
            this.position = Sync.position(token);
        }
    }

    /** A user's streams on this instance, and whether their feed is being read. */
    final class UserStreams {
        final String userId;
        final Set<Stream> streams = ConcurrentHashMap.newKeySet();
        final AtomicBoolean reading = new AtomicBoolean();
        final AtomicBoolean dirty = new AtomicBoolean();

        UserStreams(String userId) {
            this.userId = userId;
        }
    }

    /**
     * Opens a stream from the token (or from now): 429 TOO_MANY_STREAMS past the limits, 422 for a token that is no
     * token of ours. What was missed since the token is sent at once.
     */
    public SseEmitter open(String userId, @Nullable String token) {
        String from = token == null || token.isBlank() ? sync.head(userId) : token;
        Sync.position(from); // 422 before anything is open
        if (open.incrementAndGet() > properties.maxStreams()) {
            open.decrementAndGet();
            throw tooMany("This instance has " + properties.maxStreams() + " open event streams, the most it takes; retry later.");
        }
        SseEmitter emitter = new SseEmitter(properties.streamTimeout().toMillis());
        Stream stream = new Stream(userId, emitter, from);
        UserStreams mine;
        synchronized (byUser) {
            mine = byUser.computeIfAbsent(userId, UserStreams::new);
            if (mine.streams.size() >= properties.maxStreamsPerUser()) {
                open.decrementAndGet();
                throw tooMany("This user has " + properties.maxStreamsPerUser()
                        + " open event streams on this instance, the most it may; close one first.");
            }
            mine.streams.add(stream);
        }
        emitter.onCompletion(() -> close(stream));
        emitter.onTimeout(() -> {
            close(stream);
            emitter.complete(); // the stream simply ends (the client reconnects with Last-Event-ID), no error response
        });
        emitter.onError(error -> close(stream));
        if (!send(stream, SseEmitter.event().comment("connected"))) {
            return emitter;
        }
        if (token != null && !token.isBlank()) {
            wake(mine);
        }
        return emitter;
    }

    private static ApiException tooMany(String detail) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "TOO_MANY_STREAMS", detail).withHeader("Retry-After", "30");
    }

    /** A change of the user numbered {@code seq} has committed (on any instance). */
    void changed(String userId, long seq) {
        UserStreams mine = byUser.get(userId);
        if (mine != null && mine.streams.stream().anyMatch(stream -> seq > stream.position)) {
            wake(mine);
        }
    }

    /** Every stream reads the feed after its position: after the listener (re)connects. */
    void catchUpAll() {
        byUser.values().forEach(this::wake);
    }

    /** Open streams on this instance. */
    public int openStreams() {
        return open.get();
    }

    private void wake(UserStreams user) {
        user.dirty.set(true);
        if (user.reading.compareAndSet(false, true)) {
            try {
                readers.execute(() -> drain(user));
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                user.reading.set(false);
            }
        }
    }

    private void drain(UserStreams user) {
        try {
            while (user.dirty.getAndSet(false)) {
                // Streams at the same position (the usual case: they all got the last event) share each read.
                Map<String, List<Stream>> byToken = new HashMap<>();
                for (Stream stream : user.streams) {
                    byToken.computeIfAbsent(stream.token, t -> new ArrayList<>()).add(stream);
                }
                byToken.forEach((token, streams) -> readAll(user, token, streams));
            }
        } finally {
            user.reading.set(false);
        }
        if (user.dirty.get()) {
            wake(user); // a notification came after the last read began
        }
    }

    private void readAll(UserStreams user, String from, List<Stream> streams) {
        String token = from;
        try {
            Sync.Peek peek;
            do {
                peek = sync.peek(user.userId, token, PAGE);
                if (!peek.changes().isEmpty()) {
                    StreamChanges data = new StreamChanges(peek.next(), peek.changes());
                    for (Stream stream : streams) {
                        send(stream, SseEmitter.event().name("changes").id(peek.next()).data(data, MediaType.APPLICATION_JSON));
                    }
                }
                token = peek.next();
                long position = Sync.position(token);
                for (Stream stream : streams) {
                    stream.token = token;
                    stream.position = position;
                }
            } while (peek.more());
        } catch (ApiException e) {
            if (e.status() == HttpStatus.GONE) {
                for (Stream stream : streams) {
                    send(stream, SseEmitter.event().name("resync")
                            .data(new StreamResync(StreamResync.CodeEnum.SYNC_TOKEN_EXPIRED, e.getMessage()), MediaType.APPLICATION_JSON));
                    stream.emitter.complete();
                    close(stream);
                }
            } else {
                log.warn("Event streams of {} could not read the feed: {}", user.userId, e.getMessage());
                user.dirty.set(true); // tried again at the next notification, heartbeat or poll
            }
        } catch (RuntimeException e) {
            log.warn("Event streams of {} could not read the feed (will retry): {}", user.userId, e.toString());
            user.dirty.set(true);
        }
    }

    /** Sends, or closes the stream when the client has gone. */
    private boolean send(Stream stream, SseEmitter.SseEventBuilder event) {
        if (stream.closed.get()) {
            return false;
        }
        try {
            synchronized (stream) {
                stream.emitter.send(event);
            }
            return true;
        } catch (IOException | IllegalStateException gone) {
            close(stream);
            return false;
        }
    }

    private void close(Stream stream) {
        if (!stream.closed.compareAndSet(false, true)) {
            return;
        }
        open.decrementAndGet();
        synchronized (byUser) {
            UserStreams mine = byUser.get(stream.userId);
            if (mine != null) {
                mine.streams.remove(stream);
                if (mine.streams.isEmpty()) {
                    byUser.remove(stream.userId);
                }
            }
        }
    }

    private void heartbeat() {
        byUser.values().forEach(user -> {
            user.streams.forEach(stream -> send(stream, SseEmitter.event().comment("heartbeat")));
            if (user.dirty.get()) {
                wake(user); // a read that failed earlier
            }
        });
    }

    private void poll() {
        for (String userId : byUser.keySet()) {
            try {
                changed(userId, sync.committed(userId));
            } catch (RuntimeException e) {
                log.debug("Polling the change number of {} failed: {}", userId, e.toString());
            }
        }
    }

    @Override
    public void start() {
        if (readers.isShutdown()) {
            readers = Executors.newFixedThreadPool(4, Thread.ofPlatform().name("event-reader-", 0).daemon().factory());
        }
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("event-timer").daemon().factory());
        running = true;
        long beat = properties.heartbeat().toMillis();
        timer.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        long poll = properties.poll().toMillis();
        timer.scheduleWithFixedDelay(this::poll, poll, poll, TimeUnit.MILLISECONDS);
    }

    /**
     * First thing at shutdown (the highest phase stops first): every stream ends, so graceful shutdown doesn't wait
     * for them; clients reconnect, to another instance, with Last-Event-ID.
     */
    @Override
    public void stop() {
        running = false;
        if (timer != null) {
            timer.shutdownNow();
        }
        readers.shutdownNow();
        byUser.values().forEach(user -> user.streams.forEach(stream -> {
            try {
                stream.emitter.complete();
            } catch (RuntimeException ignored) {
                // already gone
            }
            close(stream);
        }));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
