// Delivery throughput to a local receiver: N writes (batches of 100 task creates), then the time until every
// event has been acknowledged by a receiver on 127.0.0.1 (one endpoint, or E endpoints of E users).
//   TODO_API_URL=http://localhost:8080 node bench/webhooks/throughput.mjs [writes=1000] [endpoints=1]
// BACKLOG=1: the endpoints are created disabled and enabled after the writes, so the time is the backlog's drain alone.
// The server must allow-list the receiver: TODO_WEBHOOKS_ALLOW_HTTP=true TODO_WEBHOOKS_ALLOWED_HOSTS=127.0.0.1/32.
import http from 'node:http';
import { randomUUID } from 'node:crypto';

const base = process.env.TODO_API_URL ?? 'http://localhost:8080';
const writes = Number(process.argv[2] ?? 1000);
const endpoints = Number(process.argv[3] ?? 1);

async function api(method, path, token, body) {
  const r = await fetch(base + path, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${path} -> ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

let received = 0;
let last = 0;
const server = http.createServer((req, res) => { req.resume(); req.on('end', () => { received++; last = Date.now(); res.writeHead(204).end(); }); });
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/hook`;

const users = [];
const ids = [];
for (let e = 0; e < endpoints; e++) {
  const auth = await api('POST', '/api/v1/auth/register', null, { email: `bench-${randomUUID()}@example.com`, password: 'webhook bench 1', name: 'Bench' });
  const endpoint = await api('POST', '/api/v1/webhooks', auth.access_token, { url, event_types: ['task.upserted'], enabled: !process.env.BACKLOG });
  users.push(auth.access_token);
  ids.push(endpoint.id);
}
const started = Date.now();
const perUser = Math.ceil(writes / endpoints);
await Promise.all(users.map(async (token) => {
  for (let done = 0; done < perUser; done += 100) {
    const n = Math.min(100, perUser - done);
    const commands = Array.from({ length: n }, (_, i) => ({ id: randomUUID(), type: 'task.create', args: { title: `bench ${done + i}` } }));
    await api('POST', '/api/v1/batch', token, { commands });
  }
}));
const written = Date.now();
let drainStart = started;
if (process.env.BACKLOG) {
  drainStart = Date.now();
  await Promise.all(users.map((token, i) => api('PATCH', `/api/v1/webhooks/${ids[i]}`, token, { enabled: true })));
}
const expected = perUser * endpoints;
while (received < expected) {
  if (Date.now() - started > 600_000) throw new Error(`only ${received} of ${expected} after 10 minutes`);
  await new Promise((r) => setTimeout(r, 20));
}
const seconds = (last - drainStart) / 1000;
console.log(JSON.stringify({ writes: expected, endpoints, write_seconds: (written - started) / 1000, delivered: received,
  backlog: Boolean(process.env.BACKLOG), seconds_until_last_delivery: seconds, events_per_second: Math.round(expected / seconds) }));
server.close();
