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
        return new ApiException(
                ErrorCode.VALIDATION_FAILED.status(),
                ErrorCode.VALIDATION_FAILED.name(),
                "The request has 1 invalid field.",
                List.of(new FieldError(field, code, message)));
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
