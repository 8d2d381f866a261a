// Time from a write's 2xx to its event at a local receiver: one endpoint, sequential single task creates.
//   TODO_API_URL=http://localhost:8080 node bench/webhooks/latency.mjs [writes=50]
import http from 'node:http';
import { randomUUID } from 'node:crypto';

const base = process.env.TODO_API_URL ?? 'http://localhost:8080';
const writes = Number(process.argv[2] ?? 50);
async function api(method, path, token, body) {
  const r = await fetch(base + path, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${path} -> ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
const arrived = new Map();
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => { arrived.set(JSON.parse(Buffer.concat(chunks)).data.id, performance.now()); res.writeHead(204).end(); });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const auth = await api('POST', '/api/v1/auth/register', null, { email: `lat-${randomUUID()}@example.com`, password: 'webhook bench 1', name: 'Bench' });
await api('POST', '/api/v1/webhooks', auth.access_token, { url: `http://127.0.0.1:${server.address().port}/hook`, event_types: ['task.upserted'] });
const latencies = [];
for (let i = 0; i < writes; i++) {
  const task = await api('POST', '/api/v1/tasks', auth.access_token, { title: `latency ${i}` });
  const acked = performance.now();
  while (!arrived.has(task.id)) await new Promise((r) => setTimeout(r, 1));
  latencies.push(arrived.get(task.id) - acked);
}
latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
console.log(JSON.stringify({ writes, p50_ms: q(0.5), p95_ms: q(0.95), max_ms: latencies.at(-1).toFixed(1) }));
server.close();
