// The built package against a stub HTTP server (no real server needed): its error types, and its session (token
// refresh) against a stub that plays the Todo API's auth rules, like the Java SDK's TodoClientTest. No sleeps:
// time is an injected clock, and concurrency is made certain by holding the stub's refresh answer until every
// call has been seen.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test as nodeTest } from 'node:test';
import { FetchError, NetworkError, ResponseError, createClient, isNetworkError, problemOf } from '@todo-api/client';

/** node:test's `test`, with a time limit: a broken single-flight would otherwise wait on a latch forever. */
function test(name, fn) {
    return nodeTest(name, { timeout: 10_000 }, fn);
}

/** The error that `promise` rejects with. */
async function rejection(promise) {
    return promise.then((value) => assert.fail(`expected a failure, got ${JSON.stringify(value)}`), (e) => e);
}

/** A problem+json reply of the stub. */
function problem(status, code) {
    return {
        status,
        headers: { 'Content-Type': 'application/problem+json', 'X-Request-Id': `req-${code}` },
        body: JSON.stringify({ type: 'about:blank', title: 't', status, code, detail: `d-${code}`, request_id: `req-${code}` }),
    };
}

/**
 * An HTTP server on a free port, closed when test `t` ends, answering "METHOD /path" from `stub.routes`
 * (404 NOT_FOUND otherwise) and recording every request in `stub.seen`. A route returns a reply
 * `{status, headers, body}` (or a promise of one), or `undefined` when it answers (or never does) by itself.
 */
async function startStub(t) {
    const stub = {
        seen: [],
        routes: new Map(),
        calls() {
            return stub.seen.map((s) => `${s.method} ${s.path}${s.authorization ? ` ${s.authorization}` : ''}`);
        },
    };
    const server = createServer(async (req, res) => {
        const chunks = [];
        for await (const chunk of req) chunks.push(chunk);
        const request = {
            method: req.method,
            path: new URL(req.url, 'http://stub').pathname,
            authorization: req.headers.authorization,
            origin: req.headers.origin,
            cookie: req.headers.cookie,
            contentType: req.headers['content-type'],
            body: Buffer.concat(chunks).toString('utf8'),
        };
        stub.seen.push(request);
        const route = stub.routes.get(`${request.method} ${request.path}`);
        const reply = route ? await route(request, req, res) : problem(404, 'NOT_FOUND');
        if (reply === undefined) return;
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    stub.baseUrl = `http://127.0.0.1:${server.address().port}`;
    t.after(() => {
        server.closeAllConnections();
        return new Promise((resolve) => server.close(resolve));
    });
    return stub;
}

// ---- Network failures and error responses ----------------------------------------------------------------

test('a closed port is a NetworkError with the URL and the cause, not a ResponseError', async () => {
    const closed = createServer();
    await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = closed.address().port;
    await new Promise((resolve) => closed.close(resolve));
    const api = createClient({ basePath: `http://127.0.0.1:${port}` });

    const error = await rejection(api.tasks.listTasks({ status: 'pending' }));

    assert.ok(error instanceof NetworkError, `a NetworkError, not ${error}`);
    assert.ok(isNetworkError(error));
    assert.ok(error instanceof FetchError, 'still the generated FetchError');
    assert.ok(!(error instanceof ResponseError));
    assert.equal(error.name, 'NetworkError');
    assert.equal(error.reason, 'network');
    assert.equal(error.method, 'GET');
    assert.equal(error.url, `http://127.0.0.1:${port}/api/v1/tasks?status=pending`);
    assert.ok(error.cause instanceof Error);
    assert.match(error.message, /ECONNREFUSED/);
    assert.equal(await problemOf(error), undefined);
});

test('a call unanswered after timeoutMs is a NetworkError with reason timeout', async (t) => {
    const stub = await startStub(t);
    stub.routes.set('GET /health', () => new Promise(() => {})); // never answers
    const api = createClient({ basePath: stub.baseUrl, timeoutMs: 50 });

    const error = await rejection(api.meta.getHealth());

    assert.ok(isNetworkError(error), `a NetworkError, not ${error}`);
    assert.equal(error.reason, 'timeout');
    assert.equal(error.url, `${stub.baseUrl}/health`);
});

test('an aborted call is a NetworkError with reason aborted', async (t) => {
    const stub = await startStub(t);
    const controller = new AbortController();
    controller.abort();
    const api = createClient({ basePath: stub.baseUrl, timeoutMs: 60_000 });

    const error = await rejection(api.meta.getHealth({ signal: controller.signal }));

    assert.ok(isNetworkError(error), `a NetworkError, not ${error}`);
    assert.equal(error.reason, 'aborted');
});

test('an error response is a ResponseError with its problem, never a NetworkError', async (t) => {
    const stub = await startStub(t);
    const api = createClient({ basePath: stub.baseUrl });

    const error = await rejection(api.tasks.getTask({ taskId: '0b3f6d1e-6c2a-4f0e-9d7b-2a1c3e4f5a6b' }));

    assert.ok(error instanceof ResponseError);
    assert.ok(!isNetworkError(error));
    const problem = await problemOf(error);
    assert.equal(problem.status, 404);
    assert.equal(problem.code, 'NOT_FOUND');
    assert.equal(problem.requestId, 'req-NOT_FOUND');
});

// ---- The session: token refresh --------------------------------------------------------------------------

const USER = { id: '5b0c6a2e-3f4d-4b8e-9a51-6c1d2e3f4a5b', email: 'ada@example.com', name: 'Ada', created_at: '2026-11-23T10:15:30Z' };
const T0 = Date.parse('2026-01-01T00:00:00Z');

/**
 * A stub of the API's auth endpoints (and GET /api/v1/auth/me). Access tokens "a<n>" are valid, "expired-a<n>"
 * (issued while `expireIssued`) get 401 TOKEN_EXPIRED; refresh tokens "r<n>" rotate, and presenting a rotated
 * one again revokes everything (REFRESH_TOKEN_REUSED). A request with an Origin header is a browser's: its
 * refresh token travels only as the refresh_token cookie.
 */
async function startAuthStub(t) {
    const stub = Object.assign(await startStub(t), {
        validAccess: new Set(),
        liveRefresh: new Set(),
        usedRefresh: new Set(),
        generation: 1,
        refreshCalls: 0,
        expiresIn: 900,
        expireIssued: false,
        /** Awaited before POST /auth/refresh is answered: a test holds the answer with it. */
        beforeRefreshAnswer: async () => {},
    });
    const signedIn = (status, request) => {
        const n = stub.generation++;
        const access = `${stub.expireIssued ? 'expired-a' : 'a'}${n}`;
        const refresh = `r${n}`;
        stub.validAccess.add(access);
        stub.liveRefresh.add(refresh);
        const browser = request.origin !== undefined;
        return {
            status,
            headers: {
                'Content-Type': 'application/json',
                ...(browser ? { 'Set-Cookie': `refresh_token=${refresh}; Path=/api/v1/auth; HttpOnly; SameSite=Strict` } : {}),
            },
            body: JSON.stringify({
                user: USER, access_token: access, token_type: 'Bearer', expires_in: stub.expiresIn,
                ...(browser ? {} : { refresh_token: refresh, refresh_expires_in: 604800 }),
            }),
        };
    };

    stub.routes.set('POST /api/v1/auth/login', (request) => signedIn(200, request));
    stub.routes.set('POST /api/v1/auth/register', (request) => signedIn(201, request));
    stub.routes.set('POST /api/v1/auth/refresh', async (request) => {
        stub.refreshCalls++;
        await stub.beforeRefreshAnswer(request);
        const token = JSON.parse(request.body || '{}').refresh_token ?? /(?:^|;\s*)refresh_token=([^;]+)/.exec(request.cookie ?? '')?.[1];
        if (!token) return problem(401, 'MISSING_REFRESH_TOKEN');
        if (stub.usedRefresh.has(token)) {
            stub.liveRefresh.clear();
            stub.validAccess.clear();
            return problem(401, 'REFRESH_TOKEN_REUSED');
        }
        if (!stub.liveRefresh.delete(token)) return problem(401, 'REFRESH_TOKEN_EXPIRED');
        stub.usedRefresh.add(token);
        return signedIn(200, request);
    });
    stub.routes.set('POST /api/v1/auth/logout', () => ({ status: 204, headers: {}, body: '' }));
    stub.routes.set('GET /api/v1/auth/me', (request) => {
        if (!request.authorization) return problem(401, 'MISSING_TOKEN');
        const token = request.authorization.slice('Bearer '.length);
        if (token.startsWith('expired-')) return problem(401, 'TOKEN_EXPIRED');
        return stub.validAccess.has(token)
            ? { status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(USER) }
            : problem(401, 'INVALID_TOKEN');
    });
    return stub;
}

/** A clock the test moves. */
function manualClock(start = T0) {
    let now = start;
    const clock = () => now;
    clock.advance = (seconds) => { now += seconds * 1000; };
    return clock;
}

/** A promise and its resolve function. */
function latch() {
    let open;
    const promise = new Promise((resolve) => { open = resolve; });
    return { promise, open };
}

test('login keeps the session and sends its bearer token only where one belongs', async (t) => {
    const stub = await startAuthStub(t);
    const api = createClient({ basePath: stub.baseUrl });
    assert.equal(api.signedIn, false);

    const user = await api.login('ada@example.com', 'correct horse battery staple');
    const me = await api.auth.getMe();

    assert.equal(user.email, 'ada@example.com');
    assert.equal(me.id, user.id);
    assert.equal(api.signedIn, true);
    assert.equal(api.session.accessToken, 'a1');
    assert.equal(api.session.refreshToken, 'r1');
    assert.deepEqual(stub.calls(), ['POST /api/v1/auth/login', 'GET /api/v1/auth/me Bearer a1']);
    assert.deepEqual(JSON.parse(stub.seen[0].body), { email: 'ada@example.com', password: 'correct horse battery staple' });
});

test('a call that gets 401 TOKEN_EXPIRED is refreshed and sent again once', async (t) => {
    const stub = await startAuthStub(t);
    const api = createClient({ basePath: stub.baseUrl });
    stub.expireIssued = true; // the server deems the first access token expired (e.g. the client's clock is behind)
    await api.login('ada@example.com', 'pw');
    stub.expireIssued = false;

    const me = await api.auth.getMe();

    assert.equal(me.email, 'ada@example.com');
    assert.deepEqual(stub.calls(), ['POST /api/v1/auth/login', 'GET /api/v1/auth/me Bearer expired-a1',
        'POST /api/v1/auth/refresh', 'GET /api/v1/auth/me Bearer a2']);
    assert.equal(stub.seen[2].body, '{"refresh_token":"r1"}');
    assert.match(stub.seen[2].contentType, /^application\/json/);
    assert.equal(api.session.accessToken, 'a2');
});

test('a call is refreshed and retried only once: a second TOKEN_EXPIRED is thrown', async (t) => {
    const stub = await startAuthStub(t);
    const api = createClient({ basePath: stub.baseUrl });
    stub.expireIssued = true; // and every token issued after it, too

    await api.login('ada@example.com', 'pw');
    const error = await rejection(api.auth.getMe());

    assert.ok(error instanceof ResponseError);
    assert.equal((await problemOf(error)).code, 'TOKEN_EXPIRED');
    assert.deepEqual(stub.calls(), ['POST /api/v1/auth/login', 'GET /api/v1/auth/me Bearer expired-a1',
        'POST /api/v1/auth/refresh', 'GET /api/v1/auth/me Bearer expired-a2']);
});

test('the access token is refreshed 30 s before it expires, measured from when it arrived', async (t) => {
    const stub = await startAuthStub(t);
    const clock = manualClock();
    const api = createClient({ basePath: stub.baseUrl, clock });
    await api.login('ada@example.com', 'pw'); // expires_in 900
    assert.equal(api.session.expiresAt.getTime(), T0 + 900_000);

    clock.advance(869);
    await api.auth.getMe();
    assert.equal(stub.refreshCalls, 0, 'not yet: 31 s left');
    clock.advance(1);
    await api.auth.getMe();
    await api.auth.getMe();

    assert.deepEqual(stub.calls(), ['POST /api/v1/auth/login', 'GET /api/v1/auth/me Bearer a1',
        'POST /api/v1/auth/refresh', 'GET /api/v1/auth/me Bearer a2', 'GET /api/v1/auth/me Bearer a2']);
    assert.equal(api.session.expiresAt.getTime(), T0 + 870_000 + 900_000);
});

test('refreshBeforeExpirySeconds sets the margin; a token that expires within it is refreshed before the first call', async (t) => {
    const stub = await startAuthStub(t);
    stub.expiresIn = 100;
    const clock = manualClock();
    const api = createClient({ basePath: stub.baseUrl, clock, refreshBeforeExpirySeconds: 120 });
    await api.login('ada@example.com', 'pw');

    await api.auth.getMe();

    assert.deepEqual(stub.calls(), ['POST /api/v1/auth/login', 'POST /api/v1/auth/refresh', 'GET /api/v1/auth/me Bearer a2']);
    assert.throws(() => createClient({ refreshBeforeExpirySeconds: -1 }), RangeError);
    assert.throws(() => createClient({ timeoutMs: 0 }), RangeError);
});

test('concurrent calls with a token about to expire share one refresh', async (t) => {
    const stub = await startAuthStub(t);
    const clock = manualClock();
    const api = createClient({ basePath: stub.baseUrl, clock });
    await api.login('ada@example.com', 'pw');
    clock.advance(880);
    const refreshing = latch();
    const release = latch();
    stub.beforeRefreshAnswer = () => { refreshing.open(); return release.promise; };

    const calls = Array.from({ length: 10 }, () => api.auth.getMe());
    await refreshing.promise; // the refresh has reached the server; every call waits for its answer
    release.open();
    const users = await Promise.all(calls);

    assert.equal(users.length, 10);
    assert.equal(stub.refreshCalls, 1, 'the refresh token r1 is presented once only');
    const sent = stub.calls().filter((call) => call.startsWith('GET'));
    assert.deepEqual(sent, Array(10).fill('GET /api/v1/auth/me Bearer a2'));
});

test('concurrent calls that get 401 TOKEN_EXPIRED share one refresh', async (t) => {
    const stub = await startAuthStub(t);
    const api = createClient({ basePath: stub.baseUrl });
    stub.expireIssued = true;
    await api.login('ada@example.com', 'pw');
    stub.expireIssued = false;
    const N = 8;
    // Hold the refresh until all N calls have been answered 401, so that they all want one while it is under way.
    const allExpired = latch();
    const me = stub.routes.get('GET /api/v1/auth/me');
    let expiredAnswers = 0;
    stub.routes.set('GET /api/v1/auth/me', (request) => {
        const reply = me(request);
        if (reply.status === 401 && ++expiredAnswers === N) allExpired.open();
        return reply;
    });
    stub.beforeRefreshAnswer = () => allExpired.promise;

    const users = await Promise.all(Array.from({ length: N }, () => api.auth.getMe()));

    assert.equal(users.length, N);
    assert.equal(stub.refreshCalls, 1, 'the refresh token r1 is presented once only');
    const sent = stub.calls().filter((call) => call.startsWith('GET'));
    assert.deepEqual(sent.slice(0, N), Array(N).fill('GET /api/v1/auth/me Bearer expired-a1'));
    assert.deepEqual(sent.slice(N), Array(N).fill('GET /api/v1/auth/me Bearer a2'));
});

test('an invalid token is not refreshed but thrown', async (t) => {
    const stub = await startAuthStub(t);
    const api = createClient({ basePath: stub.baseUrl });
    await api.login('ada@example.com', 'pw');
    stub.validAccess.clear(); // the server no longer accepts it: INVALID_TOKEN

    const error = await rejection(api.auth.getMe());

    assert.equal((await problemOf(error)).code, 'INVALID_TOKEN');
    assert.equal(stub.refreshCalls, 0);
    assert.equal(api.signedIn, true);
});

test('a refused refresh ends the session and is thrown', async (t) => {
    const stub = await startAuthStub(t);
    const changes = [];
    const api = createClient({ basePath: stub.baseUrl, onSessionChange: (session) => changes.push(session?.accessToken) });
    stub.expireIssued = true;
    await api.login('ada@example.com', 'pw');
    stub.liveRefresh.clear(); // e.g. the password was changed elsewhere

    const error = await rejection(api.auth.getMe());

    assert.ok(error instanceof ResponseError);
    assert.equal((await problemOf(error)).code, 'REFRESH_TOKEN_EXPIRED');
    assert.equal(api.signedIn, false);
    assert.deepEqual(changes, ['expired-a1', undefined]);
    assert.deepEqual(stub.calls(), ['POST /api/v1/auth/login', 'GET /api/v1/auth/me Bearer expired-a1', 'POST /api/v1/auth/refresh']);
});

test('a refresh before expiry that cannot reach the server sends the still valid token', async (t) => {
    const stub = await startAuthStub(t);
    const clock = manualClock();
    const api = createClient({ basePath: stub.baseUrl, clock });
    await api.login('ada@example.com', 'pw');
    clock.advance(880); // 20 s left
    stub.routes.set('POST /api/v1/auth/refresh', (request, req, res) => { res.destroy(); });

    await api.auth.getMe();

    assert.deepEqual(stub.calls(), ['POST /api/v1/auth/login', 'POST /api/v1/auth/refresh', 'GET /api/v1/auth/me Bearer a1']);
    assert.equal(api.session.accessToken, 'a1');
});

test('logout revokes the refresh token and forgets the session', async (t) => {
    const stub = await startAuthStub(t);
    const api = createClient({ basePath: stub.baseUrl });
    await api.register('ada@example.com', 'pw123456');

    await api.logout();
    const error = await rejection(api.auth.getMe());

    assert.equal(api.signedIn, false);
    assert.equal((await problemOf(error)).code, 'MISSING_TOKEN');
    assert.deepEqual(stub.calls(), ['POST /api/v1/auth/register', 'POST /api/v1/auth/logout', 'GET /api/v1/auth/me']);
    assert.equal(stub.seen[1].body, '{"refresh_token":"r1"}');
    assert.deepEqual(JSON.parse(stub.seen[0].body), { email: 'ada@example.com', password: 'pw123456' }, 'no name: left out');
});

test('logout during a refresh waits for it and revokes the rotated token', async (t) => {
    const stub = await startAuthStub(t);
    const clock = manualClock();
    const api = createClient({ basePath: stub.baseUrl, clock });
    await api.login('ada@example.com', 'pw');
    clock.advance(880);
    const refreshing = latch();
    const release = latch();
    stub.beforeRefreshAnswer = () => { refreshing.open(); return release.promise; };

    const call = api.auth.getMe();
    await refreshing.promise;
    const loggedOut = api.logout();
    release.open();
    await Promise.all([call, loggedOut]);

    assert.equal(api.signedIn, false);
    // The call and the logout go out together once the refresh is answered, in either order.
    assert.deepEqual(stub.calls().slice(0, 2), ['POST /api/v1/auth/login', 'POST /api/v1/auth/refresh']);
    assert.deepEqual(stub.calls().slice(2).sort(), ['GET /api/v1/auth/me Bearer a2', 'POST /api/v1/auth/logout']);
    assert.equal(stub.seen.find((s) => s.path === '/api/v1/auth/logout').body, '{"refresh_token":"r2"}');
});

test('a failed sign-in is a ResponseError and leaves the client signed out', async (t) => {
    const stub = await startAuthStub(t);
    stub.routes.set('POST /api/v1/auth/login', () => ({
        status: 401, headers: { 'Content-Type': 'application/problem+json' },
        body: JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401, code: 'INVALID_CREDENTIALS' }),
    }));
    const api = createClient({ basePath: stub.baseUrl });

    const error = await rejection(api.login('ada@example.com', 'wrong'));

    assert.ok(error instanceof ResponseError);
    assert.equal((await problemOf(error)).code, 'INVALID_CREDENTIALS');
    assert.equal(api.signedIn, false);
    assert.equal(stub.refreshCalls, 0);
});

test('refresh(token) starts a session from a kept refresh token, and onSessionChange reports the rotated one', async (t) => {
    const stub = await startAuthStub(t);
    await createClient({ basePath: stub.baseUrl }).login('ada@example.com', 'pw'); // a1, r1: kept by "an earlier run"
    const kept = [];
    const api = createClient({ basePath: stub.baseUrl, onSessionChange: (session) => kept.push(session?.refreshToken) });

    const session = await api.refresh('r1');
    await api.auth.getMe();

    assert.equal(session.accessToken, 'a2');
    assert.equal(session.user.email, 'ada@example.com');
    assert.deepEqual(kept, ['r2']);
    assert.equal(stub.calls().at(-1), 'GET /api/v1/auth/me Bearer a2');
});

test('browsers: the refresh token stays in the cookie; refresh sends {} with credentials: include', async (t) => {
    const stub = await startAuthStub(t);
    // A browser as far as the stub can tell: an Origin header, and a cookie jar for credentials: 'include'.
    const jar = new Map();
    const credentials = [];
    const browserFetch = async (url, init) => {
        credentials.push(init.credentials);
        const headers = new Headers(init.headers);
        headers.set('Origin', 'http://localhost:5173');
        if (init.credentials === 'include' && jar.size) {
            headers.set('Cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
        }
        const response = await fetch(url, { ...init, headers });
        const cookie = /^([^=]+)=([^;]*)/.exec(response.headers.get('set-cookie') ?? '');
        if (cookie && init.credentials === 'include') jar.set(cookie[1], cookie[2]);
        return response;
    };
    const clock = manualClock();
    const api = createClient({ basePath: stub.baseUrl, credentials: 'include', fetchApi: browserFetch, clock });

    await api.login('ada@example.com', 'pw');
    assert.equal(api.session.refreshToken, undefined, 'not readable by scripts');
    clock.advance(880);
    await api.auth.getMe();

    // After a page reload: a new client, the same cookie.
    const reloaded = createClient({ basePath: stub.baseUrl, credentials: 'include', fetchApi: browserFetch, clock });
    await reloaded.refresh();
    await reloaded.auth.getMe();
    await reloaded.logout();

    assert.deepEqual(stub.calls(), ['POST /api/v1/auth/login', 'POST /api/v1/auth/refresh', 'GET /api/v1/auth/me Bearer a2',
        'POST /api/v1/auth/refresh', 'GET /api/v1/auth/me Bearer a3', 'POST /api/v1/auth/logout']);
    const refreshes = stub.seen.filter((s) => s.path === '/api/v1/auth/refresh');
    assert.deepEqual(refreshes.map((s) => [s.body, s.cookie]), [['{}', 'refresh_token=r1'], ['{}', 'refresh_token=r2']]);
    assert.equal(stub.seen.at(-1).body, '{}');
    assert.ok(credentials.every((c) => c === 'include'));
});

test('an accessToken given to createClient is sent while the client holds no session of its own', async (t) => {
    const stub = await startAuthStub(t);
    const { accessToken } = await createClient({ basePath: stub.baseUrl }).auth.login({ loginRequest: { email: 'ada@example.com', password: 'pw' } });
    const api = createClient({ basePath: stub.baseUrl, accessToken: async () => accessToken });

    await api.auth.getMe();
    await api.login('ada@example.com', 'pw');
    await api.auth.getMe();

    assert.deepEqual(stub.calls().slice(1), ['GET /api/v1/auth/me Bearer a1', 'POST /api/v1/auth/login', 'GET /api/v1/auth/me Bearer a2']);
});
