// Consumer tests of the web frontend ("todo-web") against the API ("todo-api"), with Pact.
// Each test drives the frontend's API layer (web-app.mjs, on the built @todo-api/client) against Pact's mock
// server; the interactions they record land in <repo>/pacts/todo-web-todo-api.json, which the server's build
// verifies against the real application (server: dev.todoapi.pact.PactProviderTest).
//
// Run: npm run build && npm run pact (the Maven build does both). The pact file is rewritten from scratch.
import './do-not-track.mjs';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { ApiProblem, TodoWebApi } from './web-app.mjs';

const { arrayContaining, boolean, constrainedArrayLike, datetime, eachLike, equal, fromProviderState, integer, like, regex, uuid } = MatchersV3;

const PACT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'pacts');
rmSync(resolve(PACT_DIR, 'todo-web-todo-api.json'), { force: true });

const provider = new PactV4({ consumer: 'todo-web', provider: 'todo-api', dir: PACT_DIR, logLevel: 'warn' });

/**
 * The body of an executeTest, followed by a wait until Pact's mock server has recorded the requests it answered.
 *
 * Pact core 19 (pact_mock_server 2.x, in @pact-foundation/pact 16.3 to 17.0) answers a request before it records the
 * match: it hands the result to an event loop of its own and sends the response at once. Under CPU load,
 * executeTest then asks "was every expected request received?" before that loop has run and fails a test whose
 * request did arrive and match, with "The following request was expected but not received"
 * (pact-foundation/pact-core-mock-server#13; fixed in pact core 20.1, pact-js 17.1, which need Node.js 22).
 * So wait until no expected request is still missing, or until something else went wrong (an unexpected or
 * mismatched request: a real failure, which executeTest reports), or at most RECORD_TIMEOUT_MS (then executeTest
 * reports the missing request, as it should when the client did not send it).
 */
const RECORD_TIMEOUT_MS = 5000;

function recorded(test) {
    return async (server) => {
        const result = await test(server);
        const deadline = Date.now() + RECORD_TIMEOUT_MS;
        for (;;) {
            // What executeTest asks next, through the same handle (PactV4's `pact`, private in its typings).
            const open = provider.pact.mockServerMismatches(server.port);
            if (open.length === 0 || open.some((m) => m.type !== 'missing-request') || Date.now() >= deadline) {
                return result;
            }
            await sleep(2);
        }
    };
}

// ---- What the frontend relies on, as matchers ------------------------------------------------------------

const EMAIL = 'ada@example.com';
const PASSWORD = 'correct horse battery staple';
const NAME = 'Ada Lovelace';
const USER_ID = '5b0c6a2e-3f4d-4b8e-9a51-6c1d2e3f4a5b';
const TASK_ID = '0b3f6d1e-6c2a-4f0e-9d7b-2a1c3e4f5a6b';
const INBOX_ID = '1c4a7e2f-7d3b-4a1f-8e8c-3b2d4f5a6b7c';
const LIST_ID = '2d5b8f3a-8e4c-4b2a-9f9d-4c3e5a6b7c8d';
const TAG_ID = '7d9e8f1a-2b3c-4d5e-8f6a-1b2c3d4e5f6a';
const SYNC_TOKEN = 'eyJ2IjoxLCJzIjo0Mn0';
const EXAMPLE_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI1YjBjNmEyZSJ9.c2lnbmF0dXJl';

/** RFC 3339 as the server writes it: UTC, seconds with 0 to 9 fraction digits. */
const instant = (example) => regex('^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$', example);

const bearer = { Authorization: regex('^Bearer [A-Za-z0-9._~+/=-]+$', `Bearer ${EXAMPLE_TOKEN}`) };
const json = { 'Content-Type': regex('^application/json(;.*)?$', 'application/json') };
const problemJson = { 'Content-Type': regex('^application/problem\\+json(;.*)?$', 'application/problem+json') };

const user = {
    id: like(USER_ID),
    email: equal(EMAIL),
    name: like(NAME),
    created_at: instant('2026-11-23T10:15:30.123456Z'),
};

const session = {
    user,
    access_token: like(EXAMPLE_TOKEN),
    token_type: equal('Bearer'),
    expires_in: integer(900),
};

const tagRef = { id: uuid('7d9e8f1a-2b3c-4d5e-8f6a-1b2c3d4e5f6a'), name: like('work') };

function task(overrides = {}) {
    return {
        id: uuid(TASK_ID),
        user_id: like(USER_ID),
        list_id: uuid(INBOX_ID),
        title: like('Write the quarterly report'),
        completed: boolean(false),
        priority: regex('^(low|medium|high)$', 'high'),
        tags: eachLike(tagRef, 0),
        created_at: instant('2026-11-23T10:15:30.123456Z'),
        updated_at: instant('2026-11-23T10:15:30.123456Z'),
        ...overrides,
    };
}

/** A task list; its position is an opaque order key of the server, compared only by the server. */
function todoList(overrides = {}) {
    return {
        id: uuid(LIST_ID),
        name: like('Groceries'),
        position: like('a1'),
        is_default: boolean(false),
        open_task_count: integer(0),
        task_count: integer(0),
        created_at: instant('2026-11-23T10:15:30.123456Z'),
        updated_at: instant('2026-11-23T10:15:30.123456Z'),
        ...overrides,
    };
}

/** The id of the list of the state `a user with a list`, and of that user's Inbox. */
const listId = () => fromProviderState('${listId}', LIST_ID);
const inboxId = () => fromProviderState('${inboxId}', INBOX_ID);
/** The ids of the first and the last task the state `a user with a list` created from its `tasks`. */
const SIBLING_ID = '3e6c9a4b-9f5d-4c3b-8a0e-5d4f6b7c8d9e';
const OTHER_SIBLING_ID = '4f7dab5c-a06e-4d4c-9b1f-6e5a7c8d9e0f';
const firstTaskId = () => fromProviderState('${firstTaskId}', SIBLING_ID);
const lastTaskId = () => fromProviderState('${lastTaskId}', OTHER_SIBLING_ID);

function problem(status, code) {
    return {
        type: like('about:blank'),
        title: like('Error'),
        status: equal(status),
        code: equal(code),
        request_id: like('8f14e45f-ceea-467f-a0e6-0b6f6c4c2a11'),
    };
}

/** A state whose user exists: every authenticated interaction runs as this user. */
const aUser = { email: EMAIL, password: PASSWORD, name: NAME };

// ---- Interactions ---------------------------------------------------------------------------------------------

describe('todo-web -> todo-api', () => {
    it('signs up', () => provider.addInteraction()
        .given('no account exists', { email: EMAIL })
        .uponReceiving('a sign-up')
        .withRequest('POST', '/api/v1/auth/register', (b) => b
            .headers({ 'Content-Type': 'application/json' })
            .jsonBody({ email: EMAIL, password: PASSWORD, name: NAME }))
        .willRespondWith(201, (b) => b.headers(json).jsonBody(session))
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            const signedUp = await app.signUp(EMAIL, PASSWORD, NAME);
            assert.equal(signedUp.email, EMAIL);
            assert.ok(signedUp.createdAt instanceof Date);
            assert.ok(app.signedIn);
        })));

    it('logs in and loads the signed-in user', () => provider.addInteraction()
        .given('a user exists', aUser)
        .uponReceiving('a login with email and password')
        .withRequest('POST', '/api/v1/auth/login', (b) => b
            .headers({ 'Content-Type': 'application/json' })
            .jsonBody({ email: EMAIL, password: PASSWORD }))
        .willRespondWith(200, (b) => b.headers(json).jsonBody(session))
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            const me = await app.logIn(EMAIL, PASSWORD);
            assert.equal(me.name, NAME);
            assert.ok(app.signedIn);
        })));

    it('reads the signed-in user', () => provider.addInteraction()
        .given('a user exists', aUser)
        .uponReceiving('a request for the signed-in user')
        .withRequest('GET', '/api/v1/auth/me', (b) => b.headers(bearer))
        .willRespondWith(200, (b) => b.headers(json).jsonBody(user))
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            app.useToken(EXAMPLE_TOKEN);
            assert.equal((await app.currentUser()).email, EMAIL);
        })));

    it('lists tasks, filtered and sorted', () => provider.addInteraction()
        .given('a user with tasks', {
            ...aUser,
            tasks: [
                { title: 'Write the quarterly report', priority: 'high', tags: ['work'], due_date: '2030-05-01T09:00:00Z' },
                { title: 'Prepare the board meeting', priority: 'high', tags: ['work'], due_date: '2030-05-02T09:00:00Z' },
                { title: 'Book the flights', priority: 'high', tags: ['work'], completed: true },
                { title: 'Buy milk', priority: 'low', tags: ['home'] },
            ],
        })
        .uponReceiving('a request for pending high-priority work tasks by due date')
        .withRequest('GET', '/api/v1/tasks', (b) => b
            .headers(bearer)
            .query({ status: 'pending', priority: 'high', tag: 'work', sort: 'due_date', limit: '20' }))
        .willRespondWith(200, (b) => b.headers(json).jsonBody({
            items: eachLike(task({
                priority: equal('high'),
                completed: equal(false),
                due_date: instant('2030-05-01T09:00:00Z'),
                tags: eachLike({ ...tagRef, name: equal('work') }),
            }), 2),
        }))
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            app.useToken(EXAMPLE_TOKEN);
            const page = await app.tasks({ status: 'pending', priority: 'high', tag: 'work' });
            assert.equal(page.items.length, 2);
            assert.ok(page.items.every((t) => t.priority === 'high' && !t.completed));
            assert.ok(page.items[0].dueDate instanceof Date);
            assert.equal(page.nextCursor, undefined);
        })));

    it('creates a task', () => provider.addInteraction()
        .given('a user exists', aUser)
        .uponReceiving('a request to create a task')
        .withRequest('POST', '/api/v1/tasks', (b) => b
            .headers({ ...bearer, 'Content-Type': 'application/json' })
            .jsonBody({
                title: 'Write the quarterly report',
                description: 'Numbers from finance first',
                priority: 'high',
                due_date: datetime("yyyy-MM-dd'T'HH:mm:ss.SSSX", '2030-12-01T17:00:00.000Z'),
                tags: ['work'],
            }))
        .willRespondWith(201, (b) => b
            .headers({
                ...json,
                Location: regex('^(https?://[^/]+)?/api/v1/tasks/[0-9a-f-]{36}$', `/api/v1/tasks/${TASK_ID}`),
                ETag: regex('^(W/)?"[^"]+"$', '"1"'),
            })
            .jsonBody(task({
                title: equal('Write the quarterly report'),
                description: equal('Numbers from finance first'),
                priority: equal('high'),
                due_date: instant('2030-12-01T17:00:00Z'),
                tags: eachLike({ ...tagRef, name: equal('work') }),
            })))
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            app.useToken(EXAMPLE_TOKEN);
            const created = await app.addTask({
                title: 'Write the quarterly report',
                description: 'Numbers from finance first',
                priority: 'high',
                dueDate: new Date('2030-12-01T17:00:00Z'),
                tags: ['work'],
            });
            assert.equal(created.dueDate?.toISOString(), '2030-12-01T17:00:00.000Z');
            assert.deepEqual(created.tags.map((t) => t.name), ['work']);
        })));

    it('edits a task with a merge patch (null clears the description)', () => provider.addInteraction()
        .given('a user with a task', { ...aUser, title: 'Write the report', description: 'Numbers from finance first' })
        .uponReceiving('a merge patch of a task\'s title that clears its description')
        .withRequest('PATCH', fromProviderState('/api/v1/tasks/${taskId}', `/api/v1/tasks/${TASK_ID}`), (b) => b
            .headers({ ...bearer, 'Content-Type': 'application/merge-patch+json' })
            .jsonBody({ title: 'Write the Q3 report', description: null }))
        .willRespondWith(200, (b) => b
            .headers({ ...json, ETag: regex('^(W/)?"[^"]+"$', '"2"') })
            .jsonBody(task({ id: fromProviderState('${taskId}', TASK_ID), title: equal('Write the Q3 report') })))
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            app.useToken(EXAMPLE_TOKEN);
            const edited = await app.editTask(TASK_ID, { title: 'Write the Q3 report', description: null });
            assert.equal(edited.title, 'Write the Q3 report');
            assert.equal(edited.description, undefined);
        })));

    it('toggles a task to completed', () => provider.addInteraction()
        .given('a user with a task', { ...aUser, title: 'Write the report' })
        .uponReceiving('a request to toggle a pending task')
        .withRequest('PATCH', fromProviderState('/api/v1/tasks/${taskId}/complete', `/api/v1/tasks/${TASK_ID}/complete`), (b) => b
            .headers(bearer))
        .willRespondWith(200, (b) => b
            .headers(json)
            .jsonBody(task({
                id: fromProviderState('${taskId}', TASK_ID),
                completed: equal(true),
                completed_at: instant('2026-11-23T10:20:00.5Z'),
            })))
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            app.useToken(EXAMPLE_TOKEN);
            const toggled = await app.toggleTask(TASK_ID);
            assert.equal(toggled.completed, true);
            assert.ok(toggled.completedAt instanceof Date);
        })));

    it('deletes a task', () => provider.addInteraction()
        .given('a user with a task', { ...aUser, title: 'Write the report' })
        .uponReceiving('a request to delete a task')
        .withRequest('DELETE', fromProviderState('/api/v1/tasks/${taskId}', `/api/v1/tasks/${TASK_ID}`), (b) => b.headers(bearer))
        .willRespondWith(204)
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            app.useToken(EXAMPLE_TOKEN);
            assert.equal(await app.removeTask(TASK_ID), undefined);
        })));

    it('reports a task that does not exist: 404 TASK_NOT_FOUND', () => provider.addInteraction()
        .given('a user exists', aUser)
        .uponReceiving('a request for a task that does not exist')
        .withRequest('GET', '/api/v1/tasks/9d1b6a4e-0000-4000-8000-000000000000', (b) => b.headers(bearer))
        .willRespondWith(404, (b) => b.headers(problemJson).jsonBody(problem(404, 'TASK_NOT_FOUND')))
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            app.useToken(EXAMPLE_TOKEN);
            await assert.rejects(app.task('9d1b6a4e-0000-4000-8000-000000000000'),
                (e) => e instanceof ApiProblem && e.problem.code === 'TASK_NOT_FOUND' && e.problem.status === 404);
            assert.ok(app.signedIn, 'a 404 keeps the session');
        })));

    it('sends a signed-out user to the sign-in page: 401 MISSING_TOKEN', () => provider.addInteraction()
        .uponReceiving('a request for tasks without a token')
        .withRequest('GET', '/api/v1/tasks', (b) => b.query({ sort: 'due_date', limit: '20' }))
        .willRespondWith(401, (b) => b
            .headers({ ...problemJson, 'WWW-Authenticate': regex('^Bearer.*$', 'Bearer') })
            .jsonBody(problem(401, 'MISSING_TOKEN')))
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            await assert.rejects(app.tasks(), (e) => e instanceof ApiProblem && e.problem.code === 'MISSING_TOKEN');
            assert.equal(app.signedIn, false);
        })));

    it('lists the tags with their open task counts', () => provider.addInteraction()
        .given('a user with tasks', { ...aUser, tasks: [{ title: 'Write the quarterly report', tags: ['work'] }] })
        .uponReceiving('a request for the tags')
        .withRequest('GET', '/api/v1/tags', (b) => b.headers(bearer))
        .willRespondWith(200, (b) => b.headers(json).jsonBody({
            items: eachLike({
                id: uuid('7d9e8f1a-2b3c-4d5e-8f6a-1b2c3d4e5f6a'),
                name: like('work'),
                open_task_count: integer(1),
                created_at: instant('2026-11-23T10:15:30.123456Z'),
                updated_at: instant('2026-11-23T10:15:30.123456Z'),
            }),
        }))
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            app.useToken(EXAMPLE_TOKEN);
            const [tag] = await app.tags();
            assert.equal(tag.name, 'work');
            assert.equal(tag.openTaskCount, 1);
        })));

    it('creates a tag', () => provider.addInteraction()
        .given('a user exists', aUser)
        .uponReceiving('a request to create a tag')
        .withRequest('POST', '/api/v1/tags', (b) => b
            .headers({ ...bearer, 'Content-Type': 'application/json' })
            .jsonBody({ name: 'errands', color: '#3b82f6' }))
        .willRespondWith(201, (b) => b
            .headers({ ...json, Location: regex('^(https?://[^/]+)?/api/v1/tags/[0-9a-f-]{36}$', '/api/v1/tags/7d9e8f1a-2b3c-4d5e-8f6a-1b2c3d4e5f6a') })
            .jsonBody({
                id: uuid('7d9e8f1a-2b3c-4d5e-8f6a-1b2c3d4e5f6a'),
                name: equal('errands'),
                color: equal('#3b82f6'),
                open_task_count: equal(0),
                created_at: instant('2026-11-23T10:15:30.123456Z'),
                updated_at: instant('2026-11-23T10:15:30.123456Z'),
            }))
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            app.useToken(EXAMPLE_TOKEN);
            const tag = await app.addTag('errands', '#3b82f6');
            assert.equal(tag.color, '#3b82f6');
            assert.equal(tag.openTaskCount, 0);
        })));

    it('lists the lists in their manual order, the Inbox first', () => provider.addInteraction()
        .given('a user with a list', {
            ...aUser,
            list_name: 'Groceries',
            list_color: '#22c55e',
            tasks: [{ title: 'Buy milk' }, { title: 'Buy eggs', completed: true }],
        })
        .uponReceiving('a request for the lists')
        .withRequest('GET', '/api/v1/lists', (b) => b.headers(bearer))
        .willRespondWith(200, (b) => b.headers(json).jsonBody({
            items: [
                todoList({ id: inboxId(), name: like('Inbox'), is_default: equal(true), position: like('a0') }),
                todoList({
                    id: listId(),
                    name: equal('Groceries'),
                    color: equal('#22c55e'),
                    is_default: equal(false),
                    open_task_count: equal(1),
                    task_count: equal(2),
                }),
            ],
        }))
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            app.useToken(EXAMPLE_TOKEN);
            const [inbox, groceries, ...more] = await app.lists();
            assert.equal(more.length, 0);
            assert.equal(inbox.isDefault, true);
            assert.equal(groceries.name, 'Groceries');
            assert.equal(groceries.isDefault, false);
            assert.deepEqual([groceries.openTaskCount, groceries.taskCount], [1, 2]);
            assert.ok(groceries.createdAt instanceof Date);
        })));

    it('creates a list', () => provider.addInteraction()
        .given('a user exists', aUser)
        .uponReceiving('a request to create a list')
        .withRequest('POST', '/api/v1/lists', (b) => b
            .headers({ ...bearer, 'Content-Type': 'application/json' })
            .jsonBody({ name: 'Groceries', color: '#22c55e' }))
        .willRespondWith(201, (b) => b
            .headers({
                ...json,
                Location: regex('^(https?://[^/]+)?/api/v1/lists/[0-9a-f-]{36}$', `/api/v1/lists/${LIST_ID}`),
                ETag: regex('^(W/)?"[^"]+"$', '"1"'),
            })
            .jsonBody(todoList({
                name: equal('Groceries'),
                color: equal('#22c55e'),
                is_default: equal(false),
                open_task_count: equal(0),
                task_count: equal(0),
            })))
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            app.useToken(EXAMPLE_TOKEN);
            const list = await app.createList('Groceries', '#22c55e');
            assert.equal(list.id, LIST_ID);
            assert.equal(list.color, '#22c55e');
            assert.equal(list.taskCount, 0);
        })));

    it('adds a task to a list', () => provider.addInteraction()
        .given('a user with a list', { ...aUser, list_name: 'Groceries' })
        .uponReceiving('a request to create a task in a list')
        .withRequest('POST', '/api/v1/tasks', (b) => b
            .headers({ ...bearer, 'Content-Type': 'application/json' })
            .jsonBody({ title: 'Buy milk', list_id: listId() }))
        .willRespondWith(201, (b) => b
            .headers({
                ...json,
                Location: regex('^(https?://[^/]+)?/api/v1/tasks/[0-9a-f-]{36}$', `/api/v1/tasks/${TASK_ID}`),
            })
            .jsonBody(task({ title: equal('Buy milk'), list_id: listId() })))
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            app.useToken(EXAMPLE_TOKEN);
            const created = await app.addTask({ title: 'Buy milk', listId: LIST_ID });
            assert.equal(created.listId, LIST_ID);
            assert.equal(created.title, 'Buy milk');
        })));

    it('reads the tasks of a list', () => provider.addInteraction()
        .given('a user with a list', {
            ...aUser,
            list_name: 'Groceries',
            tasks: [{ title: 'Buy milk' }, { title: 'Buy eggs' }],
            inbox_tasks: [{ title: 'Call the plumber' }],
        })
        .uponReceiving('a request for the tasks of a list')
        .withRequest('GET', '/api/v1/tasks', (b) => b
            .headers(bearer)
            .query({ list_id: listId(), sort: 'due_date', limit: '20' }))
        .willRespondWith(200, (b) => b.headers(json).jsonBody({
            // Exactly the list's two tasks: the Inbox's task would make a third.
            items: constrainedArrayLike(task({ title: regex('^Buy (milk|eggs)$', 'Buy milk'), list_id: listId() }), 2, 2),
        }))
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            app.useToken(EXAMPLE_TOKEN);
            const page = await app.tasksOf(LIST_ID);
            assert.equal(page.items.length, 2);
            assert.ok(page.items.every((t) => t.listId === LIST_ID));
            assert.equal(page.nextCursor, undefined);
        })));

    it('moves a list before another (dragged above the Inbox)', () => provider.addInteraction()
        .given('a user with a list', { ...aUser, list_name: 'Groceries' })
        .uponReceiving('a request to move a list before another one')
        .withRequest('POST', fromProviderState('/api/v1/lists/${listId}/move', `/api/v1/lists/${LIST_ID}/move`), (b) => b
            .headers({ ...bearer, 'Content-Type': 'application/json' })
            .jsonBody({ before_id: inboxId() }))
        .willRespondWith(200, (b) => b
            .headers({ ...json, ETag: regex('^(W/)?"[^"]+"$', '"2"') })
            .jsonBody(todoList({ id: listId(), name: equal('Groceries'), is_default: equal(false) })))
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            app.useToken(EXAMPLE_TOKEN);
            const moved = await app.moveList(LIST_ID, { beforeId: INBOX_ID });
            assert.equal(moved.id, LIST_ID);
            assert.equal(typeof moved.position, 'string');
        })));

    it('adds a subtask under a task', () => provider.addInteraction()
        .given('a user with a list', { ...aUser, list_name: 'Trip', tasks: [{ title: 'Plan the trip' }] })
        .uponReceiving('a request to create a subtask')
        .withRequest('POST', '/api/v1/tasks', (b) => b
            .headers({ ...bearer, 'Content-Type': 'application/json' })
            .jsonBody({ title: 'Book the train', parent_id: firstTaskId(), position: 'bottom' }))
        .willRespondWith(201, (b) => b
            .headers(json)
            .jsonBody(task({ title: equal('Book the train'), list_id: listId(), parent_id: firstTaskId(), position: like('a0') })))
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            app.useToken(EXAMPLE_TOKEN);
            const subtask = await app.addSubtask(SIBLING_ID, 'Book the train');
            assert.equal(subtask.parentId, SIBLING_ID);
            assert.equal(subtask.listId, LIST_ID);
        })));

    it('moves a task after another (dragged down)', () => provider.addInteraction()
        .given('a user with a list', { ...aUser, list_name: 'Groceries', tasks: [{ title: 'Buy milk' }, { title: 'Buy eggs' }] })
        .uponReceiving('a request to move a task after a sibling')
        .withRequest('POST', fromProviderState('/api/v1/tasks/${firstTaskId}/move', `/api/v1/tasks/${SIBLING_ID}/move`), (b) => b
            .headers({ ...bearer, 'Content-Type': 'application/json' })
            .jsonBody({ after_id: lastTaskId() }))
        .willRespondWith(200, (b) => b
            .headers({ ...json, ETag: regex('^(W/)?"[^"]+"$', '"2"') })
            .jsonBody(task({ id: firstTaskId(), title: equal('Buy milk'), list_id: listId(), position: like('a2') })))
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            app.useToken(EXAMPLE_TOKEN);
            const moved = await app.moveTask(SIBLING_ID, { afterId: OTHER_SIBLING_ID });
            assert.equal(moved.id, SIBLING_ID);
            assert.equal(typeof moved.position, 'string');
        })));

    it('reads a list the way its screen shows it', () => provider.addInteraction()
        .given('a user with a list', {
            ...aUser,
            list_name: 'Trip',
            tasks: [{ title: 'Plan the trip', subtasks: [{ title: 'Book the train' }, { title: 'Pack' }] }],
        })
        .uponReceiving('a request for a list in display order')
        .withRequest('GET', fromProviderState('/api/v1/lists/${listId}/tasks', `/api/v1/lists/${LIST_ID}/tasks`), (b) => b
            .headers(bearer)
            .query({ status: 'pending', limit: '50' }))
        .willRespondWith(200, (b) => b.headers(json).jsonBody({
            // The parent first, then its subtasks in their order, one level deeper.
            items: [
                { depth: equal(0), task: task({ id: firstTaskId(), title: equal('Plan the trip'), list_id: listId(),
                    subtask_count: equal(2), open_subtask_count: equal(2) }) },
                { depth: equal(1), task: task({ title: equal('Book the train'), list_id: listId(), parent_id: firstTaskId() }) },
                { depth: equal(1), task: task({ title: equal('Pack'), list_id: listId(), parent_id: firstTaskId() }) },
            ],
        }))
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            app.useToken(EXAMPLE_TOKEN);
            const screen = await app.listScreen(LIST_ID);
            assert.deepEqual(screen.items.map((e) => [e.depth, e.task.title]), [[0, 'Plan the trip'], [1, 'Book the train'], [1, 'Pack']]);
            assert.equal(screen.nextCursor, undefined);
        })));

    it('syncs a new device from scratch', () => provider.addInteraction()
        .given('a user with tasks', { ...aUser, tasks: [{ title: 'Write the report', tags: ['work'] }] })
        .uponReceiving('a full sync')
        .withRequest('GET', '/api/v1/sync', (b) => b.headers(bearer).query({ limit: '500' }))
        .willRespondWith(200, (b) => b.headers(json).jsonBody({
            // The Inbox, the tag and the task, each an upsert carrying the resource as the REST operations show it.
            changes: arrayContaining(
                { op: equal('upsert'), type: equal('list'), id: uuid(INBOX_ID), list: todoList({ id: uuid(INBOX_ID), is_default: equal(true) }) },
                { op: equal('upsert'), type: equal('tag'), id: uuid(TAG_ID), tag: { id: uuid(TAG_ID), name: equal('work'), open_task_count: integer(1) } },
                { op: equal('upsert'), type: equal('task'), id: uuid(TASK_ID), task: task({ title: equal('Write the report') }) },
            ),
            has_more: equal(false),
            sync_token: like(SYNC_TOKEN),
        }))
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            app.useToken(EXAMPLE_TOKEN);
            const { changes, token } = await app.syncFrom(undefined);
            assert.ok(changes.some((c) => c.type === 'task' && c.task.title === 'Write the report'));
            assert.ok(changes.some((c) => c.type === 'list' && c.list.isDefault));
            assert.equal(token, SYNC_TOKEN);
        })));

    it('syncs the changes since last time, a deletion included', () => provider.addInteraction()
        .given('a user who deleted a task after syncing', { ...aUser, tasks: [{ title: 'Keep' }, { title: 'Throw away' }] })
        .uponReceiving('an incremental sync with a deletion')
        .withRequest('GET', '/api/v1/sync', (b) => b.headers(bearer)
            .query({ token: fromProviderState('${syncToken}', SYNC_TOKEN), limit: '500' }))
        .willRespondWith(200, (b) => b.headers(json).jsonBody({
            // The deleted task's tombstone (and the Inbox, whose counts changed).
            changes: arrayContaining(
                { op: equal('delete'), type: equal('task'), id: fromProviderState('${deletedTaskId}', TASK_ID),
                    deleted_at: instant('2026-12-03T12:00:00.123456Z') },
            ),
            has_more: equal(false),
            sync_token: like(SYNC_TOKEN),
        }))
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            app.useToken(EXAMPLE_TOKEN);
            const { changes } = await app.syncFrom(SYNC_TOKEN);
            const tombstone = changes.find((c) => c.op === 'delete');
            assert.equal(tombstone.type, 'task');
            assert.equal(tombstone.id, TASK_ID);
            assert.ok(tombstone.deletedAt instanceof Date);
        })));

    it('sends the writes queued offline as one batch', () => provider.addInteraction()
        .given('a user exists', aUser)
        .uponReceiving('a batch with temp ids')
        .withRequest('POST', '/api/v1/batch', (b) => b
            .headers({ ...bearer, 'Content-Type': 'application/json' })
            .jsonBody({
                commands: [
                    { id: 'offline-1', type: 'list.create', temp_id: 'trip', args: { name: 'Trip' } },
                    { id: 'offline-2', type: 'task.create', temp_id: 'plan', args: { title: 'Plan the route', list_id: 'trip' } },
                    { id: 'offline-3', type: 'task.update', resource_id: 'plan', args: { priority: 'high' } },
                ],
            }))
        .willRespondWith(200, (b) => b.headers(json).jsonBody({
            results: [
                { id: equal('offline-1'), status: equal(201), list: todoList({ name: equal('Trip') }) },
                { id: equal('offline-2'), status: equal(201), task: task({ title: equal('Plan the route'), list_id: uuid(LIST_ID) }) },
                { id: equal('offline-3'), status: equal(200), task: task({ priority: equal('high'), list_id: uuid(LIST_ID) }) },
            ],
            temp_ids: { trip: uuid(LIST_ID), plan: uuid(TASK_ID) },
        }))
        .executeTest(recorded(async (server) => {
            const app = new TodoWebApi(server.url);
            app.useToken(EXAMPLE_TOKEN);
            const response = await app.sendQueued([
                { id: 'offline-1', type: 'list.create', tempId: 'trip', args: { name: 'Trip' } },
                { id: 'offline-2', type: 'task.create', tempId: 'plan', args: { title: 'Plan the route', list_id: 'trip' } },
                { id: 'offline-3', type: 'task.update', resourceId: 'plan', args: { priority: 'high' } },
            ]);
            assert.deepEqual(response.results.map((r) => r.status), [201, 201, 200]);
            assert.equal(response.tempIds.trip, LIST_ID);
            assert.equal(response.results[2].task.priority, 'high');
        })));
});
