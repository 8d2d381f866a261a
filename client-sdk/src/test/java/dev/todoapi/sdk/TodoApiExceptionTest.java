package dev.todoapi.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TodoApiExceptionTest {

    private static HttpHeaders headers(Map<String, List<String>> map) {
        return HttpHeaders.of(map, (name, value) -> true);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsEveryFieldOfAProblem() {
        String problem = """
                {"type":"about:blank","title":"Validation failed","status":422,"code":"VALIDATION_FAILED",
                 "detail":"The request has 2 invalid fields.","instance":"/api/v1/tasks","request_id":"req-1",
                 "errors":[{"field":"title","code":"INVALID_LENGTH","message":"size must be between 1 and 200"},
                           {"field":"tags[0]","code":"REQUIRED","message":"must not be blank"}]}
                """;
        TodoApiException e = TodoApiException.fromResponse(422,
                headers(Map.of("X-Request-Id", List.of("header-id"))), utf8(problem));

        assertEquals(422, e.status());
        assertEquals("VALIDATION_FAILED", e.code());
        assertEquals("Validation failed", e.title());
        assertEquals("The request has 2 invalid fields.", e.detail());
        assertEquals("req-1", e.requestId(), "the body's request_id wins over the header");
        assertEquals(List.of(
                new TodoApiException.FieldError("title", "INVALID_LENGTH", "size must be between 1 and 200"),
                new TodoApiException.FieldError("tags[0]", "REQUIRED", "must not be blank")), e.errors());
        assertEquals(Optional.empty(), e.retryAfter());
        assertEquals("422 VALIDATION_FAILED: The request has 2 invalid fields. (request req-1)", e.getMessage());
    }

    @Test
    void aProblemWithoutErrorsHasAnEmptyListAndTheHeaderRequestId() {
        TodoApiException e = TodoApiException.fromResponse(429,
                headers(Map.of("X-Request-Id", List.of("abc"), "Retry-After", List.of("17"))),
                utf8("{\"title\":\"Too Many Requests\",\"status\":429,\"code\":\"RATE_LIMIT_EXCEEDED\"}"));

        assertEquals("RATE_LIMIT_EXCEEDED", e.code());
        assertNull(e.detail());
        assertEquals(List.of(), e.errors());
        assertEquals("abc", e.requestId());
        assertEquals(Optional.of(Duration.ofSeconds(17)), e.retryAfter());
        assertEquals("429 RATE_LIMIT_EXCEEDED: Too Many Requests (request abc)", e.getMessage());
    }

    @Test
    void aResponseThatIsNoProblemKeepsStatusAndTextButHasNoCode() {
        TodoApiException e = TodoApiException.fromResponse(502, headers(Map.of()),
                utf8("<html><body>Bad gateway</body></html>"));

        assertEquals(502, e.status());
        assertNull(e.code());
        assertEquals("<html><body>Bad gateway</body></html>", e.detail());
        assertNull(e.requestId());
        assertTrue(e.errors().isEmpty());
    }

    @Test
    void anEmptyBodyAndAJsonArrayAreNoProblemEither() {
        assertNull(TodoApiException.fromResponse(500, headers(Map.of()), new byte[0]).code());
        assertNull(TodoApiException.fromResponse(500, headers(Map.of()), utf8("[1,2]")).code());
        assertNull(TodoApiException.problemCode(utf8("not json")));
        assertEquals("TOKEN_EXPIRED", TodoApiException.problemCode(utf8("{\"code\":\"TOKEN_EXPIRED\"}")));
    }

    @Test
    void aLongNonProblemBodyIsCutShort() {
        TodoApiException e = TodoApiException.fromResponse(503, headers(Map.of("Retry-After", List.of("Wed, 21 Oct 2015 07:28:00 GMT"))),
                utf8("x".repeat(2000)));
        assertEquals(503, e.detail().length());
        assertEquals(Optional.empty(), e.retryAfter(), "an HTTP-date Retry-After is not parsed");
    }

    @Test
    void theErrorListCannotBeChanged() {
        TodoApiException e = new TodoApiException(422, "VALIDATION_FAILED", null, null,
                new java.util.ArrayList<>(List.of(new TodoApiException.FieldError("a", "B", "c"))), null, null);
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class, () -> e.errors().clear());
    }
}
