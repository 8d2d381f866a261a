import {
    AuthApi,
    CompatibilityApi,
    Configuration,
    type ConfigurationParameters,
    type FetchParams,
    ListsApi,
    MetaApi,
    type Middleware,
    SyncApi,
    TagsApi,
    TasksApi,
    type User,
    WebhooksApi,
} from './generated/index.js';
import { NetworkError } from './errors.js';
import { type Session, SessionKeeper } from './session.js';

/** The settings of {@link createClient}: the generated `ConfigurationParameters` plus a few of its own. */
export interface ClientOptions extends ConfigurationParameters {
    /**
     * Refresh the session's access token when it expires within this many seconds (default 30, as the Java
     * SDK). Measured on `clock` from when the token arrived plus its `expires_in`.
     */
    refreshBeforeExpirySeconds?: number;
    /**
     * Abort a request that has not been answered after this many milliseconds: it then throws a
     * {@link NetworkError} with `reason: 'timeout'`. A token refresh is a request of its own; the retry after
     * `401 TOKEN_EXPIRED` shares the deadline of the request it repeats. Default: no limit.
     */
    timeoutMs?: number;
    /**
     * Called with the new session after every sign-in and refresh, and with `undefined` when it ends (logout,
     * refused refresh): where a script keeps its rotated refresh token.
     */
    onSessionChange?: (session: Session | undefined) => void;
    /** Milliseconds since the epoch, like `Date.now` (the default); tests pass their own. */
    clock?: () => number;
}

/**
 * One instance of every API of the contract over one configuration, plus the session of the signed-in user.
 *
 * `register`, `login`, `refresh` and `logout` manage the session; the API objects then send its access token
 * by themselves, refresh it shortly before it expires and, when a call gets `401 TOKEN_EXPIRED`, refresh once
 * and send the call again once. Refreshes are single-flight: concurrent calls share one, so a rotated refresh
 * token is never presented twice. The generated `auth.login` / `auth.register` / `auth.refresh` /
 * `auth.logout` do not touch the session.
 */
export interface TodoClient {
    readonly configuration: Configuration;
    readonly auth: AuthApi;
    readonly tasks: TasksApi;
    readonly lists: ListsApi;
    readonly tags: TagsApi;
    /** The change feed (`GET /api/v1/sync`): a full snapshot, then every change since a token. */
    readonly sync: SyncApi;
    /** Webhook endpoints (`/api/v1/webhooks`): secret shown once, rotation, test events, the delivery log. */
    readonly webhooks: WebhooksApi;
    readonly meta: MetaApi;
    readonly compatibility: CompatibilityApi;

    /** Creates an account and signs in as it (`POST /api/v1/auth/register`), replacing any current session. */
    register(email: string, password: string, name?: string): Promise<User>;
    /** Signs in (`POST /api/v1/auth/login`), replacing any current session. */
    login(email: string, password: string): Promise<User>;
    /**
     * Refreshes the session now. With `refreshToken`, starts a session from it (a script's token kept from an
     * earlier run). Without, uses the session's refresh token, or else the browser's refresh cookie: how a
     * page resumes its session after a reload. Resolves to the new session (`undefined` if signed out
     * meanwhile); a refused refresh throws its `ResponseError` (401) and leaves the client signed out.
     */
    refresh(refreshToken?: string): Promise<Session | undefined>;
    /**
     * Signs out (`POST /api/v1/auth/logout`, with the refresh token, or the cookie in a browser): the server
     * revokes the session. The client forgets it first, so it is signed out locally even if the call fails.
     */
    logout(): Promise<void>;
    /** The current session, `undefined` when signed out. */
    readonly session: Session | undefined;
    /** Whether the client holds a session (the server may still have revoked it). */
    readonly signedIn: boolean;
}

/**
 * A client of the API at `basePath` (for example `http://localhost:8080`).
 *
 * Sign in with `client.login(...)` (or `register`) and the client keeps and refreshes the tokens. An
 * `accessToken` given here is sent only while the client holds no session of its own: the way to use a token
 * managed elsewhere. Browsers pass `credentials: 'include'`, so that the `HttpOnly` refresh cookie is kept and
 * sent (cross-origin).
 *
 * Errors: an error response throws the generated `ResponseError` (`problemOf(error)` reads its problem
 * details); a call that gets no response at all throws {@link NetworkError}.
 */
export function createClient(options: ClientOptions = {}): TodoClient {
    const { refreshBeforeExpirySeconds = 30, timeoutMs, onSessionChange, clock = Date.now, ...parameters } = options;
    if (!(Number.isFinite(refreshBeforeExpirySeconds) && refreshBeforeExpirySeconds >= 0)) {
        throw new RangeError(`refreshBeforeExpirySeconds must be a number >= 0, not ${refreshBeforeExpirySeconds}`);
    }
    if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
        throw new RangeError(`timeoutMs must be a number > 0, not ${timeoutMs}`);
    }

    const fallbackToken = new Configuration(parameters).accessToken;
    const fetchOnce = async (url: string, init: RequestInit): Promise<Response> => {
        try {
            return await (parameters.fetchApi ?? fetch)(url, init);
        } catch (error) {
            throw error instanceof NetworkError ? error : new NetworkError(url, init.method ?? 'GET', error);
        }
    };

    // Set right below; the configuration's callbacks only run once a call is made.
    let keeper!: SessionKeeper;

    /** First of all middleware: a call that carried the session's token and got 401 TOKEN_EXPIRED. */
    const retryExpired: Middleware = {
        async post({ url, init, response }) {
            if (response.status !== 401 || !keeper.current) return undefined;
            const headers = new Headers(init.headers);
            const rejected = /^Bearer (.+)$/i.exec(headers.get('Authorization') ?? '')?.[1];
            if (!rejected || (await problemCode(response)) !== 'TOKEN_EXPIRED') return undefined;
            const fresh = await keeper.accessTokenAfterExpired(rejected);
            if (!fresh || fresh === rejected) return undefined;
            headers.set('Authorization', `Bearer ${fresh}`);
            return fetchOnce(url, { ...init, headers });
        },
    };

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
        accessToken: async (name?: string, scopes?: string[]) =>
            (await keeper.accessTokenForRequest()) ?? (fallbackToken ? await fallbackToken(name, scopes) : ''),
        middleware: [retryExpired, ...(parameters.middleware ?? []), transport],
    });
    const auth = new AuthApi(configuration);
    keeper = new SessionKeeper(clock, refreshBeforeExpirySeconds * 1000,
        (refreshToken) => auth.refresh({ refreshRequest: { refreshToken } }), onSessionChange);

    return {
        configuration,
        auth,
        tasks: new TasksApi(configuration),
        lists: new ListsApi(configuration),
        tags: new TagsApi(configuration),
        sync: new SyncApi(configuration),
        webhooks: new WebhooksApi(configuration),
        meta: new MetaApi(configuration),
        compatibility: new CompatibilityApi(configuration),

        async register(email, password, name) {
            return keeper.start(await auth.register({ registerRequest: { email, password, name } })).user;
        },
        async login(email, password) {
            return keeper.start(await auth.login({ loginRequest: { email, password } })).user;
        },
        refresh(refreshToken) {
            return keeper.resume(refreshToken);
        },
        async logout() {
            const previous = await keeper.end();
            await auth.logout({ refreshRequest: { refreshToken: previous?.refreshToken } });
        },
        get session() {
            return keeper.current;
        },
        get signedIn() {
            return keeper.current !== undefined;
        },
    };
}

/** The `code` of a problem+json response (read from this copy of it), if it is one. */
async function problemCode(response: Response): Promise<string | undefined> {
    if (!/[/+]json\b/i.test(response.headers.get('Content-Type') ?? '')) return undefined;
    try {
        const body: unknown = await response.json();
        return typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'string'
            ? (body as { code: string }).code
            : undefined;
    } catch {
        return undefined;
    }
}
