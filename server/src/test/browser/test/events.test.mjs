// The live event stream in a real browser (the system's headless Chromium): a page opens an EventSource with a
// one-time ticket (EventSource cannot send an Authorization header), another "device" (this Node process) writes through
// the API, and the page must receive the change, then read it. (Resuming with Last-Event-ID, across instances, is
// EventStreamTest's.) Waits are on conditions of the page, never fixed delays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, base, withBrowser } from '../lib/browser.mjs';

test('a browser tab sees a change made on another device, through EventSource and a ticket', { timeout: 180_000 }, async () => {
  const email = `events-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const { access_token: token } = await api('POST', '/api/v1/auth/register', undefined,
    { email, password: 'correct horse battery staple' });

  await withBrowser('events', async (context, page) => {
    await page.goto(`${base}/health/live`); // any page of the API's origin
    // The web app: a ticket with the access token, then an EventSource that records what arrives.
    await page.evaluate(async (accessToken) => {
      window.received = [];
      const { ticket } = await (await fetch('/api/v1/events/tickets', {
        method: 'POST', headers: { Authorization: `Bearer ${accessToken}` },
      })).json();
      const source = new EventSource(`/api/v1/events?ticket=${encodeURIComponent(ticket)}`);
      window.source = source;
      source.addEventListener('changes', (event) => {
        window.received.push({ at: Date.now(), id: event.lastEventId, data: JSON.parse(event.data) });
      });
      await new Promise((resolve, reject) => {
        source.onopen = resolve;
        source.onerror = () => reject(new Error('the stream did not open'));
      });
    }, token);

    // Another device writes.
    const task = await api('POST', '/api/v1/tasks', token, { title: 'From the phone' });
    const acknowledged = Date.now();
    const seen = await page.waitForFunction((id) => window.received.find(
      (event) => event.data.changes.some((change) => change.type === 'task' && change.id === id)), task.id);
    const event = await seen.jsonValue();
    assert.equal(event.id, event.data.sync_token, 'the event id is the feed position');
    console.log(`browser tab: the change arrived ${event.at - acknowledged} ms after the write was acknowledged`);

    // The tab reads the task the event named, with its token, as a web app would.
    const read = await page.evaluate(async ([accessToken, id]) => (await fetch(`/api/v1/tasks/${id}`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    })).json(), [token, task.id]);
    assert.equal(read.title, 'From the phone');
  });
});
