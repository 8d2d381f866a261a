package dev.todoapi.sdk;

/**
 * Every failure of a {@link TodoClient} call, whether the client's own methods or the generated API classes
 * it hands out: either the server answered with an error ({@link TodoApiException}: status, stable code,
 * field errors, request id) or it could not be reached at all ({@link TodoConnectionException}: the method
 * and URL, and the I/O error as the cause). Unchecked; catch this to handle both.
 *
 * <p>The generated methods declare {@code throws ApiException} (the generator's exception); through a
 * {@code TodoClient} they throw it only for a response body the client cannot read as the contract's JSON,
 * or when the calling thread is interrupted.
 */
public abstract sealed class TodoException extends RuntimeException permits TodoApiException, TodoConnectionException {

    private static final long serialVersionUID = 1L;

    TodoException(String message) {
        super(message);
    }

    TodoException(String message, Throwable cause) {
        super(message, cause);
    }
}
