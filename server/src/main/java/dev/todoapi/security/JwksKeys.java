package dev.todoapi.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.Key;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Key selection for tokens verified against a JWKS, including EdDSA (Ed25519, as Better Auth's JWT plugin
 * signs). Nimbus's stock selector only returns JCA keys and its Ed25519 keys are not one, so Ed25519 JWKs
 * travel wrapped in {@link OkpPublicKey} to a verifier factory that hands them to Nimbus's (Tink-based)
 * Ed25519Verifier. Every other algorithm goes the stock way.
 */
final class JwksKeys {

    private JwksKeys() {}

    static JWSKeySelector<SecurityContext> selector(Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> source) {
        JWSVerificationKeySelector<SecurityContext> stock = new JWSVerificationKeySelector<>(algorithms, source);
        return (header, context) -> {
            if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
                return stock.selectJWSKeys(header, context);
            }
            if (!algorithms.contains(JWSAlgorithm.EdDSA)) {
                return List.of();
            }
            return okpKeys(header, source, context);
        };
    }

    private static List<Key> okpKeys(JWSHeader header, JWKSource<SecurityContext> source, SecurityContext context)
            throws KeySourceException {
        List<Key> keys = new ArrayList<>();
        for (JWK jwk : source.get(new JWKSelector(JWKMatcher.forJWSHeader(header)), context)) {
            if (jwk instanceof OctetKeyPair okp) {
                keys.add(new OkpPublicKey(okp.toPublicJWK()));
            }
        }
        return keys;
    }

    static DefaultJWSVerifierFactory verifierFactory() {
        return new DefaultJWSVerifierFactory() {
            @Override
            public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
                if (key instanceof OkpPublicKey okp) {
                    Ed25519Verifier verifier = new Ed25519Verifier(okp.jwk());
                    verifier.getJCAContext().setProvider(getJCAContext().getProvider());
                    return verifier;
                }
                return super.createJWSVerifier(header, key);
            }
        };
    }

    /** An Ed25519 JWK carried through Nimbus's Key-typed selection. */
    record OkpPublicKey(OctetKeyPair jwk) implements PublicKey {
        @Override
        public String getAlgorithm() {
            return "Ed25519";
        }

        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }
    }
}
