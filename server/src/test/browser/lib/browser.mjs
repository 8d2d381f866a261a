// Shared by the browser tests of the event stream and the Replica: the API under test, called from Node.js (as
// "another device"), and a fresh headless Chromium (the system's) with a profile of its own.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const base = (process.env.TODO_API_URL ?? 'http://localhost:8080').replace(/\/+$/, '');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A request to the API; fails the test unless it succeeds. The parsed body, if any. */
export async function api(method, path, token, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Runs body(context, page) in a fresh Chromium, closed and its profile deleted afterwards. */
export async function withBrowser(name, body) {
  const profileDir = mkdtempSync(join(tmpdir(), `todo-${name}-chromium-`));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    timeout: 60_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    context.setDefaultTimeout(30_000);
    const page = context.pages()[0] ?? await context.newPage();
    await body(context, page);
  } finally {
    await context.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
}
