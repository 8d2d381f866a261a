// A webhook receiver that is down for a while (WEBHOOK_DOWN_SECONDS, 60 by default) and then comes back gets every
// event of the changes made meanwhile, each verified with the standardwebhooks library (a verifier this project did
// not write), with duplicates only as at-least-once allows: the same webhook-id, the same body.
// Runs against the server that server/pom.xml (profile "typescript") starts: TODO_API_URL, loopback allow-listed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

const base = process.env.TODO_API_URL ?? 'http://localhost:8080';
const downSeconds = Number(process.env.WEBHOOK_DOWN_SECONDS ?? 60);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function api(method, path, token, body) {
  const response = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.status < 300, `${method} ${path} -> ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A receiver on 127.0.0.1 that can be stopped (connections refused) and started again on the same port. */
class Receiver {
  constructor() {
    this.requests = [];
    this.failEvery = 0; // answer 500 to every n-th request (0: never)
    this.server = null;
    this.port = 0;
  }

  async start() {
    this.server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.requests.push({ headers: req.headers, body });
        const fail = this.failEvery > 0 && this.requests.length % this.failEvery === 0;
        res.writeHead(fail ? 500 : 204).end();
      });
    });
    await new Promise((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
    this.port = this.server.address().port;
  }

  async stop() {
    this.server.closeAllConnections?.();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

test(`a receiver down for ${downSeconds} s gets every event afterwards, each verified by standardwebhooks`, { timeout: (downSeconds + 180) * 1000 }, async () => {
  const auth = await api('POST', '/api/v1/auth/register', null,
    { email: `hooks-${randomUUID()}@example.com`, password: 'webhook outage test', name: 'Hooks' });
  const token = auth.access_token;
  const receiver = new Receiver();
  await receiver.start();
  const endpoint = await api('POST', '/api/v1/webhooks', token,
    { url: `http://127.0.0.1:${receiver.port}/hook`, description: 'outage test' });
  assert.match(endpoint.secret, /^whsec_/);
  const verifier = new Webhook(endpoint.secret);

  const expected = new Set(); // "type id" of every change the receiver must hear of
  const first = await api('POST', '/api/v1/tasks', token, { title: 'before the outage' });
  expected.add(`task.upserted ${first.id}`);
  const deadline = Date.now() + 30_000;
  while (!receiver.requests.some((r) => r.body.includes(first.id))) {
    assert.ok(Date.now() < deadline, 'the first event did not arrive');
    await sleep(100);
  }

  // Down: writes keep coming, spread over the outage.
  await receiver.stop();
  const downUntil = Date.now() + downSeconds * 1000;
  const writes = 30;
  const tasks = [];
  for (let i = 0; i < writes; i++) {
    const kind = i % 6;
    if (kind === 5 && tasks.length > 1) {
      const victim = tasks.shift();
      await api('DELETE', `/api/v1/tasks/${victim}`, token);
      expected.delete(`task.upserted ${victim}`); // the feed gives a resource's latest state: deleted
      expected.add(`task.deleted ${victim}`);
    } else if (kind === 4) {
      const tag = await api('POST', '/api/v1/tags', token, { name: `tag-${i}` });
      expected.add(`tag.upserted ${tag.id}`);
    } else {
      const task = await api('POST', '/api/v1/tasks', token, { title: `during the outage ${i}` });
      tasks.push(task.id);
      expected.add(`task.upserted ${task.id}`);
    }
    await sleep(Math.max(0, (downUntil - Date.now()) / (writes - i)));
  }
  await sleep(Math.max(0, downUntil - Date.now()));

  // Back, answering 500 to every 7th request for a while: those events come again, under the same webhook-id.
  receiver.failEvery = 7;
  await receiver.start();
  const received = () => {
    const seen = new Set();
    for (const r of receiver.requests) {
      const event = JSON.parse(r.body);
      seen.add(`${event.type} ${event.data.id}`);
    }
    return seen;
  };
  const backBy = Date.now() + 120_000;
  while ([...expected].some((e) => !received().has(e))) {
    assert.ok(Date.now() < backBy, `missing after the outage: ${[...expected].filter((e) => !received().has(e)).join(', ')}`);
    await sleep(250);
  }
  receiver.failEvery = 0;

  // Every request verifies with the library; one webhook-id is always the same body.
  const bodies = new Map();
  let duplicates = 0;
  for (const r of receiver.requests) {
    const event = verifier.verify(r.body, {
      'webhook-id': r.headers['webhook-id'],
      'webhook-timestamp': r.headers['webhook-timestamp'],
      'webhook-signature': r.headers['webhook-signature'],
    });
    assert.ok(event.type && event.timestamp && event.data.id, r.body);
    const id = r.headers['webhook-id'];
    if (bodies.has(id)) {
      duplicates++;
      assert.equal(r.body, bodies.get(id), `webhook-id ${id} came with two bodies`);
    }
    bodies.set(id, r.body);
  }
  assert.ok(duplicates > 0, 'the 500s should have caused redeliveries under the same webhook-id');
  // A tampered body does not verify.
  const sample = receiver.requests.at(-1);
  assert.throws(() => verifier.verify(sample.body.replace('"data"', '"dat\\u0061"'), {
    'webhook-id': sample.headers['webhook-id'],
    'webhook-timestamp': sample.headers['webhook-timestamp'],
    'webhook-signature': sample.headers['webhook-signature'],
  }));

  // The last event's sync token is where the feed stands: nothing was left out after it.
  const events = [...bodies.values()].map((b) => JSON.parse(b));
  const last = JSON.parse(receiver.requests.at(-1).body);
  const sync = await api('GET', `/api/v1/sync?token=${encodeURIComponent(last.data.sync_token)}`, token);
  assert.deepEqual(sync.changes, []);
  console.log(`[webhooks] ${expected.size} changes, ${events.length} distinct events, ${receiver.requests.length} requests`
    + ` (${duplicates} repeated under the same webhook-id) after a ${downSeconds} s outage`);
  await receiver.stop();
});
