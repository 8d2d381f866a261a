package dev.todoapi.sdk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The signed-in session of a {@link TodoClient}: the access token, the refresh token and when the access
 * token expires, and the one place that refreshes them.
 *
 * <p>Refresh tokens rotate and the server revokes the whole session when a rotated one is presented again,
 * so two threads must never refresh with the same token: refreshes happen under one lock, and a thread that
 * waited re-reads the session and uses the token another thread just got instead of refreshing again.
 */
final class Tokens {

    /** Immutable session state; {@code accessExpiresAt} is measured on the client's clock. */
    record Session(String accessToken, String refreshToken, Instant accessExpiresAt) {}

    /** Trades a refresh token for a new session (POST /api/v1/auth/refresh); throws TodoApiException. */
    @FunctionalInterface
    interface Refresher {
        Session refresh(String refreshToken);
    }

    private final Clock clock;
    private final Duration margin;
    private final Refresher refresher;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Session session;

    Tokens(Clock clock, Duration margin, Refresher refresher) {
        this.clock = clock;
        this.margin = margin;
        this.refresher = refresher;
    }

    Session current() {
        return session;
    }

    void set(Session next) {
        lock.lock();
        try {
            session = next;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets the session (waiting for a refresh in flight) and returns what it was. */
    Session clear() {
        lock.lock();
        try {
            Session previous = session;
            session = null;
            return previous;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether to refresh before sending a request: there is a refresh token, and the access token expires
     * within {@code margin} of {@code now} (or has expired).
     */
    static boolean shouldRefreshBeforeRequest(Session session, Instant now, Duration margin) {
        return session != null && session.refreshToken() != null && session.accessExpiresAt() != null
                && !now.plus(margin).isBefore(session.accessExpiresAt());
    }

    /**
     * Whether a response means "refresh and send again": a 401 whose problem code is TOKEN_EXPIRED, to a
     * request that carried a bearer token.
     */
    static boolean shouldRefreshAfterResponse(int status, String problemCode, boolean sentBearer) {
        return sentBearer && status == 401 && "TOKEN_EXPIRED".equals(problemCode);
    }

    /**
     * The access token to send now, refreshed first when it is about to expire; {@code null} when signed
     * out. A refresh that fails while the current token is still valid is not fatal: the request goes out
     * with the current token (and the next request tries again). A refresh the server refuses (401) ends
     * the session and is thrown.
     */
    String accessTokenForRequest() {
        Session seen = session;
        if (!shouldRefreshBeforeRequest(seen, clock.instant(), margin)) {
            return seen == null ? null : seen.accessToken();
        }
        try {
            Session fresh = refreshUnlessChanged(seen.accessToken());
            return fresh == null ? null : fresh.accessToken();
        } catch (TodoApiException | dev.todoapi.client.ApiException e) {
            boolean refused = e instanceof TodoApiException && ((TodoApiException) e).status() == 401;
            if (!refused && clock.instant().isBefore(seen.accessExpiresAt())) {
                return seen.accessToken();
            }
            throw e;
        }
    }

    /**
     * The token to retry with after {@code rejectedToken} got 401 TOKEN_EXPIRED: the one another thread got
     * meanwhile, else a freshly refreshed one; {@code null} when there is no session to refresh.
     */
    String accessTokenAfterExpired(String rejectedToken) {
        Session fresh = refreshUnlessChanged(rejectedToken);
        return fresh == null ? null : fresh.accessToken();
    }

    /** Refreshes the session, unless its access token is no longer {@code staleAccessToken}. */
    private Session refreshUnlessChanged(String staleAccessToken) {
        lock.lock();
        try {
            Session current = session;
            if (current == null || !current.accessToken().equals(staleAccessToken)) {
                return current; // signed out, or another thread has refreshed already
            }
            if (current.refreshToken() == null) {
                return null;
            }
            try {
                Session next = refresher.refresh(current.refreshToken());
                session = next;
                return next;
            } catch (TodoApiException e) {
                if (e.status() == 401) {
                    session = null; // refresh token expired, reused or revoked: the session is over
                }
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }
}
