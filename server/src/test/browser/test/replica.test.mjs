// The TypeScript package's sync helper in a real browser tab (the system's headless Chromium), loaded as the web app
// would load it (its built ES modules, client-sdk/typescript/dist, served to the page under /__pkg/): a Replica kept
// live by the event stream shows a task another device creates; an edit made while the browser is offline
// (Playwright's offline mode: every request fails, as without a network) is queued and reaches the server once it is
// back online. Waits are on conditions of the page, never fixed delays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { api, base, withBrowser } from '../lib/browser.mjs';

const dist = process.env.TODO_TS_DIST ?? fileURLToPath(new URL('../../../../../client-sdk/typescript/dist/', import.meta.url));
const PASSWORD = 'correct horse battery staple';

test('a live Replica in a browser tab: another device\'s change appears, an offline edit is sent when back online', { timeout: 180_000 }, async () => {
  assert.ok(existsSync(join(dist, 'index.js')), `no built package in ${dist}: build client-sdk first (./mvnw -pl client-sdk install)`);
  const email = `replica-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const { access_token: phone } = await api('POST', '/api/v1/auth/register', undefined, { email, password: PASSWORD });

  await withBrowser('replica', async (context, page) => {
    await page.route('**/__pkg/**', (route) => {
      const file = join(dist, new URL(route.request().url()).pathname.replace(/^\/__pkg\//, ''));
      return existsSync(file)
        ? route.fulfill({ status: 200, contentType: 'text/javascript', body: readFileSync(file) })
        : route.fulfill({ status: 404, body: 'not found' });
    });
    await page.goto(`${base}/health/live`); // a page of the API's origin
    await page.evaluate(async ([user, password]) => {
      const { createClient, Replica } = await import('/__pkg/index.js');
      const client = createClient({ basePath: location.origin });
      await client.login(user, password);
      const replica = await Replica.open(client);
      await replica.sync();
      window.replica = replica;
      window.titles = () => replica.tasks().map((task) => task.title).sort();
      window.stream = replica.live({ retryMs: 200 });
    }, [email, PASSWORD]);
    await page.waitForFunction(() => window.stream.connected);

    // Another device creates a task: the tab's replica shows it, through the stream and a pull.
    const task = await api('POST', '/api/v1/tasks', phone, { title: 'Made on the phone' });
    const acknowledged = Date.now();
    await page.waitForFunction(() => window.titles().includes('Made on the phone'));
    console.log(`live Replica in a browser tab: another device's task shown ${Date.now() - acknowledged} ms after its write was acknowledged`);

    // Offline, the tab edits it: queued, shown at once, not on the server.
    await context.setOffline(true);
    const offline = await page.evaluate(async (id) => {
      await window.replica.updateTask(id, { title: 'Edited offline in the tab' });
      const result = await window.replica.sync();
      return { offline: result.offline, pending: window.replica.pending.length, title: window.replica.task(id).title };
    }, task.id);
    assert.deepEqual(offline, { offline: true, pending: 1, title: 'Edited offline in the tab' });
    assert.equal((await api('GET', `/api/v1/tasks/${task.id}`, phone)).title, 'Made on the phone');

    // Back online: the queue goes out, the server has the edit.
    await context.setOffline(false);
    const online = await page.evaluate(async () => {
      const result = await window.replica.sync();
      return { offline: result.offline, applied: result.push.applied, pending: window.replica.pending.length };
    });
    assert.deepEqual(online, { offline: false, applied: 1, pending: 0 });
    assert.equal((await api('GET', `/api/v1/tasks/${task.id}`, phone)).title, 'Edited offline in the tab');
    await page.evaluate(() => window.stream.close());
  });
});
