package dev.todoapi.database;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the data lives. With no {@code url} the server runs its own PostgreSQL under {@code dataDir}.
 *
 * @param url            DATABASE_URL: {@code postgresql://user:pass@host:port/db?sslmode=require} or {@code jdbc:postgresql://...}
 * @param user           DATABASE_USER, overrides the URL's user
 * @param password       DATABASE_PASSWORD, overrides the URL's password
 * @param dataDir        TODO_DATA_DIR, where the embedded PostgreSQL keeps its files
 * @param poolSize       connections in the pool
 * @param connectTimeout how long a request waits for a connection before the database counts as unavailable
 */
@ConfigurationProperties("todo.database")
public record DatabaseProperties(
        @Nullable String url,
        @Nullable String user,
        @Nullable String password,
        @DefaultValue("./.data") Path dataDir,
        @DefaultValue("10") int poolSize,
        @DefaultValue("2s") Duration connectTimeout) {

    boolean embedded() {
        return url == null || url.isBlank();
    }
}
