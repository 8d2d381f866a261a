package dev.todoapi.web;

import dev.todoapi.api.model.FieldError;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * An error the client can act on. Feature code throws it; {@link ApiExceptionHandler} turns it into
 * problem+json. The code is free text so features can add their own (TASK_NOT_FOUND, ...).
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final List<FieldError> errors;
    private final HttpHeaders headers = new HttpHeaders();

    public ApiException(HttpStatus status, String code, String detail) {
        this(status, code, detail, List.of());
    }

    public ApiException(HttpStatus status, String code, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.errors = List.copyOf(errors);
    }

    public ApiException(ErrorCode code, String detail) {
        this(code.status(), code.name(), detail);
    }

    public static ApiException validation(String field, String code, String message) {
        List<FieldError> errors = List.of(new FieldError(field, code, message));
        return new ApiException(
                ErrorCode.VALIDATION_FAILED.status(), ErrorCode.VALIDATION_FAILED.name(), invalidFields(errors), errors);
    }

    /**
     * The detail of a validation failure, naming the fields: "The request has 1 invalid field: title (must not be
     * blank)." Clients that show only the detail (FastAPI-style frontends read {@code detail}) can show this.
     */
    public static String invalidFields(List<FieldError> errors) {
        int named = Math.min(errors.size(), 3);
        StringBuilder detail = new StringBuilder("The request has ").append(errors.size())
                .append(errors.size() == 1 ? " invalid field" : " invalid fields");
        for (int i = 0; i < named; i++) {
            FieldError error = errors.get(i);
            String message = error.getMessage().length() > 100 ? error.getMessage().substring(0, 100) + "…" : error.getMessage();
            detail.append(i == 0 ? ": " : ", ").append(error.getField().isEmpty() ? "body" : error.getField())
                    .append(" (").append(message).append(')');
        }
        if (errors.size() > named) {
            detail.append(" and ").append(errors.size() - named).append(" more");
        }
        return detail.append('.').toString();
    }

    public ApiException withHeader(String name, String value) {
        headers.add(name, value);
        return this;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public HttpHeaders headers() {
        return headers;
    }

    public @Nullable String detail() {
        return getMessage();
    }
}
