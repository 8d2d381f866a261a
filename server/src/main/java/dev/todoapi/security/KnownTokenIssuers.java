package dev.todoapi.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtIssuerAuthenticationManagerResolver;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Picks the issuer's authentication manager for a bearer token without parsing it again: a token that has
 * authenticated once goes straight to the manager that verified it. Spring's issuer resolver decodes every
 * token (Base64 and JSON) only to read its {@code iss}, before the verified-token cache is asked; that was 4 % of
 * the server's CPU on a GET by id (bench/results/2026-12-03-tuning.md). The manager still checks the token
 * (its {@link VerifiedTokenCache} remembers it only while it is unexpired), so this changes no outcome; a token
 * not seen before, or one that failed, goes through the issuer resolver in full.
 */
final class KnownTokenIssuers implements AuthenticationManagerResolver<HttpServletRequest> {

    private final AuthenticationManagerResolver<HttpServletRequest> byIssuer;
    private final Cache<String, AuthenticationManager> managers;

    /** The managers of each issuer; a token's issuer is read from the token (Spring's resolver) the first time. */
    KnownTokenIssuers(Map<String, AuthenticationManager> managersByIssuer, long maxTokens, Duration keep) {
        this.managers = Caffeine.newBuilder().maximumSize(maxTokens).expireAfterWrite(keep).build();
        Map<String, AuthenticationManager> remembering = new HashMap<>();
        managersByIssuer.forEach((issuer, manager) -> remembering.put(issuer, remembering(manager)));
        this.byIssuer = new JwtIssuerAuthenticationManagerResolver(remembering::get);
    }

    private AuthenticationManager remembering(AuthenticationManager manager) {
        return authentication -> {
            Authentication result = manager.authenticate(authentication); // throws unless the token is valid
            if (authentication instanceof BearerTokenAuthenticationToken bearer) {
                managers.put(bearer.getToken(), manager);
            }
            return result;
        };
    }

    @Override
    public AuthenticationManager resolve(HttpServletRequest request) {
        return authentication -> {
            if (!(authentication instanceof BearerTokenAuthenticationToken bearer)) {
                return byIssuer.resolve(request).authenticate(authentication);
            }
            AuthenticationManager known = managers.getIfPresent(bearer.getToken());
            if (known != null) {
                return known.authenticate(authentication);
            }
            return byIssuer.resolve(request).authenticate(authentication);
        };
    }
}
