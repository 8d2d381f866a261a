// The built package against a stub HTTP server (no real server needed): its error types.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test as nodeTest } from 'node:test';
import { FetchError, NetworkError, ResponseError, createClient, isNetworkError, problemOf } from '@todo-api/client';

/** node:test's `test`, with a time limit. */
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

