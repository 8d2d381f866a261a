package dev.todoapi.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Stand-in for external identity providers: one publishing a JWKS (RS256 and Ed25519 keys, like Better
 * Auth's JWT plugin) on a local HTTP server, and one sharing an HS256 secret. Tests sign their own tokens.
 */
public final class TestIdentityProvider {

    public static final String JWKS_ISSUER = "https://idp.test";
    public static final String JWKS_AUDIENCE = "todo-frontend";
    public static final String SECRET_ISSUER = "https://better-auth.test";
    public static final String SHARED_SECRET = "better-auth-shared-secret-of-at-least-32-bytes!";

    private static TestIdentityProvider instance;

    private final RSAKey rsaKey;
    private final OctetKeyPair edKey;
    private final HttpServer server;

    private TestIdentityProvider() {
        try {
            rsaKey = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
            edKey = new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed-1").generate();
            byte[] jwks = new JWKSet(java.util.List.of(rsaKey.toPublicJWK(), edKey.toPublicJWK()))
                    .toString().getBytes(StandardCharsets.UTF_8);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/jwks", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, jwks.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(jwks);
                }
            });
            server.start();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static synchronized TestIdentityProvider get() {
        if (instance == null) {
            instance = new TestIdentityProvider();
        }
        return instance;
    }

    public String jwksUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
    }

    public RSAKey rsaKey() {
        return rsaKey;
    }

    public static JWTClaimsSet.Builder claims(String issuer, String audience, String subject) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString());
    }

    public String signRs256(JWTClaimsSet claims) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsaKey.getKeyID()).build(), claims, rsaSigner());
    }

    public String signEdDsa(JWTClaimsSet claims) {
        try {
            return sign(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(edKey.getKeyID()).build(), claims, new Ed25519Signer(edKey));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String signHs256(JWTClaimsSet claims, byte[] secret) {
        try {
            return sign(new JWSHeader(JWSAlgorithm.HS256), claims, new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private JWSSigner rsaSigner() {
        try {
            return new RSASSASigner(rsaKey);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
