package dev.todoapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoapi.testsupport.ServerTestBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Over a real connection (Tomcat, not MockMvc): a JSON answer that fits Tomcat's buffer goes out whole, with a
 * Content-Length, not in chunks ({@link ResponseLengthFilter}); a larger one still arrives complete. Event streams,
 * which must be flushed as they go, are covered by EventStreamTest.
 */
class ResponseLengthTest extends ServerTestBase {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void smallJsonAnswersCarryTheirLength() throws Exception {
        for (String path : new String[] {"/health/live", "/health", "/", "/api/v1/tasks"}) {
            HttpResponse<byte[]> response = get(path);
            assertThat(response.headers().firstValue("Transfer-Encoding")).as(path).isEmpty();
            assertThat(response.headers().firstValueAsLong("Content-Length")).as(path).hasValue(response.body().length);
        }
    }

    @Test
    void aLargeAnswerArrivesWhole() throws Exception {
        HttpResponse<byte[]> contract = get("/openapi.yaml");

        assertThat(contract.statusCode()).isEqualTo(200);
        assertThat(contract.body().length).isGreaterThan(100_000);
        assertThat(new String(contract.body(), java.nio.charset.StandardCharsets.UTF_8)).startsWith("openapi:").contains("paths:");
    }
}
