package dev.todoapi.auth;

import static dev.todoapi.db.jooq.Tables.STREAM_TICKETS;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * One-time tickets that open one event stream, for a browser's EventSource (which cannot send an Authorization
 * header): {@code st_} and 24 random bytes. Only their SHA-256 is kept (V14, stream_tickets, keyed by it), so
 * using one is one DELETE ... RETURNING on one row: it opens one stream, on any instance, once.
 */
@Service
public class StreamTickets {

    private static final Logger log = LoggerFactory.getLogger(StreamTickets.class);
    private static final String PREFIX = "st_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DSLContext db;
    private final Duration ttl;

    StreamTickets(DSLContext db, @Value("${todo.events.ticket-ttl:60s}") Duration ttl) {
        this.db = db;
        this.ttl = ttl;
    }

    public Duration ttl() {
        return ttl;
    }

    /** A new ticket for the user. */
    public String issue(String userId) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String ticket = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        db.insertInto(STREAM_TICKETS, STREAM_TICKETS.TICKET_HASH, STREAM_TICKETS.USER_ID, STREAM_TICKETS.EXPIRES_AT)
                .values(hash(ticket), userId, now().plus(ttl))
                .execute();
        return ticket;
    }

    /** The user the ticket was issued to, using it up; empty when it is unknown, used or expired. */
    public @Nullable String consume(String ticket) {
        if (!ticket.startsWith(PREFIX) || ticket.length() > 64) {
            return null;
        }
        return db.deleteFrom(STREAM_TICKETS)
                .where(STREAM_TICKETS.TICKET_HASH.eq(hash(ticket)), STREAM_TICKETS.EXPIRES_AT.gt(now()))
                .returning(STREAM_TICKETS.USER_ID)
                .fetchOptional(STREAM_TICKETS.USER_ID)
                .orElse(null);
    }

    /** Forgets tickets that expired unused; idempotent, so safe on several instances. */
    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT3M")
    void deleteExpired() {
        try {
            int deleted = db.deleteFrom(STREAM_TICKETS).where(STREAM_TICKETS.EXPIRES_AT.lt(now())).execute();
            if (deleted > 0) {
                log.debug("Deleted {} expired stream tickets", deleted);
            }
        } catch (RuntimeException e) {
            log.warn("Deleting expired stream tickets failed, will retry: {}", e.getMessage());
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static String hash(String ticket) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
