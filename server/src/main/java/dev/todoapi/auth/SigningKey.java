package dev.todoapi.auth;

import dev.todoapi.database.DatabaseServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HS256 key of our own access tokens. JWT_SECRET when set (at least 256 bits, or the server refuses
 * to start). Without it, a server on its embedded database generates one and keeps it beside the data,
 * so tokens survive restarts; a server on an external database must be given one, since its instances
 * have to share it.
 */
public final class SigningKey {

    static final int MIN_BYTES = 32;
    private static final Logger log = LoggerFactory.getLogger(SigningKey.class);

    private final SecretKey key;

    private SigningKey(byte[] secret) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    public SecretKey secretKey() {
        return key;
    }

    public static SigningKey resolve(@Nullable String configured, DatabaseServer database, Path dataDir) {
        if (configured != null && !configured.isBlank()) {
            return new SigningKey(fromConfiguration(configured, "JWT_SECRET"));
        }
        if (!database.isEmbedded()) {
            throw new IllegalStateException(
                    "JWT_SECRET is not set. With an external database (DATABASE_URL) every instance must share one "
                            + "secret of at least 256 bits, e.g. JWT_SECRET=$(openssl rand -base64 48)");
        }
        return new SigningKey(generatedSecret(dataDir.toAbsolutePath().normalize().resolve("jwt-secret")));
    }

    /** A secret must carry at least 256 bits: as text, at least 32 bytes. */
    static byte[] fromConfiguration(String secret, String name) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_BYTES) {
            throw new IllegalStateException(name + " is too short: it has " + bytes.length * 8
                    + " bits and HS256 needs at least 256 (32 bytes). Generate one with: openssl rand -base64 48");
        }
        return bytes;
    }

    private static byte[] generatedSecret(Path file) {
        try {
            if (Files.exists(file)) {
                return fromConfiguration(Files.readString(file, StandardCharsets.UTF_8).strip(), file.toString());
            }
            Files.createDirectories(file.getParent());
            byte[] random = new byte[48];
            new SecureRandom().nextBytes(random);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.writeString(file, secret, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            log.info("Generated a JWT signing secret in {} (set JWT_SECRET to choose your own)", file);
            return secret.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the JWT secret file " + file, e);
        }
    }
}
