// Drives the BUILT package (dist/, imported by its name as an app would) against a running server.
// The Maven build starts one and sets TODO_API_URL (server/pom.xml, profile "typescript"); by hand:
//   TODO_API_URL=http://localhost:8080 npm test     (a server with AUTH_RATE_LIMIT_PER_MINUTE raised)
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, it as nodeIt } from 'node:test';
import { NetworkError, ResponseError, createClient, problemOf } from '@todo-api/client';

const baseUrl = process.env.TODO_API_URL;
if (!baseUrl) {
    throw new Error('Set TODO_API_URL to the server to test, e.g. TODO_API_URL=http://localhost:8080 npm test');
}

const PASSWORD = 'correct horse battery staple';

/** A client whose requests carry `token()` as bearer token, if any. */
function client(token = () => undefined) {
    return createClient({ basePath: baseUrl, accessToken: async () => token() ?? '' });
}

/** The problem+json of the call that `promise` makes, which must fail with `status`. */
async function failure(promise, status) {
    const error = await promise.then(
        (value) => assert.fail(`expected HTTP ${status}, got a success: ${JSON.stringify(value)}`),
        (e) => e,
    );
    assert.ok(error instanceof ResponseError, `expected a ResponseError, got ${error}`);
    assert.equal(error.response.status, status);
    const problem = await problemOf(error);
    assert.ok(problem, 'the error response is problem+json');
    assert.equal(problem.status, status);
    return problem;
}

/** node:test's `it`, reporting an unexpected error response with its status, URL and problem+json body. */
function it(name, fn) {
    return nodeIt(name, async (t) => {
        try {
            await fn(t);
        } catch (e) {
            if (e instanceof ResponseError) {
                const body = await e.response.text().catch(() => '');
                throw new Error(`unexpected HTTP ${e.response.status} from ${e.response.url}: ${body}`, { cause: e });
            }
            throw e;
        }
    });
}

function newEmail() {
    return `ts-${randomUUID()}@example.com`;
}

describe('accounts', () => {
    const email = newEmail();
    let session;

    it('registers and gets a session', async () => {
        session = await client().auth.register({ registerRequest: { email, password: PASSWORD, name: 'Ada' } });
        assert.equal(session.user.email, email);
        assert.equal(session.user.name, 'Ada');
        assert.equal(session.tokenType, 'Bearer');
        assert.ok(session.accessToken.split('.').length === 3, 'a JWT');
        assert.ok(session.expiresIn > 0);
        assert.ok(session.user.createdAt instanceof Date && !Number.isNaN(session.user.createdAt.getTime()));
        // Node's fetch sends no Origin header, so the refresh token comes in the body too.
        assert.ok(session.refreshToken);
    });

    it('refuses a second account with the same email: 409 EMAIL_ALREADY_EXISTS', async () => {
        const problem = await failure(
            client().auth.register({ registerRequest: { email: email.toUpperCase(), password: PASSWORD } }), 409);
        assert.equal(problem.code, 'EMAIL_ALREADY_EXISTS');
    });

    it('logs in and reads the signed-in user', async () => {
        const login = await client().auth.login({ loginRequest: { email, password: PASSWORD } });
        const me = await client(() => login.accessToken).auth.getMe();
        assert.equal(me.id, session.user.id);
        assert.equal(me.email, email);
    });

    it('refuses a wrong password: 401 INVALID_CREDENTIALS', async () => {
        const problem = await failure(client().auth.login({ loginRequest: { email, password: 'not the password' } }), 401);
        assert.equal(problem.code, 'INVALID_CREDENTIALS');
    });

    it('answers 401 MISSING_TOKEN without a token and INVALID_TOKEN with a bad one', async () => {
        assert.equal((await failure(client().auth.getMe(), 401)).code, 'MISSING_TOKEN');
        assert.equal((await failure(client(() => 'not.a.jwt').auth.getMe(), 401)).code, 'INVALID_TOKEN');
    });

    it('refreshes (rotating the refresh token) and logs out', async () => {
        const api = client();
        const refreshed = await api.auth.refresh({ refreshRequest: { refreshToken: session.refreshToken } });
        assert.notEqual(refreshed.refreshToken, session.refreshToken);
        await api.auth.logout({ refreshRequest: { refreshToken: refreshed.refreshToken } });
        const problem = await failure(api.auth.refresh({ refreshRequest: { refreshToken: refreshed.refreshToken } }), 401);
        assert.match(problem.code, /^[A-Z_]+$/);
    });
});

describe('tasks', () => {
    let token;
    let api;

    before(async () => {
        const session = await client().auth.register({ registerRequest: { email: newEmail(), password: PASSWORD } });
        token = session.accessToken;
        api = client(() => token);
    });

    it('creates, lists with filters, toggles, edits and deletes tasks', async () => {
        const due = new Date('2030-05-01T09:30:00Z');
        const report = await api.tasks.createTask({
            taskCreate: { title: 'Write the report', description: 'Numbers first', priority: 'high', dueDate: due, tags: ['work'] },
        });
        assert.equal(report.title, 'Write the report');
        assert.equal(report.priority, 'high');
        assert.equal(report.completed, false);
        assert.equal(report.dueDate?.toISOString(), due.toISOString());
        assert.deepEqual(report.tags.map((t) => t.name), ['work']);
        assert.ok(report.createdAt instanceof Date);

        const milk = await api.tasks.createTask({ taskCreate: { title: 'Buy milk', tags: ['home'] } });
        assert.equal(milk.priority, 'medium', 'the default priority');
        await api.tasks.createTask({ taskCreate: { title: 'Call the bank', priority: 'low' } });

        const all = await api.tasks.listTasks({});
        assert.equal(all.items.length, 3);
        assert.deepEqual((await api.tasks.listTasks({ priority: 'high' })).items.map((t) => t.id), [report.id]);
        assert.deepEqual((await api.tasks.listTasks({ tag: 'HOME' })).items.map((t) => t.id), [milk.id]);
        assert.deepEqual((await api.tasks.listTasks({ q: 'milk' })).items.map((t) => t.id), [milk.id]);
        assert.deepEqual((await api.tasks.listTasks({ dueBefore: new Date('2031-01-01T00:00:00Z') })).items.map((t) => t.id), [report.id]);
        const byTitle = await api.tasks.listTasks({ sort: 'title', limit: 2 });
        assert.deepEqual(byTitle.items.map((t) => t.title), ['Buy milk', 'Call the bank']);
        assert.ok(byTitle.nextCursor, 'a second page');
        const rest = await api.tasks.listTasks({ sort: 'title', limit: 2, cursor: byTitle.nextCursor });
        assert.deepEqual(rest.items.map((t) => t.title), ['Write the report']);
        assert.equal(rest.nextCursor, undefined);

        const done = await api.tasks.toggleTaskCompletion({ taskId: milk.id });
        assert.equal(done.completed, true);
        assert.ok(done.completedAt instanceof Date);
        assert.deepEqual((await api.tasks.listTasks({ status: 'completed' })).items.map((t) => t.id), [milk.id]);
        assert.equal((await api.tasks.listTasks({ status: 'pending' })).items.length, 2);
        const undone = await api.tasks.toggleTaskCompletion({ taskId: milk.id });
        assert.equal(undone.completed, false);
        assert.equal(undone.completedAt, undefined);

        // JSON Merge Patch: null clears, absent fields stay.
        const edited = await api.tasks.updateTask({ taskId: report.id, taskPatch: { title: 'Write the Q3 report', description: null } });
        assert.equal(edited.title, 'Write the Q3 report');
        assert.equal(edited.description, undefined);
        assert.equal(edited.priority, 'high');
        assert.equal(edited.dueDate?.toISOString(), due.toISOString());

        const tags = await api.tags.listTags();
        assert.deepEqual(tags.items.map((t) => [t.name, t.openTaskCount]), [['home', 1], ['work', 1]]);

        await api.tasks.deleteTask({ taskId: report.id });
        const problem = await failure(api.tasks.getTask({ taskId: report.id }), 404);
        assert.equal(problem.code, 'TASK_NOT_FOUND');
        assert.equal((await api.tasks.listTasks({})).items.length, 2);
    });

    it('creates tags and refuses a duplicate name: 409', async () => {
        const tag = await api.tags.createTag({ tagCreate: { name: 'errands', color: '#3b82f6' } });
        assert.equal(tag.name, 'errands');
        assert.equal(tag.color, '#3b82f6');
        assert.equal(tag.openTaskCount, 0);
        await failure(api.tags.createTag({ tagCreate: { name: 'errands' } }), 409);
    });

    it('answers 404 TASK_NOT_FOUND for a task that does not exist', async () => {
        const problem = await failure(api.tasks.toggleTaskCompletion({ taskId: randomUUID() }), 404);
        assert.equal(problem.code, 'TASK_NOT_FOUND');
        assert.ok(problem.requestId);
    });

    it('answers 422 VALIDATION_FAILED with the offending field', async () => {
        const problem = await failure(api.tasks.createTask({ taskCreate: { title: 'x'.repeat(201) } }), 422);
        assert.equal(problem.code, 'VALIDATION_FAILED');
        assert.deepEqual(problem.errors?.map((e) => e.field), ['title']);
    });

    it('answers 401 without a token', async () => {
        assert.equal((await failure(client().tasks.listTasks({}), 401)).code, 'MISSING_TOKEN');
    });
});

describe('webhooks', () => {
    it('lists none, and refuses an endpoint on the cloud metadata address naming the url', async () => {
        const session = await client().auth.register({ registerRequest: { email: newEmail(), password: PASSWORD } });
        const api = client(() => session.accessToken);
        assert.deepEqual((await api.webhooks.listWebhooks()).items, []);
        // (Not loopback: the build's integration server allow-lists 127.0.0.1 for the webhook outage test's receiver.)
        const problem = await failure(api.webhooks.createWebhook({ webhookEndpointCreate: { url: 'https://169.254.169.254/latest' } }), 422);
        assert.equal(problem.code, 'WEBHOOK_URL_FORBIDDEN');
        assert.equal(problem.errors?.[0]?.field, 'url');
    });
});

describe('sessions (client.login / refresh / logout)', () => {
    /** A client that counts its calls of /auth/refresh, on `clock`. */
    function counting(clock) {
        const refreshes = [];
        const api = createClient({
            basePath: baseUrl,
            clock,
            fetchApi: (url, init) => {
                if (String(url).endsWith('/api/v1/auth/refresh')) refreshes.push(JSON.parse(init.body));
                return fetch(url, init);
            },
        });
        return { api, refreshes };
    }

    it('keeps the session of login and refreshes it 30 s before it expires', async () => {
        const email = newEmail();
        await client().auth.register({ registerRequest: { email, password: PASSWORD } });
        let now = Date.now();
        const { api, refreshes } = counting(() => now);

        const user = await api.login(email, PASSWORD);
        const first = api.session;
        assert.equal((await api.auth.getMe()).id, user.id);
        assert.equal(refreshes.length, 0);
        assert.ok(first.refreshToken, 'Node.js sends no Origin: the refresh token is in the body');

        now = first.expiresAt.getTime() - 29_000; // within the margin (the server still takes the token)
        assert.equal((await api.auth.getMe()).id, user.id);
        assert.deepEqual(refreshes, [{ refresh_token: first.refreshToken }]);
        assert.notEqual(api.session.accessToken, first.accessToken);
        assert.notEqual(api.session.refreshToken, first.refreshToken, 'rotated');
    });

    it('shares one refresh among concurrent calls (the server revokes a session whose refresh token is reused)', async () => {
        let now = Date.now();
        const { api, refreshes } = counting(() => now);
        await api.register(newEmail(), PASSWORD, 'Grace');
        await api.tasks.createTask({ taskCreate: { title: 'Shared refresh' } });
        now = api.session.expiresAt.getTime() - 10_000;

        const pages = await Promise.all(Array.from({ length: 8 }, () => api.tasks.listTasks({})));

        assert.equal(refreshes.length, 1);
        assert.ok(pages.every((page) => page.items.length === 1));
        assert.equal((await api.auth.getMe()).name, 'Grace', 'the session survived');
    });

    it('logout ends the session on the server too', async () => {
        const api = createClient({ basePath: baseUrl });
        await api.register(newEmail(), PASSWORD);
        const { refreshToken } = api.session;

        await api.logout();

        assert.equal(api.signedIn, false);
        assert.equal((await failure(api.auth.getMe(), 401)).code, 'MISSING_TOKEN');
        await failure(api.refresh(refreshToken), 401);
    });

    it('a server that does not answer is a NetworkError; one that answers with an error is not', async () => {
        const down = createClient({ basePath: 'http://127.0.0.1:1' });
        const error = await down.meta.getHealth().then(() => assert.fail('expected a NetworkError'), (e) => e);
        assert.ok(error instanceof NetworkError, `a NetworkError, not ${error}`);
        assert.equal(error.url, 'http://127.0.0.1:1/health');
        const problem = await failure(client().tasks.listTasks({}), 401);
        assert.equal(problem.code, 'MISSING_TOKEN');
    });
});
