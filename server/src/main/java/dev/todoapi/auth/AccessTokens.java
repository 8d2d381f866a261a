package dev.todoapi.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

/** Mints our own access tokens: HS256 JWTs with sub, email, iat, exp, iss, aud, jti and type=access. */
public final class AccessTokens {

    public static final String TYPE_CLAIM = "type";
    public static final String ACCESS_TYPE = "access";

    private final JwtEncoder encoder;
    private final String issuer;
    private final String audience;
    private final Duration ttl;
    private final Clock clock;

    public AccessTokens(JwtEncoder encoder, AuthProperties properties, Clock clock) {
        this.encoder = encoder;
        this.issuer = properties.issuer();
        this.audience = properties.audience();
        this.ttl = properties.accessTokenTtl();
        this.clock = clock;
    }

    public String issue(String userId, String email) {
        Instant now = clock.instant();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .subject(userId)
                .claim("email", email)
                .issuedAt(now)
                .expiresAt(now.plus(ttl))
                .issuer(issuer)
                .audience(List.of(audience))
                .id(UUID.randomUUID().toString())
                .claim(TYPE_CLAIM, ACCESS_TYPE)
                .build();
        JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).type("JWT").build();
        return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
    }

    public Duration ttl() {
        return ttl;
    }
}
