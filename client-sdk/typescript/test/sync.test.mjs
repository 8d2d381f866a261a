// The sync helper (Replica) of the BUILT package against a running server, as client.test.mjs (TODO_API_URL; the
// Maven build starts a server on a fresh database). Two devices of one user: a web app whose network goes away for a
// while (a fetch that fails, as the browser's does offline) and another device that keeps editing meanwhile. At the
// end, both replicas equal what the REST API says, resource by resource: nothing lost, nothing applied twice.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it as nodeIt } from 'node:test';
import { MemoryStore, Replica, ResponseError, createClient } from '@todo-api/client';

const baseUrl = process.env.TODO_API_URL;
if (!baseUrl) {
    throw new Error('Set TODO_API_URL to the server to test, e.g. TODO_API_URL=http://localhost:8080 npm test');
}
const PASSWORD = 'correct horse battery staple';

/** node:test's `it`, reporting an unexpected error response with its body. */
function it(name, fn) {
    return nodeIt(name, { timeout: 60_000 }, async (t) => {
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

/**
 * A device: a client of its own session with a switchable network. `offline` makes every request fail before it
 * leaves; `loseResponses` lets requests reach the server and then fails them, as a connection that drops before
 * the answer arrives.
 */
async function device(email, { register = false } = {}) {
    const network = { offline: false, loseResponses: false, batches: 0 };
    const client = createClient({
        basePath: baseUrl,
        fetchApi: async (url, init) => {
            if (network.offline) throw new TypeError('fetch failed', { cause: new Error('ENETUNREACH network is unreachable') });
            if (String(url).endsWith('/api/v1/batch')) network.batches++;
            const response = await fetch(url, init);
            if (network.loseResponses) {
                await response.arrayBuffer();
                throw new TypeError('fetch failed', { cause: new Error('ECONNRESET socket hang up') });
            }
            return response;
        },
    });
    if (register) await client.register(email, PASSWORD, 'Sync');
    else await client.login(email, PASSWORD);
    return { client, network };
}

/** What the REST API says now, as the API's JSON (the replica keeps that form), keyed by id. */
async function restState(client) {
    const byId = (items) => Object.fromEntries(items.map((item) => [item.id, item]));
    const lists = await (await client.lists.listListsRaw()).raw.json();
    const tags = await (await client.tags.listTagsRaw()).raw.json();
    const tasks = [];
    let cursor;
    do {
        const page = await (await client.tasks.listTasksRaw({ limit: 100, cursor })).raw.json();
        tasks.push(...page.items);
        cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return { lists: byId(lists.items), tasks: byId(tasks), tags: byId(tags.items) };
}

function titles(replica) {
    return replica.tasks().map((task) => task.title).sort();
}

describe('the sync helper against the server', () => {
    it('two devices converge through an offline period with conflicting edits, nothing lost', async () => {
        const email = `ts-sync-${randomUUID()}@example.com`;
        const web = await device(email, { register: true });
        const phone = await device(email);
        const webStore = new MemoryStore();
        let webReplica = await Replica.open(web.client, { store: webStore, pageSize: 2 });
        const phoneReplica = await Replica.open(phone.client, { pageSize: 3 });
        const events = [];
        webReplica.subscribe((event) => events.push(event));

        // Online: the web app makes a list with tasks (temp ids, one batch); the phone sees them.
        await webReplica.sync();
        const inbox = webReplica.lists().find((list) => list.isDefault);
        assert.ok(inbox, 'the full sync brought the Inbox');
        const trip = await webReplica.createList({ name: 'Trip' });
        const route = await webReplica.createTask({ title: 'Plan the route', listId: trip });
        const tickets = await webReplica.createTask({ title: 'Buy tickets', listId: trip });
        const hotel = await webReplica.createTask({ title: 'Book a hotel', listId: trip });
        const bags = await webReplica.createTask({ title: 'Pack', listId: trip });
        await webReplica.createTask({ title: 'Passport', parentId: bags });
        assert.equal(webReplica.task(route).title, 'Plan the route', 'a queued create reads at once, by its temp id');
        assert.equal(webReplica.pending.length, 6);
        const first = await webReplica.sync();
        assert.equal(first.push.applied, 6);
        assert.equal(webReplica.pending.length, 0);
        const ids = events.find((event) => event.kind === 'ids')?.tempIds ?? {};
        assert.equal(Object.keys(ids).length, 6, 'every temp id mapped to its real id');
        assert.equal(webReplica.resolve(route), ids[route]);
        assert.equal(webReplica.task(route).id, ids[route], 'a temp id still reads after the push');
        await phoneReplica.sync();
        assert.deepEqual(titles(phoneReplica), titles(webReplica));

        // The web app goes offline and keeps working.
        web.network.offline = true;
        await webReplica.updateTask(route, { title: 'Plan the route (web)' });
        await webReplica.updateTask(route, { priority: 'high' }); // merged with the edit before
        await webReplica.completeTask(tickets);
        await webReplica.deleteTask(hotel);
        const tag = await webReplica.createTag({ name: 'travel' });
        const visa = await webReplica.createTask({ title: 'Visa', listId: trip, tags: ['travel'] });
        await webReplica.updateTask(visa, { description: 'Check the embassy site' });
        await webReplica.updateList(trip, { color: '#22c55e' });
        const offline = await webReplica.sync();
        assert.equal(offline.offline, true);
        assert.equal(webReplica.pending.length, 7, 'nothing sent, nothing dropped (two edits of the route are one)');
        assert.equal(webReplica.task(route).title, 'Plan the route (web)', 'the offline edits read locally');
        assert.equal(webReplica.task(route).priority, 'high');
        assert.equal(webReplica.task(hotel), undefined);
        assert.deepEqual(webReplica.task(visa).tags.map((t) => t.name), ['travel']);

        // The app is reloaded while offline: the queue comes back from the store.
        webReplica = await Replica.open(web.client, { store: webStore, pageSize: 2 });
        webReplica.subscribe((event) => events.push(event));
        assert.equal(webReplica.pending.length, 7);
        assert.equal(webReplica.tag(tag).name, 'travel');

        // Meanwhile the phone edits the same things.
        await phoneReplica.updateTask(ids[route], { title: 'Plan the route (phone)' });
        await phoneReplica.deleteTask(ids[tickets]);
        await phoneReplica.updateList(ids[trip], { name: 'Summer trip' });
        await phoneReplica.createTask({ title: 'Sunscreen', listId: ids[trip] });
        const phoneSync = await phoneReplica.sync();
        assert.equal(phoneSync.push.applied, 4);
        assert.deepEqual(phoneSync.push.conflicts, []);

        // Back online: what can be applied is, the rest is surfaced.
        web.network.offline = false;
        const back = await webReplica.sync();
        assert.equal(back.offline, false);
        assert.equal(webReplica.pending.length, 0);
        const conflicts = webReplica.conflicts;
        assert.deepEqual(conflicts.map((c) => [c.status, c.code, c.type]).sort(),
            [[404, 'TASK_NOT_FOUND', 'task'], [412, 'PRECONDITION_FAILED', 'task']]);
        const edited = conflicts.find((c) => c.status === 412);
        assert.equal(edited.resourceId, ids[route]);
        assert.equal(edited.current.title, 'Plan the route (phone)', 'the conflict carries the server version');
        assert.equal(edited.commands.length, 1);
        assert.deepEqual(edited.commands[0].args, { title: 'Plan the route (web)', priority: 'high' });
        const gone = conflicts.find((c) => c.status === 404);
        assert.equal(gone.resourceId, ids[tickets], 'completing a task the phone deleted');
        assert.ok(events.some((event) => event.kind === 'conflict'));
        // Until resolved, the replica shows the server's side.
        assert.equal(webReplica.task(route).title, 'Plan the route (phone)');
        assert.equal(webReplica.list(trip).name, 'Summer trip');
        assert.equal(webReplica.list(trip).color, '#22c55e', 'the list edits of both devices, merged field by field');
        assert.equal(webReplica.task(visa).description, 'Check the embassy site');
        assert.deepEqual(webReplica.task(visa).tags.map((t) => t.id), [webReplica.resolve(tag)]);

        // The user keeps the web's edit of the route and accepts the phone's delete.
        await webReplica.retry(edited);
        await webReplica.dismiss(gone);
        assert.deepEqual(webReplica.conflicts, []);
        const resolved = await webReplica.sync();
        assert.equal(resolved.push.applied, 1);
        assert.deepEqual(resolved.push.conflicts, []);
        assert.equal(webReplica.task(route).title, 'Plan the route (web)');
        await phoneReplica.sync();

        const truth = await restState(web.client);
        assert.deepEqual(webReplica.serverState(), truth, 'the web replica is the server state');
        assert.deepEqual(phoneReplica.serverState(), truth, 'the phone replica is the server state');
        assert.deepEqual(titles(webReplica).sort(), ['Pack', 'Passport', 'Plan the route (web)', 'Sunscreen', 'Visa']);
        assert.equal(truth.tasks[ids[route]].priority, 'high');
    });

    it('a batch whose response was lost is sent again and changes nothing twice', async () => {
        const email = `ts-sync-${randomUUID()}@example.com`;
        const web = await device(email, { register: true });
        const replica = await Replica.open(web.client);
        await replica.sync();
        const task = await replica.createTask({ title: 'Once' });
        await replica.createTask({ title: 'Twice?', parentId: task });

        web.network.loseResponses = true;
        const lost = await replica.push();
        assert.equal(lost.offline, true, 'no answer: the commands stay queued');
        assert.equal(replica.pending.length, 2);
        web.network.loseResponses = false;
        const again = await replica.sync();
        assert.equal(again.push.applied, 2);
        assert.equal(web.network.batches, 2);

        const truth = await restState(web.client);
        assert.deepEqual(Object.values(truth.tasks).map((t) => t.title).sort(), ['Once', 'Twice?'], 'created once each');
        assert.deepEqual(replica.serverState(), truth);
        assert.equal(replica.task(task).subtaskCount, 1);
    });

    it('edits of one task queued in one offline period go in order, each on the version the last one made', async () => {
        const email = `ts-sync-${randomUUID()}@example.com`;
        const web = await device(email, { register: true });
        const replica = await Replica.open(web.client);
        await replica.sync();
        const task = await replica.createTask({ title: 'v1' });
        await replica.sync();
        const list = await replica.createList({ name: 'Elsewhere' });
        await replica.updateTask(task, { title: 'v2' });
        await replica.moveTask(task, { listId: list });
        await replica.completeTask(task);
        await replica.updateTask(task, { title: 'v3' });
        const result = await replica.sync();
        assert.equal(result.push.applied, 5);
        assert.deepEqual(result.push.conflicts, []);
        const now = replica.task(task);
        assert.equal(now.title, 'v3');
        assert.equal(now.completed, true);
        assert.equal(now.listId, replica.resolve(list));
        assert.deepEqual(replica.serverState(), await restState(web.client));
    });

    it('a token past the server window rebuilds the replica from a full snapshot and keeps the queue', async () => {
        const email = `ts-sync-${randomUUID()}@example.com`;
        const { client } = await device(email, { register: true });
        let expire = false;
        const expiring = createClient({
            basePath: baseUrl,
            fetchApi: async (url, init) => {
                if (expire && /\/api\/v1\/sync\?.*token=/.test(String(url))) {
                    expire = false;
                    return new Response(JSON.stringify({ type: 'about:blank', title: 'Gone', status: 410,
                        code: 'SYNC_TOKEN_EXPIRED', detail: 'Start again without a token.' }),
                    { status: 410, headers: { 'Content-Type': 'application/problem+json' } });
                }
                return fetch(url, init);
            },
        });
        await expiring.login(email, PASSWORD);
        const replica = await Replica.open(expiring);
        const events = [];
        replica.subscribe((event) => events.push(event.kind));
        await replica.sync();
        await replica.createTask({ title: 'Kept' });
        await client.tasks.createTask({ taskCreate: { title: 'From elsewhere' } });
        expire = true;
        await replica.pull().then((r) => assert.equal(r.resynced, true));
        assert.ok(events.includes('resync'));
        assert.equal(replica.pending.length, 1, 'the queued write survives the resync');
        assert.deepEqual(titles(replica), ['From elsewhere', 'Kept']);
        await replica.sync();
        assert.deepEqual(replica.serverState(), await restState(client));
    });

    it('two devices doing random edits, each offline at random, converge to the server state', async () => {
        let seed = Number(process.env.SYNC_SEED ?? 20261203); // another seed: SYNC_SEED=n npm test
        const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
        const pick = (items) => items[Math.floor(random() * items.length)];
        const email = `ts-sync-${randomUUID()}@example.com`;
        const devices = [await device(email, { register: true }), await device(email)];
        const replicas = [];
        for (const d of devices) replicas.push(await Replica.open(d.client, { pageSize: 5, batchSize: 7 }));
        let acknowledged = 0;
        const counts = { conflicts: 0, merged: 0 };

        async function randomEdit(replica) {
            const tasks = replica.tasks();
            const lists = replica.lists();
            const task = tasks.length > 0 ? pick(tasks) : undefined;
            const list = pick(lists);
            const op = random();
            if (op < 0.25 || task === undefined) {
                const parent = random() < 0.3 && task ? task.id : undefined;
                await replica.createTask({ title: `t${Math.floor(random() * 1e6)}`, ...(parent ? { parentId: parent } : { listId: list.id }) });
            } else if (op < 0.45) {
                await replica.updateTask(task.id, random() < 0.5 ? { title: `edit ${Math.floor(random() * 1e6)}` }
                    : { priority: pick(['low', 'medium', 'high']) });
            } else if (op < 0.55) {
                await replica.completeTask(task.id, !task.completed);
            } else if (op < 0.65) {
                await replica.moveTask(task.id, { listId: list.id });
            } else if (op < 0.75) {
                await replica.deleteTask(task.id);
            } else if (op < 0.82) {
                await replica.createList({ name: `l${Math.floor(random() * 1e6)}` });
            } else if (op < 0.88 && !list.isDefault) {
                await replica.updateList(list.id, random() < 0.5 ? { name: `renamed ${Math.floor(random() * 1e6)}` } : { color: '#3b82f6' });
            } else if (op < 0.91 && !list.isDefault) {
                await replica.deleteList(list.id);
            } else {
                await replica.updateTask(task.id, { tags: [pick(['home', 'work', 'errand'])] });
            }
        }

        async function settle(replica) {
            const result = await replica.sync();
            if (result.offline) return;
            acknowledged += result.push.applied;
            for (const conflict of replica.conflicts) {
                counts.conflicts++;
                if (conflict.status === 412 && random() < 0.5) await replica.retry(conflict);
                else await replica.dismiss(conflict);
            }
        }

        for (const replica of replicas) await replica.sync();
        for (let round = 0; round < 8; round++) {
            for (let i = 0; i < devices.length; i++) {
                devices[i].network.offline = random() < 0.5;
                for (let edits = Math.floor(random() * 12); edits > 0; edits--) await randomEdit(replicas[i]);
                await settle(replicas[i]);
            }
        }
        for (const d of devices) d.network.offline = false;
        for (let pass = 0; pass < 5 && replicas.some((r) => r.pending.length > 0 || r.conflicts.length > 0); pass++) {
            for (const replica of replicas) await settle(replica);
        }
        for (const replica of replicas) {
            assert.deepEqual(replica.pending, []);
            assert.deepEqual(replica.conflicts, []);
            await replica.pull();
        }
        const truth = await restState(devices[0].client);
        assert.ok(acknowledged >= 40, `enough writes went through (${acknowledged})`);
        assert.ok(Object.keys(truth.tasks).length > 0);
        for (const replica of replicas) {
            assert.deepEqual(replica.serverState(), truth);
            assert.deepEqual(replica.tasks().map((t) => t.id).sort(), Object.keys(truth.tasks).sort(), 'the view is the server state');
        }
        console.log(`random convergence: ${acknowledged} writes acknowledged, ${counts.conflicts} conflicts resolved`);
    });
});
