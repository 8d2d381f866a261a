import {
    AuthApi,
    CompatibilityApi,
    Configuration,
    type ConfigurationParameters,
    type FetchParams,
    MetaApi,
    type Middleware,
    TagsApi,
    TasksApi,
} from './generated/index.js';
import { NetworkError } from './errors.js';

/** The settings of {@link createClient}: the generated `ConfigurationParameters` plus a few of its own. */
export interface ClientOptions extends ConfigurationParameters {
    /**
     * Abort a call that has not been answered after this many milliseconds: it then throws a {@link NetworkError} with `reason: 'timeout'`. Default: no limit.
     */
    timeoutMs?: number;
}

/** One instance of every API of the contract, sharing one configuration. */
export interface TodoClient {
    readonly configuration: Configuration;
    readonly auth: AuthApi;
    readonly tasks: TasksApi;
    readonly tags: TagsApi;
    readonly meta: MetaApi;
    readonly compatibility: CompatibilityApi;
}

/**
 * A client of the API at `basePath` (for example `http://localhost:8080`). Give `accessToken` as a function
 * to send the current token of a session that refreshes it; browsers that want the refresh cookie pass
 * `credentials: 'include'`.
 *
 * Errors: an error response throws the generated `ResponseError` (`problemOf(error)` reads its problem
 * details); a call that gets no response at all throws {@link NetworkError}.
 */
export function createClient(options: ClientOptions = {}): TodoClient {
    const { timeoutMs, ...parameters } = options;
    if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
        throw new RangeError(`timeoutMs must be a number > 0, not ${timeoutMs}`);
    }

    /** Last of all middleware: the time limit, and a failed fetch as a NetworkError. */
    const transport: Middleware = {
        async pre({ url, init }): Promise<FetchParams | void> {
            if (timeoutMs === undefined) return undefined;
            const timeout = AbortSignal.timeout(timeoutMs);
            const signal = !init.signal ? timeout
                : typeof AbortSignal.any === 'function' ? AbortSignal.any([init.signal, timeout]) : init.signal;
            return { url, init: { ...init, signal } };
        },
        async onError({ url, init, error, response }) {
            if (response !== undefined) return undefined; // another middleware answered instead
            throw error instanceof NetworkError ? error : new NetworkError(url, init.method ?? 'GET', error);
        },
    };

    const configuration = new Configuration({
        ...parameters,
        middleware: [...(parameters.middleware ?? []), transport],
    });
    return {
        configuration,
        auth: new AuthApi(configuration),
        tasks: new TasksApi(configuration),
        tags: new TagsApi(configuration),
        meta: new MetaApi(configuration),
        compatibility: new CompatibilityApi(configuration),
    };
}
