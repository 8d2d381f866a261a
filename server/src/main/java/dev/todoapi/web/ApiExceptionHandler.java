package dev.todoapi.web;

import dev.todoapi.api.model.FieldError;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every exception that reaches Spring MVC into problem+json with a stable code. What the client
 * did wrong is a 4xx that says what; anything else is a 500 whose detail stays in the log.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    /**
     * The response this advice gives for an exception, for a caller that runs operations itself and answers each with
     * its own result (a command of a batch): the same status, code and field errors as the operation's own request.
     */
    public ResponseEntity<?> responseFor(Exception ex, HttpServletRequest request) {
        return switch (ex) {
            case ApiException e -> handleApiException(e, request);
            case jakarta.validation.ConstraintViolationException e ->
                    handleConstraintViolation(e, new org.springframework.web.context.request.ServletWebRequest(request));
            case org.springframework.dao.DataIntegrityViolationException e -> handleIntegrityViolation(e, request);
            case org.springframework.dao.ConcurrencyFailureException e -> handleConcurrencyFailure(e, request);
            default -> handleUnexpected(ex, request);
        };
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<?> handleApiException(ApiException ex, HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        headers.addAll(ex.headers());
        if (ex.status() == HttpStatus.UNAUTHORIZED && !headers.containsHeader(HttpHeaders.WWW_AUTHENTICATE)) {
            headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"todo-api\""); // RFC 6750: every 401 challenges
        }
        return Problems.response(ex.status(), ex.code(), ex.detail(), request, ex.errors(), headers);
    }

    @ExceptionHandler({
        CannotGetJdbcConnectionException.class,
        DataAccessResourceFailureException.class,
        TransientDataAccessResourceException.class,
        SQLTransientConnectionException.class
    })
    ResponseEntity<?> handleDatabaseUnavailable(Exception ex, HttpServletRequest request) {
        log.warn("Database unavailable: {}", ex.getMessage());
        return databaseUnavailable(request);
    }

    /**
     * Parameter constraints (limit, q, headers) checked by method validation on the generated interfaces,
     * which are @Validated: the parameter's name as the client wrote it names the field.
     */
    @ExceptionHandler(jakarta.validation.ConstraintViolationException.class)
    ResponseEntity<?> handleConstraintViolation(jakarta.validation.ConstraintViolationException ex, WebRequest request) {
        List<FieldError> errors = new ArrayList<>();
        for (var violation : ex.getConstraintViolations()) {
            String field = "";
            Class<?>[] parameterTypes = null;
            String methodName = null;
            for (var node : violation.getPropertyPath()) {
                if (node.getKind() == jakarta.validation.ElementKind.METHOD) {
                    methodName = node.getName();
                    parameterTypes = node.as(jakarta.validation.Path.MethodNode.class).getParameterTypes().toArray(Class<?>[]::new);
                } else if (node.getKind() == jakarta.validation.ElementKind.PARAMETER) {
                    int index = node.as(jakarta.validation.Path.ParameterNode.class).getParameterIndex();
                    field = wireName(violation.getRootBeanClass(), methodName, parameterTypes, index, node.getName());
                } else if (node.getName() != null && !field.isEmpty()) {
                    field = field + "." + JsonNames.snakeCase(node.getName());
                }
            }
            String constraint = violation.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName();
            String code = ConstraintCodes.of(constraint);
            if (code.equals("INVALID_LENGTH")) {
                Object min = violation.getConstraintDescriptor().getAttributes().get("min");
                code = violation.getInvalidValue() instanceof CharSequence value && min instanceof Integer m && value.length() < m
                        ? "TOO_SHORT" : "TOO_LONG";
            }
            errors.add(new FieldError(field, code, violation.getMessage()));
        }
        errors.sort(java.util.Comparator.comparing(FieldError::getField));
        return validationFailed(errors, request);
    }

    /**
     * A constraint the checks before it did not catch (a race, or the token of an account deleted since).
     * Never the client's fault enough to be a 500, never worth a stack trace.
     */
    @ExceptionHandler(org.springframework.dao.DataIntegrityViolationException.class)
    ResponseEntity<?> handleIntegrityViolation(
            org.springframework.dao.DataIntegrityViolationException ex, HttpServletRequest request) {
        String message = String.valueOf(ex.getMostSpecificCause().getMessage());
        if (message.contains("_user_fkey")) {
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
            return Problems.response(HttpStatus.UNAUTHORIZED, "INVALID_TOKEN",
                    "The account of this token no longer exists.", request, List.of(), headers);
        }
        log.warn("Integrity violation on {} {}: {}", request.getMethod(), request.getRequestURI(), message);
        return Problems.response(HttpStatus.CONFLICT, ErrorCode.CONFLICT.name(),
                "The request conflicts with the current state of the data; retry.", request, List.of(), null);
    }

    /**
     * Two transactions waited for each other (a deadlock PostgreSQL broke) or a lock could not be had: nothing was
     * written; the client retries.
     */
    @ExceptionHandler(org.springframework.dao.ConcurrencyFailureException.class)
    ResponseEntity<?> handleConcurrencyFailure(org.springframework.dao.ConcurrencyFailureException ex, HttpServletRequest request) {
        log.warn("Concurrency failure on {} {}: {}", request.getMethod(), request.getRequestURI(),
                ex.getMostSpecificCause().getMessage());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "1");
        return Problems.response(HttpStatus.CONFLICT, ErrorCode.CONFLICT.name(),
                "The request collided with a concurrent change and was not applied; retry.", request, List.of(), headers);
    }

    /**
     * A header or parameter the firewall refused when something read it (MalformedRequestFilter catches the
     * known cases first and names the header).
     */
    @ExceptionHandler({org.springframework.security.web.firewall.RequestRejectedException.class,
            org.apache.tomcat.util.http.InvalidParameterException.class})
    ResponseEntity<?> handleMalformed(Exception ex, HttpServletRequest request) {
        log.debug("Malformed request on {}: {}", request.getRequestURI(), ex.getMessage());
        return Problems.response(HttpStatus.BAD_REQUEST, ErrorCode.MALFORMED_REQUEST.name(),
                "The request has a header, parameter or form field that is not well-formed.", request, List.of(), null);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<?> handleUnexpected(Exception ex, HttpServletRequest request) {
        if (isDatabaseUnavailable(ex)) {
            log.warn("Database unavailable: {}", ex.getMessage());
            return databaseUnavailable(request);
        }
        log.error("Unexpected error on {} {}", request.getMethod(), request.getRequestURI(), ex);
        return Problems.response(
                HttpStatus.INTERNAL_SERVER_ERROR,
                ErrorCode.INTERNAL_ERROR.name(),
                "An unexpected error occurred. Quote the request id when reporting it.",
                request,
                List.of(),
                null);
    }

    /**
     * The database went away (refused or dropped connections, an administrator shutdown), also when the
     * failed rollback that followed is what reached us.
     */
    static boolean isDatabaseUnavailable(@Nullable Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof java.net.ConnectException
                    || t instanceof DataAccessResourceFailureException || t instanceof CannotGetJdbcConnectionException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
                return true;
            }
            if (t instanceof org.springframework.transaction.TransactionSystemException tse
                    && isDatabaseUnavailable(tse.getApplicationException())) {
                return true;
            }
            // A rollback that failed on the connection: it broke (the commit's own failure, often in a before-commit
            // step such as the change log's stamps, is only logged by Spring; the failed rollback is what reaches us).
            if (t instanceof org.springframework.transaction.TransactionSystemException && t.getCause() instanceof java.sql.SQLException) {
                return true;
            }
        }
        return false;
    }

    private static ResponseEntity<?> databaseUnavailable(HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "5");
        return Problems.response(
                HttpStatus.SERVICE_UNAVAILABLE,
                ErrorCode.DATABASE_UNAVAILABLE.name(),
                "The database is not available right now; retry shortly.",
                request,
                List.of(),
                headers);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = new ArrayList<>();
        for (org.springframework.validation.FieldError error : ex.getBindingResult().getFieldErrors()) {
            errors.add(fieldError(JsonNames.snakeCase(error.getField()), error));
        }
        ex.getBindingResult().getGlobalErrors().forEach(error -> errors.add(fieldError("", error)));
        return validationFailed(errors, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = new ArrayList<>();
        for (ParameterValidationResult result : ex.getParameterValidationResults()) {
            String name = parameterName(result);
            result.getResolvableErrors().forEach(error -> errors.add(fieldError(name, error)));
        }
        return validationFailed(errors, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleTypeMismatch(
            org.springframework.beans.TypeMismatchException ex,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        String name = ex instanceof MethodArgumentTypeMismatchException mismatch ? mismatch.getName() : ex.getPropertyName();
        return validationFailed(
                List.of(new FieldError(name == null ? "" : name, "INVALID_VALUE", "'" + ex.getValue() + "' is not a valid value")),
                request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return validationFailed(
                List.of(new FieldError(ex.getParameterName(), "REQUIRED", "is required")), request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (hasCause(ex, RequestBodyLimitFilter.BodyTooLargeException.class)) {
            HttpHeaders close = new HttpHeaders();
            close.set(HttpHeaders.CONNECTION, "close");
            return problem(ErrorCode.PAYLOAD_TOO_LARGE.status(), ErrorCode.PAYLOAD_TOO_LARGE.name(),
                    cause(ex, RequestBodyLimitFilter.BodyTooLargeException.class).getMessage(), request, List.of(), close);
        }
        Throwable cause = ex.getMostSpecificCause();
        DatabindException binding = cause(ex, DatabindException.class);
        if (binding != null) {
            cause = binding;
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            String field = JsonNames.path(unknown);
            return validationFailed(
                    List.of(new FieldError(field, "UNKNOWN_FIELD", "is not a field of this request")), request);
        }
        if (cause instanceof DatabindException databind && !databind.getPath().isEmpty()) {
            return validationFailed(
                    List.of(new FieldError(JsonNames.path(databind), "INVALID_TYPE", "has the wrong type or format")),
                    request);
        }
        String detail = cause instanceof JacksonException
                ? "The request body is not valid JSON: " + ((JacksonException) cause).getOriginalMessage()
                : "The request body is missing or unreadable.";
        return problem(HttpStatus.BAD_REQUEST, ErrorCode.MALFORMED_REQUEST.name(), detail, request, List.of(), null);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleExceptionInternal(
            Exception ex, @Nullable Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        String detail = switch (ex) {
            case NoResourceFoundException ignored -> "No resource at " + path(request) + ".";
            case HttpRequestMethodNotSupportedException m -> "Method " + m.getMethod() + " is not supported here.";
            case MissingRequestHeaderException m -> "Header " + m.getHeaderName() + " is required.";
            case ErrorResponse e when e.getBody().getDetail() != null -> e.getBody().getDetail();
            default -> null;
        };
        if (hasCause(ex, java.io.IOException.class) && ex instanceof org.springframework.http.converter.HttpMessageNotWritableException
                || ex instanceof org.springframework.web.context.request.async.AsyncRequestNotUsableException) {
            // The client went away mid-response: nothing to answer, nothing wrong with the server.
            log.debug("Client disconnected on {}: {}", path(request), ex.getMessage());
            return null;
        }
        if (statusCode.is5xxServerError()) {
            log.error("Error on {}", path(request), ex);
            detail = "An unexpected error occurred. Quote the request id when reporting it.";
        }
        return problem(statusCode, ErrorCode.forStatus(statusCode.value()).name(), detail, request, List.of(), headers);
    }

    private ResponseEntity<Object> validationFailed(List<FieldError> errors, WebRequest request) {
        return problem(ErrorCode.VALIDATION_FAILED.status(), topLevelCode(errors), ApiException.invalidFields(errors),
                request, errors, null);
    }

    /** A lone error that has a code of its own in the contract (INVALID_EMAIL, PASSWORD_TOO_SHORT) names the problem. */
    private static String topLevelCode(List<FieldError> errors) {
        if (errors.size() == 1) {
            FieldError only = errors.get(0);
            if ("INVALID_EMAIL".equals(only.getCode())) {
                return "INVALID_EMAIL";
            }
            if ("TOO_SHORT".equals(only.getCode()) && only.getField().endsWith("password")) {
                return "PASSWORD_TOO_SHORT";
            }
        }
        return ErrorCode.VALIDATION_FAILED.name();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ResponseEntity<Object> problem(
            HttpStatusCode status, String code, @Nullable String detail, WebRequest request,
            List<FieldError> errors, @Nullable HttpHeaders headers) {
        HttpServletRequest servletRequest = request instanceof ServletWebRequest s ? s.getRequest() : null;
        return (ResponseEntity) Problems.response(status, code, detail, servletRequest, errors, headers);
    }

    private static FieldError fieldError(String field, MessageSourceResolvable error) {
        String[] codes = error.getCodes();
        String constraint = codes == null || codes.length == 0 ? "Invalid" : codes[codes.length - 1];
        String message = error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage();
        String code = ConstraintCodes.of(constraint);
        if (code.equals("INVALID_LENGTH") && tooShort(error)) {
            code = "TOO_SHORT";
        } else if (code.equals("INVALID_LENGTH")) {
            code = "TOO_LONG";
        }
        return new FieldError(field, code, message);
    }

    private static boolean tooShort(MessageSourceResolvable error) {
        if (error instanceof org.springframework.validation.FieldError fieldError
                && fieldError.getRejectedValue() instanceof CharSequence value) {
            try {
                var violation = fieldError.unwrap(jakarta.validation.ConstraintViolation.class);
                Object min = violation.getConstraintDescriptor().getAttributes().get("min");
                return min instanceof Integer m && value.length() < m;
            } catch (IllegalArgumentException notAViolation) {
                return false;
            }
        }
        return false;
    }

    /**
     * The name a parameter has on the wire ({@code Idempotency-Key}, {@code If-Match}, {@code due_before}), from
     * the generated interface's {@code @RequestHeader}/{@code @RequestParam}/{@code @PathVariable}.
     */
    private static String wireName(@Nullable Class<?> type, @Nullable String methodName, Class<?> @Nullable [] parameterTypes,
            int index, String javaName) {
        if (type != null && methodName != null && parameterTypes != null) {
            java.lang.reflect.Method method = org.springframework.util.ReflectionUtils.findMethod(type, methodName, parameterTypes);
            if (method != null) {
                String name = parameterName(new org.springframework.core.annotation.AnnotatedMethod(method).getMethodParameters()[index]);
                if (!name.isEmpty()) {
                    return name;
                }
            }
        }
        return JsonNames.snakeCase(javaName);
    }

    private static String parameterName(ParameterValidationResult result) {
        return parameterName(result.getMethodParameter());
    }

    private static String parameterName(org.springframework.core.MethodParameter parameter) {
        var path = parameter.getParameterAnnotation(org.springframework.web.bind.annotation.PathVariable.class);
        if (path != null && !path.value().isEmpty()) {
            return path.value();
        }
        var requestParam = parameter.getParameterAnnotation(
                org.springframework.web.bind.annotation.RequestParam.class);
        if (requestParam != null && !requestParam.name().isEmpty()) {
            return requestParam.name();
        }
        var header = parameter.getParameterAnnotation(
                org.springframework.web.bind.annotation.RequestHeader.class);
        if (header != null && !header.name().isEmpty()) {
            return header.name();
        }
        String name = parameter.getParameterName();
        return name == null ? "" : JsonNames.snakeCase(name);
    }

    private static String path(WebRequest request) {
        return request instanceof ServletWebRequest s ? s.getRequest().getRequestURI() : request.getDescription(false);
    }

    static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
        return cause(ex, type) != null;
    }

    static <T extends Throwable> @Nullable T cause(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** Bean Validation constraint names as stable UPPER_SNAKE codes. */
    static final class ConstraintCodes {
        private ConstraintCodes() {}

        static String of(String constraint) {
            return switch (constraint) {
                case "NotNull", "NotBlank", "NotEmpty" -> "REQUIRED";
                case "Size", "Length" -> "INVALID_LENGTH";
                case "Pattern" -> "INVALID_FORMAT";
                case "Email" -> "INVALID_EMAIL";
                case "Min", "Max", "DecimalMin", "DecimalMax", "Positive", "PositiveOrZero" -> "OUT_OF_RANGE";
                default -> JsonNames.snakeCase(constraint).toUpperCase(Locale.ROOT);
            };
        }
    }
}
