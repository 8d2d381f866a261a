package dev.todoapi.security;

import dev.todoapi.auth.StreamTickets;
import dev.todoapi.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Signs in {@code GET /api/v1/events?ticket=...} without an Authorization header (a browser's EventSource) with a
 * one-time stream ticket, used up here; an unknown, used or expired one is {@code 401 INVALID_TICKET}. A request with
 * an Authorization header is left to the bearer token filter, and no other route looks at tickets.
 */
final class StreamTicketFilter extends OncePerRequestFilter {

    static final String PATH = "/api/v1/events";

    private final StreamTickets tickets;
    private final JsonMapper json;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    StreamTicketFilter(StreamTickets tickets, JsonMapper json) {
        this.tickets = tickets;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"GET".equals(request.getMethod()) || !PATH.equals(request.getRequestURI())
                || request.getParameter("ticket") == null || request.getHeader(HttpHeaders.AUTHORIZATION) != null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String ticket = request.getParameter("ticket");
        String userId = ticket.length() > 256 ? null : tickets.consume(ticket);
        if (userId == null) {
            Problems.write(json, request, response, HttpStatus.UNAUTHORIZED, "INVALID_TICKET",
                    "The stream ticket is unknown, used or expired; get a new one (POST /api/v1/events/tickets).");
            return;
        }
        Instant now = Instant.now();
        // The same principal as a bearer token's, so that CurrentUser and everything after it are unchanged.
        Jwt principal = Jwt.withTokenValue("stream-ticket").header("alg", "none").subject(userId)
                .claim("type", "stream-ticket").issuedAt(now).expiresAt(now.plus(tickets.ttl())).build();
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(new JwtAuthenticationToken(principal, List.of()));
        contexts.setContext(context);
        chain.doFilter(request, response);
    }
}
