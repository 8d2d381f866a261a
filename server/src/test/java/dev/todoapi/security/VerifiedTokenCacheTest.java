package dev.todoapi.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

class VerifiedTokenCacheTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private final List<String> verifications = new ArrayList<>();
    private Instant now = NOW;
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    /** Accepts "good-*" tokens expiring 15 minutes after NOW, like the real decoder would until then. */
    private final JwtDecoder verifier = token -> {
        verifications.add(token);
        if (!token.startsWith("good-") || !now.isBefore(NOW.plusSeconds(900))) {
            throw new BadJwtException("invalid " + token);
        }
        return Jwt.withTokenValue(token).header("alg", "HS256").subject("user-1")
                .issuedAt(NOW).expiresAt(NOW.plusSeconds(900)).build();
    };

    private final VerifiedTokenCache cache = new VerifiedTokenCache(verifier, clock, 100);

    @Test
    void aTokenIsVerifiedOnceWhileItIsValid() {
        Jwt first = cache.decode("good-1");
        now = NOW.plusSeconds(600);
        Jwt second = cache.decode("good-1");

        assertThat(second).isSameAs(first);
        assertThat(verifications).containsExactly("good-1");
    }

    @Test
    void anyOtherTokenIsVerifiedInFull() {
        cache.decode("good-1");
        cache.decode("good-2");

        assertThatThrownBy(() -> cache.decode("good-1x-tampered".replace("good-", "bad-")))
                .isInstanceOf(BadJwtException.class);
        assertThat(verifications).containsExactly("good-1", "good-2", "bad-1x-tampered");
    }

    @Test
    void rejectedTokensAreNotRemembered() {
        assertThatThrownBy(() -> cache.decode("bad-1")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> cache.decode("bad-1")).isInstanceOf(BadJwtException.class);

        assertThat(verifications).containsExactly("bad-1", "bad-1");
    }

    @Test
    void anExpiredTokenGoesBackToTheVerifierWhichRefusesIt() {
        cache.decode("good-1");
        now = NOW.plusSeconds(900);

        assertThatThrownBy(() -> cache.decode("good-1")).isInstanceOf(BadJwtException.class);
        assertThat(verifications).containsExactly("good-1", "good-1");
    }
}
