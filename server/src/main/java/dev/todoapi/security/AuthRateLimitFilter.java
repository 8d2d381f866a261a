package dev.todoapi.security;

import dev.todoapi.web.Problems;
import dev.todoapi.auth.AuthProperties;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Limits register, login and refresh (and their compatibility routes) to AUTH_RATE_LIMIT_PER_MINUTE requests per
 * client IP and endpoint.
 * Every answer says where the client stands (RateLimit, RateLimit-Policy); a refusal is 429 with Retry-After.
 * Runs before authentication, so a flood costs a bucket lookup and nothing more.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
public class AuthRateLimitFilter extends OncePerRequestFilter {

    /**
     * The limited paths and their buckets. The seed frontends' /api/auth/signup and /api/auth/signin share the
     * buckets of register and login, so a second path to the same operation gives no second allowance.
     */
    private static final Map<String, String> BUCKETS = Map.of(
            "/api/v1/auth/register", "register",
            "/api/v1/auth/login", "login",
            "/api/v1/auth/refresh", "refresh",
            "/api/auth/signup", "register",
            "/api/auth/signin", "login");

    private final RateLimiter limiter;
    private final ClientIp clientIp;
    private final SecurityEvents events;
    private final JsonMapper json;

    AuthRateLimitFilter(AuthProperties properties, DataSource dataSource, ClientIp clientIp, SecurityEvents events,
            JsonMapper json) {
        Duration window = Duration.ofMinutes(1);
        this.limiter = switch (properties.rateLimitStore()) {
            case MEMORY -> new RateLimiter.InMemory(properties.rateLimitPerMinute(), window);
            case POSTGRES -> new RateLimiter.Postgres(properties.rateLimitPerMinute(), window, dataSource);
        };
        this.clientIp = clientIp;
        this.events = events;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !BUCKETS.containsKey(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String endpoint = BUCKETS.get(request.getRequestURI());
        ConsumptionProbe probe = limiter.tryConsume(endpoint + ":" + clientIp.of(request));
        long resetSeconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForReset() + 999_999_999L));
        response.setHeader("RateLimit-Policy", limiter.limit() + ";w=" + limiter.window().toSeconds());
        response.setHeader("RateLimit", "limit=" + limiter.limit() + ", remaining=" + probe.getRemainingTokens()
                + ", reset=" + resetSeconds);
        if (probe.isConsumed()) {
            chain.doFilter(request, response);
            return;
        }
        long retryAfter = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
        events.rateLimited(request, endpoint);
        response.setHeader("Retry-After", String.valueOf(retryAfter));
        Problems.write(json, request, response, HttpStatus.TOO_MANY_REQUESTS,
                "RATE_LIMIT_EXCEEDED", "Too many attempts; retry in " + retryAfter + " seconds.");
    }
}
