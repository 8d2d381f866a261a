package dev.todoapi.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import dev.todoapi.testsupport.ApiTestBase;
import dev.todoapi.testsupport.TestIdentityProvider;
import dev.todoapi.testsupport.TestUser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MvcResult;

/** Every classic way to forge or misuse a JWT ends in 401, never in a signed-in request. */
class JwtAttackTest extends ApiTestBase {

    private TestUser user;

    @BeforeEach
    void signUp() throws Exception {
        user = register();
    }

    /** Claims exactly like the server's own tokens. */
    private JWTClaimsSet.Builder ownClaims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .subject(user.id())
                .claim("email", user.email())
                .issuer("todo-api")
                .audience("todo-api")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)))
                .jwtID("jti-1")
                .claim("type", "access");
    }

    private String sign(JWTClaimsSet claims) {
        return TestIdentityProvider.signHs256(claims, JWT_SECRET.getBytes(StandardCharsets.UTF_8));
    }

    private MvcResult me(String token) throws Exception {
        return call(get("/api/v1/auth/me").header("Authorization", bearer(token)));
    }

    private void assertRejected(String token, String code) throws Exception {
        MvcResult result = me(token);
        assertThat(result.getResponse().getStatus()).isEqualTo(401);
        assertThat(result.getResponse().getHeader("WWW-Authenticate")).startsWith("Bearer");
        assertThat(body(result).get("code").asString()).isEqualTo(code);
    }

    @Test
    void aCorrectlyForgedTokenIsAcceptedSoTheAttacksBelowAreMeaningful() throws Exception {
        assertThat(me(sign(ownClaims().build())).getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void algNone() throws Exception {
        String unsigned = new PlainJWT(new PlainHeader(), ownClaims().build()).serialize();
        assertRejected(unsigned, "INVALID_TOKEN");
    }

    @Test
    void wrongKey() throws Exception {
        String token = TestIdentityProvider.signHs256(ownClaims().build(),
                "another-secret-that-is-long-enough-0123456789".getBytes(StandardCharsets.UTF_8));
        assertRejected(token, "INVALID_TOKEN");
    }

    @Test
    void hs256SignedWithTheRsaPublicKey() throws Exception {
        // Algorithm confusion: HMAC keyed with the external provider's public RSA key, claiming that provider.
        byte[] publicKey = TestIdentityProvider.get().rsaKey().toPublicJWK().toRSAPublicKey().getEncoded();
        JWTClaimsSet claims = TestIdentityProvider.claims(TestIdentityProvider.JWKS_ISSUER, TestIdentityProvider.JWKS_AUDIENCE, "mallory").build();
        assertRejected(TestIdentityProvider.signHs256(claims, publicKey), "INVALID_TOKEN");
    }

    @Test
    void expired() throws Exception {
        Instant past = Instant.now().minusSeconds(3600);
        assertRejected(sign(ownClaims().issueTime(Date.from(past)).expirationTime(Date.from(past.plusSeconds(900))).build()),
                "TOKEN_EXPIRED");
    }

    @Test
    void expiredWithinTheClockSkewIsStillAccepted() throws Exception {
        Instant now = Instant.now();
        String token = sign(ownClaims().issueTime(Date.from(now.minusSeconds(920)))
                .expirationTime(Date.from(now.minusSeconds(20))).build());
        assertThat(me(token).getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void notYetValid() throws Exception {
        assertRejected(sign(ownClaims().notBeforeTime(Date.from(Instant.now().plusSeconds(600))).build()), "INVALID_TOKEN");
    }

    @Test
    void withoutExpiry() throws Exception {
        assertRejected(sign(ownClaims().expirationTime(null).build()), "INVALID_TOKEN");
    }

    @Test
    void wrongIssuerOrAudience() throws Exception {
        assertRejected(sign(ownClaims().issuer("https://evil.example").build()), "INVALID_TOKEN");
        assertRejected(sign(ownClaims().audience(List.of("another-api")).build()), "INVALID_TOKEN");
        assertRejected(sign(ownClaims().issuer(null).build()), "INVALID_TOKEN");
    }

    @Test
    void aTokenOfAnotherTypeIsNotAnAccessToken() throws Exception {
        assertRejected(sign(ownClaims().claim("type", "refresh").build()), "INVALID_TOKEN");
        assertRejected(sign(ownClaims().claim("type", null).build()), "INVALID_TOKEN");
        // The opaque refresh token itself
        assertRejected(user.refreshToken(), "INVALID_TOKEN");
    }

    @Test
    void tamperedPayload() throws Exception {
        String[] parts = user.accessToken().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(user.id(), "00000000-0000-0000-0000-000000000000");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertRejected(tampered, "INVALID_TOKEN");
    }

    @Test
    void rs256ClaimingToBeOurs() throws Exception {
        // Our issuer only accepts HS256 with our key, whatever key signed an RS256 token.
        assertRejected(TestIdentityProvider.get().signRs256(ownClaims().build()), "INVALID_TOKEN");
    }
}
