package dev.todoapi.sdk;

import java.io.IOException;
import java.net.URI;

/**
 * The server could not be reached: connection refused, unknown host, TLS failure, connect or request
 * timeout ({@link java.net.http.HttpTimeoutException} as the cause), or the connection broke before a
 * response came. No response was received, so a write may or may not have happened: retry creates with
 * the same {@code Idempotency-Key}.
 */
public final class TodoConnectionException extends TodoException {

    private static final long serialVersionUID = 1L;

    private final String method;
    private final URI uri;

    /**
     * @param method the request's HTTP method
     * @param uri    the request's URL
     * @param cause  what went wrong on the way
     */
    public TodoConnectionException(String method, URI uri, IOException cause) {
        super("Could not reach the Todo API: " + method + " " + uri + " failed ("
                + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": " + cause.getMessage())
                + ")", cause);
        this.method = method;
        this.uri = uri;
    }

    /** @return the HTTP method of the request that failed */
    public String method() {
        return method;
    }

    /** @return the URL of the request that failed */
    public URI uri() {
        return uri;
    }

    @Override
    public synchronized IOException getCause() {
        return (IOException) super.getCause();
    }
}
