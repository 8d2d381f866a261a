package dev.todoapi.database;

import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.dao.ConcurrencyFailureException;

/**
 * Runs a transactional operation again when PostgreSQL broke a deadlock by aborting it (or a lock could not be had):
 * nothing of the aborted attempt was written, so a fresh transaction is safe. Writers that lock several rows lock
 * them in one order, which leaves only rare races (a subtree that changes between reading and locking it); this
 * takes care of those. Call it from outside the transaction (a controller), so each attempt gets a new one. Spring
 * Framework's own retry support, with a short jittered backoff; after the last attempt the failure is the client's
 * 409 CONFLICT (ApiExceptionHandler).
 */
public final class ConflictRetry {

    private static final RetryTemplate RETRY = new RetryTemplate(RetryPolicy.builder()
            .includes(ConcurrencyFailureException.class)
            .maxRetries(3)
            .delay(Duration.ofMillis(5))
            .jitter(Duration.ofMillis(5))
            .multiplier(2)
            .build());

    private ConflictRetry() {}

    public static <T> T onConflict(Supplier<T> transaction) {
        return RETRY.invoke(transaction);
    }
}
