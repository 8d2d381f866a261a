package dev.todoapi.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TokensTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Duration MARGIN = Duration.ofSeconds(30);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static Tokens.Session session(String access, String refresh, Instant expiresAt) {
        return new Tokens.Session(access, refresh, expiresAt);
    }

    @Test
    void refreshesBeforeARequestOnlyWhenTheTokenIsAboutToExpireAndCanBeRefreshed() {
        assertFalse(Tokens.shouldRefreshBeforeRequest(null, NOW, MARGIN), "signed out");
        assertFalse(Tokens.shouldRefreshBeforeRequest(session("a", "r", NOW.plusSeconds(900)), NOW, MARGIN), "fresh");
        assertFalse(Tokens.shouldRefreshBeforeRequest(session("a", "r", NOW.plusSeconds(31)), NOW, MARGIN), "just outside the margin");
        assertTrue(Tokens.shouldRefreshBeforeRequest(session("a", "r", NOW.plusSeconds(30)), NOW, MARGIN), "at the margin");
        assertTrue(Tokens.shouldRefreshBeforeRequest(session("a", "r", NOW.minusSeconds(5)), NOW, MARGIN), "expired");
        assertFalse(Tokens.shouldRefreshBeforeRequest(session("a", null, NOW.minusSeconds(5)), NOW, MARGIN), "no refresh token");
        assertFalse(Tokens.shouldRefreshBeforeRequest(session("a", "r", null), NOW, MARGIN), "expiry unknown");
    }

    @Test
    void refreshesAfterAResponseOnlyFor401TokenExpiredToABearerRequest() {
        assertTrue(Tokens.shouldRefreshAfterResponse(401, "TOKEN_EXPIRED", true));
        assertFalse(Tokens.shouldRefreshAfterResponse(401, "INVALID_TOKEN", true));
        assertFalse(Tokens.shouldRefreshAfterResponse(401, "MISSING_TOKEN", true));
        assertFalse(Tokens.shouldRefreshAfterResponse(401, null, true));
        assertFalse(Tokens.shouldRefreshAfterResponse(403, "TOKEN_EXPIRED", true));
        assertFalse(Tokens.shouldRefreshAfterResponse(401, "TOKEN_EXPIRED", false));
    }

    @Test
    void aFreshTokenIsSentAsItIs() {
        AtomicInteger refreshes = new AtomicInteger();
        Tokens tokens = new Tokens(CLOCK, MARGIN, r -> {
            refreshes.incrementAndGet();
            return session("new", "r2", NOW.plusSeconds(900));
        });
        assertNull(tokens.accessTokenForRequest());
        tokens.set(session("a1", "r1", NOW.plusSeconds(600)));
        assertEquals("a1", tokens.accessTokenForRequest());
        assertEquals(0, refreshes.get());
    }

    @Test
    void aTokenAboutToExpireIsRefreshedWithTheRefreshToken() {
        List<String> presented = new ArrayList<>();
        Tokens tokens = new Tokens(CLOCK, MARGIN, r -> {
            presented.add(r);
            return session("a2", "r2", NOW.plusSeconds(900));
        });
        tokens.set(session("a1", "r1", NOW.plusSeconds(10)));
        assertEquals("a2", tokens.accessTokenForRequest());
        assertEquals("a2", tokens.accessTokenForRequest());
        assertEquals(List.of("r1"), presented);
        assertEquals("r2", tokens.current().refreshToken());
    }

    @Test
    void aFailedRefreshOfAStillValidTokenFallsBackToIt() {
        Tokens tokens = new Tokens(CLOCK, MARGIN, r -> {
            throw new TodoApiException(503, "DATABASE_UNAVAILABLE", null, null, null, null, null);
        });
        tokens.set(session("a1", "r1", NOW.plusSeconds(10)));
        assertEquals("a1", tokens.accessTokenForRequest());
        assertTrue(tokens.current() != null);
    }

    @Test
    void aRefusedRefreshEndsTheSession() {
        Tokens tokens = new Tokens(CLOCK, MARGIN, r -> {
            throw new TodoApiException(401, "REFRESH_TOKEN_REUSED", null, null, null, null, null);
        });
        tokens.set(session("a1", "r1", NOW.plusSeconds(10)));
        TodoApiException e = assertThrows(TodoApiException.class, tokens::accessTokenForRequest);
        assertEquals("REFRESH_TOKEN_REUSED", e.code());
        assertNull(tokens.current());
    }

    @Test
    void afterTokenExpiredATokenAnotherThreadGotIsReusedInsteadOfRefreshingAgain() {
        AtomicInteger refreshes = new AtomicInteger();
        Tokens tokens = new Tokens(CLOCK, MARGIN, r -> {
            refreshes.incrementAndGet();
            return session("a3", "r3", NOW.plusSeconds(900));
        });
        tokens.set(session("a2", "r2", NOW.plusSeconds(900)));
        assertEquals("a2", tokens.accessTokenAfterExpired("a1"), "a1 was already replaced");
        assertEquals(0, refreshes.get());
        assertEquals("a3", tokens.accessTokenAfterExpired("a2"));
        assertEquals(1, refreshes.get());
    }

    @Test
    void withoutARefreshTokenThereIsNothingToRetryWith() {
        Tokens tokens = new Tokens(CLOCK, MARGIN, r -> {
            throw new AssertionError("no refresh without a refresh token");
        });
        assertNull(tokens.accessTokenAfterExpired("a1"), "signed out");
        tokens.set(session("a1", null, NOW.plusSeconds(900)));
        assertNull(tokens.accessTokenAfterExpired("a1"));
    }

    @Test
    void concurrentCallersWithTheSameExpiredTokenRefreshExactlyOnce() throws Exception {
        AtomicInteger refreshes = new AtomicInteger();
        CountDownLatch inRefresh = new CountDownLatch(1);
        Tokens tokens = new Tokens(CLOCK, MARGIN, r -> {
            refreshes.incrementAndGet();
            inRefresh.countDown();
            try {
                Thread.sleep(100); // let the others pile up on the lock
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return session("a2", "r2", NOW.plusSeconds(900));
        });
        tokens.set(session("a1", "r1", NOW.plusSeconds(900)));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> tokens.accessTokenAfterExpired("a1")));
            }
            for (Future<String> result : results) {
                assertEquals("a2", result.get(5, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, refreshes.get(), "a rotated refresh token must never be presented twice");
    }

    @Test
    void clearForgetsTheSession() {
        Tokens tokens = new Tokens(CLOCK, MARGIN, r -> null);
        Tokens.Session s = session("a1", "r1", NOW.plusSeconds(900));
        tokens.set(s);
        assertSame(s, tokens.clear());
        assertNull(tokens.current());
        assertNull(tokens.clear());
    }
}
