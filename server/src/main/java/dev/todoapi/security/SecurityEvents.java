package dev.todoapi.security;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Security-relevant events as structured log lines (logger {@code security}): what happened, to which
 * client and path, and why. Never a token or a password.
 */
@Component
public class SecurityEvents {

    private static final Logger log = LoggerFactory.getLogger("security");

    private final ClientIp clientIp;

    public SecurityEvents(ClientIp clientIp) {
        this.clientIp = clientIp;
    }

    public void loginFailed(HttpServletRequest request, String reason) {
        event("login_failure", request, reason);
    }

    public void unauthorized(HttpServletRequest request, String code, String reason) {
        event("unauthorized", request, code + ": " + reason);
    }

    public void forbidden(HttpServletRequest request, String code) {
        event("forbidden", request, code);
    }

    public void rateLimited(HttpServletRequest request, String bucket) {
        event("rate_limited", request, bucket);
    }

    public void refreshTokenReused(HttpServletRequest request, String userId) {
        log.atWarn()
                .addKeyValue("event", "refresh_token_reuse")
                .addKeyValue("client_ip", clientIp.of(request))
                .addKeyValue("path", request.getRequestURI())
                .addKeyValue("user_id", userId)
                .log("security event refresh_token_reuse: session revoked for user {} from {}", userId, clientIp.of(request));
    }

    private void event(String event, HttpServletRequest request, String reason) {
        String ip = clientIp.of(request);
        log.atWarn()
                .addKeyValue("event", event)
                .addKeyValue("client_ip", ip)
                .addKeyValue("path", request.getRequestURI())
                .addKeyValue("reason", reason)
                .log("security event {} from {} on {}: {}", event, ip, request.getRequestURI(), reason);
    }
}
