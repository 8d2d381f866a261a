package dev.todoapi.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.todoapi.db.jooq.tables.records.UsersRecord;
import java.time.Duration;
import java.util.List;
import dev.todoapi.list.Lists;
import java.util.Objects;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * Users of external identity providers: the token's subject is the user id, and the row is created on
 * first sight with the email claim. A subject that already belongs to another issuer (or to an account
 * registered here) is refused, so no provider can speak for another's users.
 */
@Component
public class ExternalUsers {

    private final UserRepository users;
    /** Subjects already known to be this issuer's, so most requests touch no table. */
    private final Cache<String, String> knownIssuerBySubject =
            Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(10)).build();

    private final Lists lists;
    private final TransactionTemplate transaction;

    ExternalUsers(UserRepository users, Lists lists, PlatformTransactionManager transactions) {
        this.users = users;
        this.lists = lists;
        this.transaction = new TransactionTemplate(transactions);
    }

    public JwtAuthenticationToken authenticate(Jwt jwt, String issuer) {
        String subject = jwt.getSubject();
        if (subject == null || subject.isBlank() || subject.length() > 255) {
            throw new InvalidBearerTokenException("The token has no usable subject");
        }
        if (!issuer.equals(knownIssuerBySubject.getIfPresent(subject))) {
            String email = Objects.requireNonNullElse(jwt.getClaimAsString("email"), subject + "@external.invalid");
            // The user and its default list, in one transaction.
            UsersRecord user = transaction.execute(status -> {
                if (users.insertExternalIfAbsent(subject, email, issuer)) {
                    lists.createDefault(subject);
                }
                return users.findById(subject).orElseThrow();
            });
            if (!issuer.equals(user.getIssuer())) {
                throw new InvalidBearerTokenException(new OAuth2Error("invalid_token",
                        "The subject belongs to another identity provider", null).getDescription());
            }
            knownIssuerBySubject.put(subject, issuer);
        }
        return new JwtAuthenticationToken(jwt, List.of(), subject);
    }
}
