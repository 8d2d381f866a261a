package dev.todoapi.security;

import dev.todoapi.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * 401 as problem+json, with the RFC 6750 {@code WWW-Authenticate: Bearer ...} challenge, and codes that
 * tell a missing token from an invalid or an expired one.
 */
@Component
public class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private final BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
    private final JsonMapper json;
    private final SecurityEvents events;

    ProblemAuthenticationEntryPoint(JsonMapper json, SecurityEvents events) {
        this.json = json;
        this.events = events;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        challenge.commence(request, response, failure);
        String code;
        String detail;
        if (failure instanceof OAuth2AuthenticationException oauth) {
            String description = oauth.getError().getDescription() == null ? "" : oauth.getError().getDescription();
            boolean expired = description.toLowerCase(java.util.Locale.ROOT).contains("expired");
            code = expired ? "TOKEN_EXPIRED" : "INVALID_TOKEN";
            detail = expired ? "The access token has expired; refresh it." : "The access token is not valid.";
        } else {
            code = "MISSING_TOKEN";
            detail = "This operation needs an access token: Authorization: Bearer <token>.";
        }
        events.unauthorized(request, code, failure.getMessage());
        Problems.write(json, request, response, HttpStatus.UNAUTHORIZED, code, detail);
    }
}
