package dev.todoapi.auth;

import dev.todoapi.db.jooq.tables.records.RefreshTokensRecord;
import dev.todoapi.db.jooq.tables.records.UsersRecord;
import dev.todoapi.security.SecurityEvents;
import dev.todoapi.web.ApiException;
import dev.todoapi.web.Sha256;
import jakarta.servlet.http.HttpServletRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Signed-in sessions: an access token plus a rotating refresh token. The refresh token is 256 random
 * bits, stored only as its SHA-256. Each rotation stays in the family of the first sign-in; presenting
 * an already-rotated token means it was copied, so the whole family is revoked (OAuth 2.0 Security BCP).
 */
@Service
public class Sessions {

    /** A fresh pair of tokens for a user. */
    public record Issued(UsersRecord user, String accessToken, Duration accessTtl, String refreshToken, Duration refreshTtl) {}

    private final RefreshTokenRepository refreshTokens;
    private final UserRepository users;
    private final AccessTokens accessTokens;
    private final SecurityEvents events;
    private final Duration refreshTtl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    Sessions(RefreshTokenRepository refreshTokens, UserRepository users, AccessTokens accessTokens,
            SecurityEvents events, AuthProperties properties, Clock clock) {
        this.refreshTokens = refreshTokens;
        this.users = users;
        this.accessTokens = accessTokens;
        this.events = events;
        this.refreshTtl = properties.refreshTokenTtl();
        this.clock = clock;
    }

    @Transactional
    public Issued start(UsersRecord user) {
        return issue(user, UUID.randomUUID());
    }

    /** Trades a refresh token for a new pair; the presented one can't be used again. */
    @Transactional(noRollbackFor = ApiException.class) // a detected reuse must stay revoked
    public Issued rotate(String presentedToken, HttpServletRequest request) {
        RefreshTokensRecord token = lock(presentedToken)
                .orElseThrow(() -> refreshFailure("INVALID_TOKEN", "The refresh token is not valid."));
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (token.getRevokedAt() != null) {
            throw refreshFailure("INVALID_TOKEN", "The refresh token has been revoked; sign in again.");
        }
        if (token.getRotatedAt() != null) {
            refreshTokens.revokeFamily(token.getUserId(), token.getFamilyId(), now);
            events.refreshTokenReused(request, token.getUserId());
            throw refreshFailure("REFRESH_TOKEN_REUSED",
                    "This refresh token was already used; the session has been revoked. Sign in again.");
        }
        if (!token.getExpiresAt().isAfter(now)) {
            throw refreshFailure("REFRESH_TOKEN_EXPIRED", "The refresh token has expired; sign in again.");
        }
        UsersRecord user = users.findById(token.getUserId())
                .orElseThrow(() -> refreshFailure("INVALID_TOKEN", "The refresh token is not valid."));
        refreshTokens.markRotated(token.getUserId(), token.getId(), now);
        return issue(user, token.getFamilyId());
    }

    /** Revokes the session of this refresh token, if it is one. */
    @Transactional
    public void end(String presentedToken) {
        lock(presentedToken)
                .ifPresent(token -> refreshTokens.revokeFamily(token.getUserId(), token.getFamilyId(), OffsetDateTime.now(clock)));
    }

    @Transactional
    public void endAll(String userId) {
        refreshTokens.revokeAll(userId, OffsetDateTime.now(clock));
    }

    /**
     * The stored token, row-locked, found within its user's rows: a token names its user, so this is a
     * single-shard statement on Citus. Tokens issued before they did (256 random bits alone) are found by hash
     * first, until they expire.
     */
    private java.util.Optional<RefreshTokensRecord> lock(String presentedToken) {
        byte[] hash = hash(presentedToken);
        java.util.Optional<String> userId = userOf(presentedToken).or(() -> refreshTokens.findUserOfUnnamedToken(hash));
        return userId.flatMap(user -> refreshTokens.findForUpdate(user, hash));
    }

    private static final String TOKEN_PREFIX = "rt1.";

    /** {@code rt1.<user id, base64url>.<256 random bits, base64url>}: opaque to clients, naming its user to us. */
    static String refreshToken(String userId, byte[] secret) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return TOKEN_PREFIX + base64.encodeToString(userId.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "." + base64.encodeToString(secret);
    }

    /** The user a token names, if it is of the current format (anything else is looked up by hash, or fails). */
    static java.util.Optional<String> userOf(String token) {
        if (!token.startsWith(TOKEN_PREFIX)) {
            return java.util.Optional.empty();
        }
        int dot = token.indexOf('.', TOKEN_PREFIX.length());
        if (dot < 0) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(new String(Base64.getUrlDecoder().decode(token.substring(TOKEN_PREFIX.length(), dot)),
                    java.nio.charset.StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notBase64) {
            return java.util.Optional.empty();
        }
    }

    private Issued issue(UsersRecord user, UUID familyId) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String refreshToken = refreshToken(user.getId(), secret);
        refreshTokens.insert(user.getId(), familyId, hash(refreshToken), OffsetDateTime.now(clock).plus(refreshTtl));
        String accessToken = accessTokens.issue(user.getId(), user.getEmail());
        return new Issued(user, accessToken, accessTokens.ttl(), refreshToken, refreshTtl);
    }

    private static ApiException refreshFailure(String code, String detail) {
        return new ApiException(HttpStatus.UNAUTHORIZED, code, detail)
                .withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }

    static byte[] hash(String token) {
        return Sha256.of(token);
    }
}
