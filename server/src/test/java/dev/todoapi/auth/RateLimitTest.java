package dev.todoapi.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.todoapi.testsupport.ApiTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * 5 requests a minute per client IP and endpoint, kept in PostgreSQL here (the store that holds across
 * instances); the in-memory store is the same bucket4j configuration without the table.
 */
@TestPropertySource(properties = {
    "todo.auth.rate-limit-per-minute=5",
    "todo.auth.rate-limit-store=postgres",
    "todo.auth.trusted-proxies=10.9.0.0/16"
})
class RateLimitTest extends ApiTestBase {

    private static MockHttpServletRequestBuilder loginFrom(String ip) {
        return post("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .content("{\"email\": \"nobody@example.com\", \"password\": \"whatever123\"}")
                .with(request -> {
                    request.setRemoteAddr(ip);
                    return request;
                });
    }

    @Test
    void theSixthLoginInAMinuteIsRefused() throws Exception {
        for (int i = 1; i <= 5; i++) {
            MvcResult allowed = call(loginFrom("192.0.2.10"));
            assertThat(allowed.getResponse().getStatus()).isEqualTo(401);
            assertThat(allowed.getResponse().getHeader("RateLimit")).startsWith("limit=5, remaining=" + (5 - i));
            assertThat(allowed.getResponse().getHeader("RateLimit-Policy")).isEqualTo("5;w=60");
        }

        MvcResult refused = call(loginFrom("192.0.2.10"));

        assertThat(refused.getResponse().getStatus()).isEqualTo(429);
        assertThat(body(refused).get("code").asString()).isEqualTo("RATE_LIMIT_EXCEEDED");
        assertThat(Integer.parseInt(refused.getResponse().getHeader("Retry-After"))).isBetween(1, 60);
        // Another client is not affected.
        assertThat(call(loginFrom("192.0.2.11")).getResponse().getStatus()).isEqualTo(401);
    }

    @Test
    void xForwardedForCountsOnlyBehindATrustedProxy() throws Exception {
        for (int i = 0; i < 5; i++) {
            call(loginFrom("198.51.100.7").header("X-Forwarded-For", "203.0.113." + i));
        }
        // A direct client can't dodge the limit by inventing X-Forwarded-For.
        assertThat(call(loginFrom("198.51.100.7").header("X-Forwarded-For", "203.0.113.99")).getResponse().getStatus())
                .isEqualTo(429);

        // Behind the trusted proxy, each forwarded client has its own bucket.
        for (int i = 0; i < 5; i++) {
            assertThat(call(loginFrom("10.9.0.1").header("X-Forwarded-For", "203.0.113.50")).getResponse().getStatus())
                    .isEqualTo(401);
        }
        assertThat(call(loginFrom("10.9.0.1").header("X-Forwarded-For", "203.0.113.50")).getResponse().getStatus())
                .isEqualTo(429);
        assertThat(call(loginFrom("10.9.0.1").header("X-Forwarded-For", "203.0.113.51")).getResponse().getStatus())
                .isEqualTo(401);
    }

    private static MockHttpServletRequestBuilder from(String ip, String path, String body) {
        return post(path).contentType(MediaType.APPLICATION_JSON).content(body).with(request -> {
            request.setRemoteAddr(ip);
            return request;
        });
    }

    /** The seed frontends' routes count against the limits of the operations they stand for. */
    @Test
    void signInSharesTheLoginLimitAndSignUpTheRegisterLimit() throws Exception {
        String credentials = "{\"email\": \"nobody@example.com\", \"password\": \"whatever123\"}";
        for (int i = 0; i < 3; i++) {
            call(loginFrom("192.0.2.30"));
        }
        for (int i = 1; i <= 2; i++) {
            MvcResult allowed = call(from("192.0.2.30", "/api/auth/signin", credentials));
            assertThat(allowed.getResponse().getStatus()).isEqualTo(401);
            assertThat(allowed.getResponse().getHeader("RateLimit")).startsWith("limit=5, remaining=" + (2 - i));
        }
        for (String path : new String[] {"/api/auth/signin", "/api/v1/auth/login"}) {
            MvcResult refused = call(from("192.0.2.30", path, credentials));
            assertThat(refused.getResponse().getStatus()).isEqualTo(429);
            assertThat(body(refused).get("code").asString()).isEqualTo("RATE_LIMIT_EXCEEDED");
            assertThat(refused.getResponse().getHeader("Retry-After")).isNotNull();
        }

        String tooShort = "{\"email\": \"new@example.com\", \"password\": \"short\"}";
        for (int i = 0; i < 5; i++) {
            String path = i % 2 == 0 ? "/api/auth/signup" : "/api/v1/auth/register";
            assertThat(callBad(from("192.0.2.31", path, tooShort)).getResponse().getStatus()).isEqualTo(422);
        }
        assertThat(callBad(from("192.0.2.31", "/api/auth/signup", tooShort)).getResponse().getStatus()).isEqualTo(429);
        assertThat(callBad(from("192.0.2.31", "/api/v1/auth/register", tooShort)).getResponse().getStatus()).isEqualTo(429);
        // Sign-in has a bucket of its own.
        assertThat(call(from("192.0.2.31", "/api/auth/signin", credentials)).getResponse().getStatus()).isEqualTo(401);
    }

    @Test
    void registerAndRefreshAreLimitedToo() throws Exception {
        for (int i = 0; i < 5; i++) {
            call(post("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON).with(r -> { r.setRemoteAddr("192.0.2.77"); return r; }));
        }
        MvcResult refused = call(post("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON).with(r -> { r.setRemoteAddr("192.0.2.77"); return r; }));
        assertThat(refused.getResponse().getStatus()).isEqualTo(429);
    }
}
