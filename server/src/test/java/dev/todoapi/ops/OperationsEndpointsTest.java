package dev.todoapi.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoapi.testsupport.ApiTestBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The running server: probes on the API port, Prometheus metrics (per-route latency histograms, the
 * connection pool, the JVM) on the separate management port, and the security headers of responses.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@TestPropertySource(properties = {ApiTestBase.FAST_BCRYPT, ApiTestBase.NO_RATE_LIMIT})
class OperationsEndpointsTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        ApiTestBase.registerTestProperties(registry);
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void probesAnswerOnTheApiPort() throws Exception {
        HttpResponse<String> live = get(port, "/health/live");
        HttpResponse<String> ready = get(port, "/health/ready");

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"up\"}");
        assertThat(ready.statusCode()).isEqualTo(200);
    }

    @Test
    void prometheusMetricsOnTheManagementPortOnly() throws Exception {
        get(port, "/health");
        get(port, "/health/live");

        HttpResponse<String> metrics = get(managementPort, "/actuator/prometheus");

        assertThat(managementPort).isNotEqualTo(port);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("http_server_requests_seconds_bucket")
                .contains("uri=\"/health\"")
                .contains("uri=\"/health/live\"")
                .contains("hikaricp_connections")
                .contains("jvm_memory_used_bytes");
        assertThat(get(port, "/actuator/prometheus").statusCode()).isEqualTo(404);
    }

    @Test
    void requestsTomcatRefusesGetProblemJsonToo() throws Exception {
        for (String path : new String[] {"/api/v1/tasks/a%2Fb", "/api/v1/tasks/%5C", "/api/v1/tags/%00"}) {
            HttpResponse<String> response = get(port, path);

            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json;charset=UTF-8");
            assertThat(response.body()).as(path).contains("\"code\":\"MALFORMED_REQUEST\"").doesNotContain("<html");
            assertThat(response.headers().firstValue("X-Request-Id")).as(path).isPresent();
        }
    }

    @Test
    void responsesCarrySecurityHeadersAndNoServerBanner() throws Exception {
        HttpResponse<String> response = get(port, "/api/v1/auth/me");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(response.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        assertThat(response.headers().firstValue("Server")).isEmpty();
        assertThat(response.headers().firstValue("X-Powered-By")).isEmpty();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at org.");
    }
}
