package dev.todoapi.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Flow;

/**
 * A minimal Server-Sent Events reader for tests (the wire format of the HTML standard: {@code event:}, {@code id:},
 * {@code data:} lines, a blank line ends an event, lines starting with {@code :} are comments), over the JDK's
 * HttpClient, holding no thread per stream.
 */
public final class SseClient implements AutoCloseable {

    public record Event(String name, String id, String data) {}

    public final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    public final AtomicInteger comments = new AtomicInteger();
    public final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final CompletableFuture<HttpResponse<Void>> response;
    /** Completes with the status and headers as they arrive (the response itself completes when the stream ends). */
    private final CompletableFuture<HttpResponse.ResponseInfo> info = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;

    private SseClient(HttpClient http, HttpRequest request) {
        Flow.Subscriber<String> lines = new Flow.Subscriber<>() {
            private String name = "message";
            private String id = "";
            private final List<String> data = new ArrayList<>();

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(String line) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(name, id, String.join("\n", data)));
                    }
                    name = "message";
                    data.clear();
                } else if (line.startsWith(":")) {
                    comments.incrementAndGet();
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "event" -> name = value;
                        case "id" -> id = value;
                        case "data" -> data.add(value);
                        default -> { }
                    }
                }
            }

            @Override
            public void onError(Throwable throwable) {
                ended.complete(null);
            }

            @Override
            public void onComplete() {
                ended.complete(null);
            }
        };
        response = http.sendAsync(request, responseInfo -> {
            info.complete(responseInfo);
            return HttpResponse.BodySubscribers.fromLineSubscriber(lines);
        });
        response.whenComplete((r, failure) -> {
            if (failure != null) {
                info.completeExceptionally(failure);
                ended.complete(null);
            }
        });
    }

    public static SseClient open(HttpClient http, String url, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return new SseClient(http, request.build());
    }

    /** The response status (waits for the headers). */
    public int status() throws Exception {
        return info.get(30, TimeUnit.SECONDS).statusCode();
    }

    public String header(String name) throws Exception {
        return info.get(30, TimeUnit.SECONDS).headers().firstValue(name).orElse(null);
    }

    /** The next event, or fails after the timeout. */
    public Event next(Duration timeout) throws InterruptedException {
        Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no event within " + timeout);
        }
        return event;
    }

    @Override
    public void close() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        response.cancel(true);
    }
}
