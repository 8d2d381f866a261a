package dev.todoapi.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * A JwtDecoder that remembers the tokens it has verified until they expire: a client sends the same
 * access token with every request, and verifying it (parse, HMAC or signature, claim validators) was a
 * tenth of the server's CPU per GET (bench/results/2026-11-23-tuning.md). The key is the whole token,
 * signature included, so any other or altered token is a miss and is verified in full. Access tokens
 * are not revocable before they expire either way, so remembering them changes no outcome.
 */
final class VerifiedTokenCache implements JwtDecoder {

    private final JwtDecoder delegate;
    private final Clock clock;
    private final Cache<String, Jwt> verified;

    VerifiedTokenCache(JwtDecoder delegate, Clock clock, long maxTokens) {
        this.delegate = delegate;
        this.clock = clock;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxTokens)
                .expireAfter(Expiry.creating((String token, Jwt jwt) -> untilExpiry(jwt)))
                .build();
    }

    @Override
    public Jwt decode(String token) {
        Jwt jwt = verified.getIfPresent(token);
        if (jwt != null && clock.instant().isBefore(jwt.getExpiresAt())) {
            return jwt;
        }
        jwt = delegate.decode(token); // throws for anything invalid: only verified tokens are remembered
        if (jwt.getExpiresAt() != null && clock.instant().isBefore(jwt.getExpiresAt())) {
            verified.put(token, jwt);
        }
        return jwt;
    }

    private Duration untilExpiry(Jwt jwt) {
        Instant expiresAt = jwt.getExpiresAt();
        return expiresAt == null ? Duration.ZERO : Duration.between(clock.instant(), expiresAt);
    }
}
