package dev.todoapi.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An error response of the Todo API: any non-2xx answer, normally an RFC 9457
 * {@code application/problem+json} document.
 *
 * <p>Branch on {@link #code()}, the problem's stable, UPPER_SNAKE code ({@code TASK_NOT_FOUND},
 * {@code VALIDATION_FAILED}, {@code TOKEN_EXPIRED}, ...), not on the message. Every call made through a
 * {@link TodoClient}, including the generated API classes it hands out, reports error responses with this
 * one exception type. Failures to reach the server at all (connection refused, timeouts) are reported as
 * the generated, unchecked {@link dev.todoapi.client.ApiException} whose cause is the
 * {@link java.io.IOException}.
 *
 * <pre>{@code
 * try {
 *     client.tasks().getTask(id);
 * } catch (TodoApiException e) {
 *     if ("TASK_NOT_FOUND".equals(e.code())) { ... }
 *     e.errors().forEach(error -> System.err.println(error.field() + ": " + error.message()));
 * }
 * }</pre>
 */
public final class TodoApiException extends TodoException {

    private static final long serialVersionUID = 1L;

    /** Longest stretch of a non-problem body kept as the {@link #detail()}. */
    private static final int MAX_DETAIL = 500;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final String code;
    private final String title;
    private final String detail;
    private final List<FieldError> errors;
    private final String requestId;
    private final Duration retryAfter;

    /**
     * One invalid field or parameter of a {@code 422 VALIDATION_FAILED} (or similar) problem.
     *
     * @param field   JSON path of the offending field, or the parameter name ({@code title}, {@code tags[2]})
     * @param code    stable code of the violation ({@code TOO_LONG}, {@code REQUIRED}, {@code INVALID_TYPE}, ...)
     * @param message human-readable explanation
     */
    public record FieldError(String field, String code, String message) implements java.io.Serializable {}

    /**
     * Creates an exception, for instance to stub a {@link TodoClient} in a test.
     *
     * @param status     the HTTP status
     * @param code       the problem's stable code, or {@code null} when the response was no problem document
     * @param title      the problem's title, or {@code null}
     * @param detail     the problem's detail, or {@code null}
     * @param errors     the field errors ({@code null} for none)
     * @param requestId  the request id, or {@code null}
     * @param retryAfter the {@code Retry-After} delay, or {@code null}
     */
    public TodoApiException(int status, String code, String title, String detail, List<FieldError> errors,
            String requestId, Duration retryAfter) {
        super(message(status, code, title, detail, requestId));
        this.status = status;
        this.code = code;
        this.title = title;
        this.detail = detail;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.requestId = requestId;
        this.retryAfter = retryAfter;
    }

    /** @return the HTTP status of the response (400..599) */
    public int status() {
        return status;
    }

    /**
     * @return the problem's stable, machine-readable code ({@code TASK_NOT_FOUND}, ...), or {@code null}
     *         when the response was not a problem document (an HTML page from a proxy, say)
     */
    public String code() {
        return code;
    }

    /** @return the problem's short summary ({@code "Not Found"}), or {@code null} */
    public String title() {
        return title;
    }

    /** @return the problem's human-readable explanation of this occurrence, or {@code null} */
    public String detail() {
        return detail;
    }

    /** @return the field errors of a validation failure; empty, never {@code null}, for other problems */
    public List<FieldError> errors() {
        return errors;
    }

    /**
     * @return the id of the request (the problem's {@code request_id}, else the {@code X-Request-Id} header),
     *         to quote when reporting a problem; {@code null} if the response had none
     */
    public String requestId() {
        return requestId;
    }

    /**
     * @return how long to wait before trying again, from the {@code Retry-After} header of a 429 or 503;
     *         empty when the response did not say
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Reads an error response: its problem document when it has one, else status and headers only. */
    static TodoApiException fromResponse(int status, HttpHeaders headers, byte[] body) {
        String headerRequestId = headers.firstValue("X-Request-Id").orElse(null);
        Duration retryAfter = headers.firstValue("Retry-After").map(TodoApiException::parseRetryAfter).orElse(null);
        JsonNode problem = parseObject(body);
        if (problem == null) {
            String text = body == null ? "" : new String(body, StandardCharsets.UTF_8).strip();
            if (text.length() > MAX_DETAIL) {
                text = text.substring(0, MAX_DETAIL) + "...";
            }
            return new TodoApiException(status, null, null, text.isEmpty() ? null : text, List.of(),
                    headerRequestId, retryAfter);
        }
        List<FieldError> errors = new ArrayList<>();
        JsonNode list = problem.get("errors");
        if (list != null && list.isArray()) {
            for (JsonNode error : list) {
                errors.add(new FieldError(text(error, "field"), text(error, "code"), text(error, "message")));
            }
        }
        String requestId = text(problem, "request_id");
        return new TodoApiException(status, text(problem, "code"), text(problem, "title"), text(problem, "detail"),
                errors, requestId != null ? requestId : headerRequestId, retryAfter);
    }

    /** The {@code code} of a problem document, or {@code null} when the body is none. */
    static String problemCode(byte[] body) {
        JsonNode problem = parseObject(body);
        return problem == null ? null : text(problem, "code");
    }

    private static JsonNode parseObject(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Duration parseRetryAfter(String value) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException httpDate) {
            return null; // the API sends seconds; an HTTP-date is not worth a parser here
        }
    }

    private static String message(int status, String code, String title, String detail, String requestId) {
        StringBuilder message = new StringBuilder().append(status);
        if (code != null) {
            message.append(' ').append(code);
        }
        String text = detail != null ? detail : title;
        if (text != null) {
            message.append(": ").append(text);
        }
        if (requestId != null) {
            message.append(" (request ").append(requestId).append(')');
        }
        return message.toString();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + ": " + getMessage()
                + (errors.isEmpty() ? "" : " " + errors);
    }
}
