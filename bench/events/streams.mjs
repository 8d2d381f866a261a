// Event streams under load: opens N streams (GET /api/v1/events) to the server at BASE as one user, holds them for
// HOLD_MS (measure the server meanwhile, e.g. `jcmd <pid> GC.run; jcmd <pid> GC.heap_info`, and its RSS and threads),
// then writes one task and reports how long it took to reach all N streams. docs/events.md has the figures.
//   BASE=http://localhost:8080 N=1000 HOLD_MS=15000 node bench/events/streams.mjs
// (a server started with TODO_EVENTS_MAX_STREAMS_PER_USER >= N and AUTH_RATE_LIMIT_PER_MINUTE raised)
import http from 'node:http';
const BASE = process.env.BASE, N = Number(process.env.N ?? 1000);
const j = async (method, path, token, body) => (await fetch(BASE + path, { method, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: body && JSON.stringify(body) })).json();
const { access_token: token } = await j('POST', '/api/v1/auth/register', null, { email: `m${Date.now()}@example.com`, password: 'correct horse battery staple' });
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
let open = 0; const seen = new Set(); let target = null, started = 0;
await new Promise((resolve) => {
  for (let i = 0; i < N; i++) {
    http.get(BASE + '/api/v1/events', { agent, headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' } }, (res) => {
      res.setEncoding('utf8');
      let buffered = '';
      res.on('data', (chunk) => {
        buffered += chunk;
        if (buffered.includes(':connected') && !res.counted) { res.counted = true; if (++open === N) resolve(); }
        if (target && buffered.includes(target) && !seen.has(i)) { seen.add(i); if (seen.size === N) { console.log(`one change reached all ${N} streams in ${Date.now() - started} ms`); } }
      });
    });
  }
});
console.log(`${N} streams open`);
await new Promise((r) => setTimeout(r, Number(process.env.HOLD_MS ?? 15000)));
started = Date.now();
const task = await j('POST', '/api/v1/tasks', token, { title: 'fan-out' });
target = task.id;
await new Promise((r) => setTimeout(r, 5000));
console.log(`seen by ${seen.size}`);
process.exit(0);
