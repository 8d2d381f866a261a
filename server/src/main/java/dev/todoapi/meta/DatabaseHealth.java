package dev.todoapi.meta;

import java.time.Duration;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Asks the database for a trivial answer within a short timeout. */
@Component
class DatabaseHealth {

    private static final Logger log = LoggerFactory.getLogger(DatabaseHealth.class);

    private final DSLContext db;
    private final int timeoutSeconds;

    DatabaseHealth(DSLContext db, @Value("${todo.health.timeout:2s}") Duration timeout) {
        this.db = db;
        this.timeoutSeconds = (int) Math.max(1, timeout.toSeconds());
    }

    boolean isUp() {
        try {
            return db.selectOne().queryTimeout(timeoutSeconds).fetchOne(0, Integer.class) == 1;
        } catch (RuntimeException e) {
            log.warn("Health check: database unavailable: {}", e.getMessage());
            return false;
        }
    }
}
