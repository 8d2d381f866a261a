package dev.todoapi.auth;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Authentication settings; each maps to the environment variable named in application.yaml.
 *
 * @param jwtSecret           JWT_SECRET: HS256 key for our own access tokens, at least 32 bytes
 * @param issuer              JWT_ISSUER: {@code iss} of our tokens
 * @param audience            JWT_AUDIENCE: {@code aud} of our tokens
 * @param accessTokenTtl      ACCESS_TOKEN_TTL
 * @param refreshTokenTtl     REFRESH_TOKEN_TTL
 * @param cookieSecure        COOKIE_SECURE: false only for plain-http development
 * @param bcryptCost          BCRYPT_COST: work factor of password hashes (10 or more)
 * @param rateLimitPerMinute  AUTH_RATE_LIMIT_PER_MINUTE: register/login/refresh requests per client IP
 * @param rateLimitStore      AUTH_RATE_LIMIT_STORE: memory (one instance) or postgres (shared by instances)
 * @param trustedProxies      TRUSTED_PROXIES: CIDRs whose X-Forwarded-For is believed
 * @param externalIssuers     other identity providers whose access tokens are accepted
 */
@ConfigurationProperties("todo.auth")
public record AuthProperties(
        @Nullable String jwtSecret,
        @DefaultValue("todo-api") String issuer,
        @DefaultValue("todo-api") String audience,
        @DefaultValue("15m") Duration accessTokenTtl,
        @DefaultValue("7d") Duration refreshTokenTtl,
        @DefaultValue("true") boolean cookieSecure,
        @DefaultValue("12") int bcryptCost,
        @DefaultValue("5") int rateLimitPerMinute,
        @DefaultValue("memory") RateLimitStore rateLimitStore,
        @DefaultValue List<String> trustedProxies,
        @DefaultValue List<ExternalIssuer> externalIssuers) {

    public enum RateLimitStore { MEMORY, POSTGRES }

    /**
     * An external identity provider (a frontend's Better Auth, say). Exactly one of {@code secret}
     * (shared HS256 key) and {@code jwkSetUri} (RS256/ES256/EdDSA keys) is set.
     */
    public record ExternalIssuer(
            String issuer,
            @Nullable String audience,
            @Nullable String secret,
            @Nullable String jwkSetUri,
            @DefaultValue({"RS256", "ES256", "EdDSA"}) List<String> algorithms) {}
}
