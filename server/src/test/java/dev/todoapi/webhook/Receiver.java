package dev.todoapi.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/** A webhook receiver on 127.0.0.2 (the tests' allow-listed network): records every request, answers as told. */
final class Receiver implements AutoCloseable {

    record Request(String id, long timestamp, String signature, String body, long receivedAtMillis) {}

    /** How to answer one request: a status, after a delay. */
    record Answer(int status, Duration delay, String body) {}

    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Answers for the next requests, in order; then 204. */
    final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private final HttpServer server;

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 50);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var headers = exchange.getRequestHeaders();
            requests.add(new Request(headers.getFirst("webhook-id"), Long.parseLong(headers.getFirst("webhook-timestamp")),
                    headers.getFirst("webhook-signature"), new String(body, StandardCharsets.UTF_8), System.currentTimeMillis()));
            Answer answer = script.poll();
            if (answer == null) {
                answer = new Answer(204, Duration.ZERO, "");
            }
            try {
                Thread.sleep(answer.delay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
            try {
                exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
                if (out.length > 0) {
                    exchange.getResponseBody().write(out);
                }
            } catch (IOException gone) {
                // the sender gave up (timeout)
            }
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.2:" + server.getAddress().getPort() + "/hook";
    }

    void answer(int status, int times) {
        for (int i = 0; i < times; i++) {
            script.add(new Answer(status, Duration.ZERO, "status " + status));
        }
    }

    List<Request> distinct() {
        List<Request> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Request r : requests) {
            if (seen.add(r.id())) {
                out.add(r);
            }
        }
        return out;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static Map<String, Object> none() {
        return Map.of();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
