package dev.todoapi.webhook;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter: the n-th failure waits initial * 2^(n-1), capped, times a random 0.5 to 1. */
final class Backoff {

    private Backoff() {}

    static Duration delay(WebhookProperties properties, int failedAttempts) {
        long initial = properties.retryInitialDelay().toMillis();
        long cap = properties.retryMaxDelay().toMillis();
        int exponent = Math.min(Math.max(failedAttempts - 1, 0), 40);
        double base = Math.min((double) cap, initial * Math.pow(2, exponent));
        double jittered = base * (0.5 + 0.5 * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(Math.max(1, (long) jittered));
    }
}
