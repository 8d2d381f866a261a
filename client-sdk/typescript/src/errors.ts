import { FetchError } from './generated/index.js';

/** Why a request got no response: see {@link NetworkError.reason}. */
export type NetworkFailure = 'network' | 'timeout' | 'aborted';

/**
 * A request that got no HTTP response at all: connection refused or reset, DNS failure, TLS failure, CORS
 * refusal in a browser, a `timeoutMs` that ran out, or an `AbortSignal` that fired. Nothing is known about
 * whether the server acted on it. Every call of a client made by `createClient` throws this instead of the
 * generated `FetchError` (which it extends, so `instanceof FetchError` still holds).
 *
 * The server's answers, error statuses included, are never a `NetworkError`: those are `ResponseError`s,
 * whose problem details `problemOf(error)` reads.
 */
export class NetworkError extends FetchError {
    /** The URL the request went to (with its query string). */
    readonly url: string;
    /** The HTTP method of the request. */
    readonly method: string;
    /**
     * `timeout`: the client's `timeoutMs` (or another `AbortSignal.timeout`) ran out; `aborted`: the caller's
     * `AbortSignal` fired; `network`: anything else (refused connection, DNS, TLS, CORS, reset).
     */
    readonly reason: NetworkFailure;

    constructor(url: string, method: string, cause: unknown) {
        const error = cause instanceof Error ? cause : new Error(String(cause));
        const reason = failureOf(error);
        super(error, `${method} ${url} failed (${reason}): ${describe(error)}`);
        (this as { name: string }).name = 'NetworkError';
        this.url = url;
        this.method = method;
        this.reason = reason;
    }
}

/** Whether `error` is a {@link NetworkError} (a request that got no response). */
export function isNetworkError(error: unknown): error is NetworkError {
    return error instanceof NetworkError;
}

function failureOf(error: Error): NetworkFailure {
    if (error.name === 'TimeoutError') return 'timeout';
    if (error.name === 'AbortError') {
        // An AbortSignal.any() over a timeout reports the timeout as its reason.
        const reason = (error as { cause?: unknown }).cause;
        return reason instanceof Error && reason.name === 'TimeoutError' ? 'timeout' : 'aborted';
    }
    return 'network';
}

/** The most telling message: Node's fetch says "fetch failed" and puts the reason (ECONNREFUSED ...) in `cause`. */
function describe(error: Error): string {
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message) {
        const code = (cause as { code?: unknown }).code;
        return typeof code === 'string' && !cause.message.includes(code) ? `${code} ${cause.message}` : cause.message;
    }
    return error.message || error.name;
}
