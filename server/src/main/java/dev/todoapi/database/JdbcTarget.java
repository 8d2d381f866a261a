package dev.todoapi.database;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** A JDBC URL and the credentials to use with it. */
public record JdbcTarget(String jdbcUrl, @Nullable String user, @Nullable String password) {

    /**
     * Reads {@code jdbc:postgresql://...} as is, and turns the {@code postgresql://user:pass@host:port/db?params}
     * (or {@code postgres://}) form used by Heroku, Railway and Neon into its JDBC equivalent.
     */
    public static JdbcTarget parse(String url) {
        String trimmed = url.trim();
        if (trimmed.startsWith("jdbc:postgresql:")) {
            return new JdbcTarget(trimmed, null, null);
        }
        if (!trimmed.startsWith("postgresql://") && !trimmed.startsWith("postgres://")) {
            throw new IllegalArgumentException(
                    "DATABASE_URL must start with postgresql://, postgres:// or jdbc:postgresql:// (got a URL starting with '"
                            + trimmed.substring(0, Math.min(trimmed.indexOf(':') + 1, 20)) + "')");
        }
        URI uri = URI.create(trimmed);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("DATABASE_URL has no host");
        }
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        return new JdbcTarget(jdbc.toString(), user, password);
    }

    /** Credentials given separately win over those in the URL. */
    public JdbcTarget withCredentials(@Nullable String overrideUser, @Nullable String overridePassword) {
        return new JdbcTarget(
                jdbcUrl,
                overrideUser == null || overrideUser.isBlank() ? user : overrideUser,
                overridePassword == null || overridePassword.isEmpty() ? password : overridePassword);
    }

    /** The URL without its query string, safe to log. */
    public String describe() {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "JdbcTarget[" + describe() + ", user=" + user + "]";
    }
}
