package dev.todoapi.task;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Forgets idempotency keys after 24 hours (the promise is "at least 24 h"). Safe on several instances. */
@Component
class IdempotencyKeyCleanup {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyCleanup.class);
    static final Duration RETENTION = Duration.ofHours(24);

    private final IdempotencyRepository keys;

    IdempotencyKeyCleanup(IdempotencyRepository keys) {
        this.keys = keys;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void deleteExpired() {
        try {
            int deleted = keys.deleteOlderThan(RETENTION);
            if (deleted > 0) {
                log.info("Deleted {} idempotency keys older than {}", deleted, RETENTION);
            }
        } catch (RuntimeException e) {
            log.warn("Idempotency key cleanup failed, will retry: {}", e.getMessage());
        }
    }
}
