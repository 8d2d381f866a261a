package dev.todoapi.web;

import dev.todoapi.api.model.FieldError;
import dev.todoapi.api.model.Problem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/** Builds the contract's Problem documents (RFC 9457 plus code and request_id). */
public final class Problems {

    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    private Problems() {}

    public static Problem problem(
            HttpStatusCode status,
            String code,
            @Nullable String detail,
            @Nullable String instance,
            List<FieldError> errors) {
        Problem problem = new Problem("about:blank", title(status, code), status.value(), code);
        problem.setDetail(detail);
        problem.setInstance(instance);
        problem.setRequestId(RequestIdFilter.currentRequestId());
        // The generated model starts with an empty list; absent reads better than [] when there are none.
        problem.setErrors(errors.isEmpty() ? null : List.copyOf(errors));
        return problem;
    }

    public static ResponseEntity<Problem> response(
            HttpStatusCode status,
            String code,
            @Nullable String detail,
            @Nullable HttpServletRequest request,
            List<FieldError> errors,
            @Nullable HttpHeaders headers) {
        String instance = request == null ? null : request.getRequestURI();
        return ResponseEntity.status(status)
                .headers(headers)
                .contentType(PROBLEM_JSON)
                .body(problem(status, code, detail, instance, errors));
    }

    /** Writes a problem straight to the servlet response, for filters and security handlers outside Spring MVC. */
    public static void write(JsonMapper json, HttpServletRequest request, HttpServletResponse response,
            HttpStatusCode status, String code, @Nullable String detail) throws IOException {
        write(json, request, response, status, code, detail, List.of());
    }

    /** The same, with field errors (a parameter or header named in {@code errors[]}). */
    public static void write(JsonMapper json, HttpServletRequest request, HttpServletResponse response,
            HttpStatusCode status, String code, @Nullable String detail, List<FieldError> errors) throws IOException {
        response.setStatus(status.value());
        response.setContentType(PROBLEM_JSON.toString());
        json.writeValue(response.getOutputStream(), problem(status, code, detail, request.getRequestURI(), errors));
    }

    private static String title(HttpStatusCode status, String code) {
        for (ErrorCode known : ErrorCode.values()) {
            if (known.name().equals(code)) {
                return known.title();
            }
        }
        return ErrorCode.forStatus(status.value()).title();
    }
}
