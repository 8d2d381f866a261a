package dev.todoapi.auth;

import dev.todoapi.web.Sha256;
import java.util.Base64;
import java.util.Map;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * bcrypt over a SHA-256 digest of the password. bcrypt reads at most 72 bytes, so two long passwords
 * sharing a 72-byte prefix would collide; the digest (44 base64 characters) makes every character count.
 * Hashes are stored with a {@code {bcrypt-sha256}} prefix so the scheme can change later.
 */
public final class PasswordHasher {

    private static final String ID = "bcrypt-sha256";

    private final PasswordEncoder encoder;
    /** Checked against when the email is unknown, so that costs the same time as a wrong password. */
    private final String decoyHash;

    public PasswordHasher(int cost) {
        if (cost < 10 || cost > 16) {
            throw new IllegalArgumentException("BCRYPT_COST must be between 10 and 16, got " + cost);
        }
        PasswordEncoder bcrypt = new Sha256Prehashed(new BCryptPasswordEncoder(cost));
        this.encoder = new DelegatingPasswordEncoder(ID, Map.of(ID, bcrypt));
        this.decoyHash = encoder.encode("decoy password that matches nothing");
    }

    public String hash(String password) {
        return encoder.encode(password);
    }

    public boolean matches(String password, String storedHash) {
        return encoder.matches(password, storedHash);
    }

    /** Spends the time of a real check, for an account that does not exist. */
    public void matchDecoy(String password) {
        encoder.matches(password, decoyHash);
    }

    private record Sha256Prehashed(PasswordEncoder bcrypt) implements PasswordEncoder {
        @Override
        public String encode(CharSequence raw) {
            return bcrypt.encode(digest(raw));
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            return bcrypt.matches(digest(raw), encoded);
        }

        private static String digest(CharSequence raw) {
            return Base64.getEncoder().encodeToString(Sha256.of(raw.toString()));
        }
    }
}
