import { type AuthResponse, ResponseError, type User } from './generated/index.js';

/**
 * The signed-in session of a client, as `client.session` and `onSessionChange` show it. Immutable: every
 * refresh makes a new one.
 */
export interface Session {
    /** The access token (a JWT) sent as `Authorization: Bearer`. */
    readonly accessToken: string;
    /**
     * The refresh token, for clients that send no `Origin` header (Node.js, scripts). `undefined` in
     * browsers, which get it only as the `HttpOnly` `refresh_token` cookie; the client then refreshes with
     * that cookie (`credentials: 'include'`).
     */
    readonly refreshToken?: string;
    /** When the access token expires, on the client's clock (when it arrived plus `expires_in`). */
    readonly expiresAt: Date;
    /** The signed-in user, as of the sign-in or the last refresh. */
    readonly user: User;
}

/** Trades the refresh token (or, with `undefined`, the cookie) for new tokens: POST /api/v1/auth/refresh. */
export type Refresher = (refreshToken: string | undefined) => Promise<AuthResponse>;

/**
 * Keeps a client's session and is the one place that refreshes it (the TypeScript counterpart of the Java
 * SDK's Tokens).
 *
 * Refresh tokens rotate, and the server revokes the whole session when a rotated one is presented again, so
 * refreshes are single-flight: while one is under way, every caller that wants one waits for it and gets its
 * result; and a caller whose token has been replaced meanwhile takes the new one rather than refreshing again.
 */
export class SessionKeeper {
    #session: Session | undefined;
    #refreshing: { from: Session | undefined; refreshToken: string | undefined; promise: Promise<Session | undefined> } | undefined;

    constructor(
        private readonly clock: () => number,
        private readonly marginMs: number,
        private readonly refresher: Refresher,
        private readonly onChange: (session: Session | undefined) => void = () => {},
    ) {}

    get current(): Session | undefined {
        return this.#session;
    }

    /** The session of a sign-in (or refresh) response, which replaces any current one. */
    start(response: AuthResponse): Session {
        const session = this.#sessionOf(response);
        this.#set(session);
        return session;
    }

    /** Forgets the session, once a refresh under way has finished (so the rotated token is the one returned). */
    async end(): Promise<Session | undefined> {
        while (this.#refreshing) {
            await this.#refreshing.promise.catch(() => undefined);
        }
        const previous = this.#session;
        this.#set(undefined);
        return previous;
    }

    /** Whether `session`'s access token expires within the margin of now (or has expired). */
    dueForRefresh(session: Session): boolean {
        return this.clock() + this.marginMs >= session.expiresAt.getTime();
    }

    /**
     * The access token to send now, refreshed first when it is about to expire; `undefined` when signed out.
     * A refresh that fails while the current token is still valid is not fatal: the request goes out with the
     * current token (and the next request tries again). A refresh the server refuses (401) ends the session
     * and is thrown.
     */
    async accessTokenForRequest(): Promise<string | undefined> {
        const seen = this.#session;
        if (!seen || !this.dueForRefresh(seen)) {
            return seen?.accessToken;
        }
        try {
            return (await this.refreshUnlessChanged(seen.accessToken))?.accessToken;
        } catch (error) {
            if (!refused(error) && this.clock() < seen.expiresAt.getTime()) {
                return seen.accessToken;
            }
            throw error;
        }
    }

    /**
     * The token to send again with after `rejectedToken` got 401 TOKEN_EXPIRED: the one a refresh got
     * meanwhile, else a freshly refreshed one; `undefined` when there is no session to refresh.
     */
    async accessTokenAfterExpired(rejectedToken: string): Promise<string | undefined> {
        return (await this.refreshUnlessChanged(rejectedToken))?.accessToken;
    }

    /**
     * Refreshes the session, unless its access token is no longer `staleAccessToken` (signed out, signed in
     * again, or refreshed by another call): then the current session. Joins a refresh already under way.
     */
    refreshUnlessChanged(staleAccessToken: string | undefined): Promise<Session | undefined> {
        const current = this.#session;
        if (!current || (staleAccessToken !== undefined && current.accessToken !== staleAccessToken)) {
            return Promise.resolve(current);
        }
        return this.refreshFrom(current, current.refreshToken);
    }

    /**
     * A new session from `refreshToken` (Node.js: one kept from an earlier run), or without one from the
     * session's own refresh token or else the cookie (a browser resuming after a page reload).
     */
    async resume(refreshToken?: string): Promise<Session | undefined> {
        if (refreshToken === undefined) {
            const current = this.#session;
            return this.refreshFrom(current, current?.refreshToken);
        }
        while (this.#refreshing) {
            await this.#refreshing.promise.catch(() => undefined);
        }
        return this.refreshFrom(this.#session, refreshToken);
    }

    /**
     * Trades `refreshToken` (the cookie when `undefined`) for a new session that replaces `from` (`undefined`:
     * none yet). Single-flight: joins a refresh under way from the same session with the same token.
     */
    refreshFrom(from: Session | undefined, refreshToken: string | undefined): Promise<Session | undefined> {
        const under = this.#refreshing;
        if (under && under.from === from && under.refreshToken === refreshToken) {
            return under.promise;
        }
        const promise = this.#refresh(from, refreshToken);
        const flight = { from, refreshToken, promise };
        this.#refreshing = flight;
        const done = () => {
            if (this.#refreshing === flight) this.#refreshing = undefined;
        };
        promise.then(done, done);
        return promise;
    }

    async #refresh(from: Session | undefined, refreshToken: string | undefined): Promise<Session | undefined> {
        let response: AuthResponse;
        try {
            response = await this.refresher(refreshToken);
        } catch (error) {
            if (refused(error) && this.#session === from) {
                this.#set(undefined); // refresh token expired, reused or revoked: the session is over
            }
            throw error;
        }
        if (this.#session !== from) {
            return this.#session; // signed out or in again meanwhile: that wins
        }
        return this.start(response);
    }

    #sessionOf(response: AuthResponse): Session {
        return Object.freeze({
            accessToken: response.accessToken,
            refreshToken: response.refreshToken ?? undefined,
            expiresAt: new Date(this.clock() + response.expiresIn * 1000),
            user: response.user,
        });
    }

    #set(session: Session | undefined): void {
        const changed = this.#session !== session;
        this.#session = session;
        if (changed) {
            this.onChange(session);
        }
    }
}

/** Whether `error` is the server refusing a refresh token (401), as opposed to not reaching it. */
function refused(error: unknown): boolean {
    return error instanceof ResponseError && error.response.status === 401;
}
