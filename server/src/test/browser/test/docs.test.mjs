// The documentation pages of a running server (TODO_API_URL), in the system's headless Chromium (CHROMIUM_PATH):
// Swagger UI's "Try it out" must call the origin that serves the docs, and Redoc must show that origin.
// Every step waits on a condition of the page (Playwright's auto-waiting locators), never on a fixed delay.
// A failing test leaves a screenshot, the page's HTML and its console/network log in ARTIFACTS_DIR.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const base = (process.env.TODO_API_URL ?? 'http://localhost:8080').replace(/\/+$/, '');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifacts = process.env.ARTIFACTS_DIR ?? 'target';
const STEP_TIMEOUT = 30_000; // per wait: generous, the build machine may be busy
const TEST_TIMEOUT = 180_000;

/** A fresh Chromium with a profile of its own (a new --user-data-dir), closed and deleted afterwards. */
async function launch() {
  const profileDir = mkdtempSync(join(tmpdir(), 'todo-docs-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    timeout: 60_000,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage', // containers often have a small /dev/shm (Debian's wrapper does not always add it)
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** Registers a fresh user through the API and returns its email and access token. */
async function register() {
  const email = `docs-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const response = await fetch(`${base}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct horse battery staple', name: 'Docs Tester' }),
  });
  assert.equal(response.status, 201, `register: ${response.status} ${await response.clone().text()}`);
  const { access_token: token } = await response.json();
  assert.ok(token, 'register returned no access_token');
  return { email, token };
}

/** Runs body with a fresh page; on failure keeps a screenshot, the HTML and a log of the page under artifacts. */
async function withPage(name, body) {
  const browser = await launch();
  browser.context.setDefaultTimeout(STEP_TIMEOUT);
  const page = browser.context.pages()[0] ?? await browser.context.newPage();
  const log = [];
  page.on('console', (message) => log.push(`console.${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => log.push(`pageerror: ${error.message}`));
  page.on('requestfailed', (request) => log.push(`requestfailed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`));
  page.on('response', (response) => log.push(`response: ${response.status()} ${response.request().method()} ${response.url()}`));
  try {
    await body(page);
  } catch (error) {
    mkdirSync(artifacts, { recursive: true });
    const file = join(artifacts, `${name}-failure`);
    await page.screenshot({ path: `${file}.png`, fullPage: true }).catch((e) => log.push(`screenshot failed: ${e.message}`));
    writeFileSync(`${file}.html`, await page.content().catch(() => ''));
    writeFileSync(`${file}.log`, log.join('\n') + '\n');
    console.error(`${name}: failed; ${file}.png, .html and .log kept. Page log:\n  ${log.join('\n  ')}`);
    throw error;
  } finally {
    await browser.close();
  }
}

describe(`docs of ${base}`, () => {
  test('Swagger UI: Authorize with a real token, Try it out, Execute GET /api/v1/auth/me: 200 from this origin', { timeout: TEST_TIMEOUT }, async () => {
    const { email, token } = await register();
    await withPage('swagger-ui', async (page) => {
      await page.goto(`${base}/docs`);

      // Authorize: the bearer scheme's value field in the dialog, then Authorize and Close.
      await page.locator('.scheme-container button.authorize').click();
      const dialog = page.locator('.dialog-ux .modal-ux');
      await dialog.locator('input').fill(token);
      await dialog.locator('.auth-btn-wrapper button.authorize').click();
      await dialog.getByRole('heading', { name: 'Authorized', exact: true }).waitFor(); // shown once the value is taken
      await dialog.locator('button.btn-done').click();
      await dialog.waitFor({ state: 'detached' });

      // GET /api/v1/auth/me: expand, Try it out, Execute.
      const operation = page.locator('#operations-auth-getMe');
      await operation.locator('.opblock-summary-control').click();
      await operation.locator('button.try-out__btn').click();
      await operation.locator('button.execute').click();

      // The live response: shown for an answer and for a network or CORS failure alike.
      const live = operation.locator('.live-responses-table tbody .response');
      await live.waitFor();
      const requestUrl = (await operation.locator('.request-url pre').textContent()).trim();
      const status = (await live.locator('.response-col_status').textContent()).trim();
      const shown = (await live.locator('.response-col_description').textContent()).replace(/\s+/g, ' ').trim();

      assert.equal(status, '200', `Swagger UI called ${requestUrl} and shows "${status}": ${shown}`);
      assert.equal(requestUrl, `${base}/api/v1/auth/me`, 'Swagger UI must call the origin that serves the docs');
      assert.ok(shown.includes(`"email": "${email}"`), `the signed-in user is shown: ${shown}`);
    });
  });

  test('Redoc: renders the operations and names this origin as the server', { timeout: TEST_TIMEOUT }, async () => {
    await withPage('redoc', async (page) => {
      await page.goto(`${base}/redoc`);
      const operation = page.locator('[data-section-id="operation/getMe"]');
      await operation.getByText('The signed-in user', { exact: true }).first().waitFor();
      // The endpoint box of the right panel: clicking it opens the server list with the operation's full URL.
      await operation.getByRole('button', { name: /\/api\/v1\/auth\/me/ }).first().click();
      await operation.getByText(`${base}/api/v1/auth/me`, { exact: true }).first().waitFor({ state: 'visible' })
          .catch(async (error) => {
            const shown = await operation.textContent();
            throw new Error(`Redoc does not show ${base}/api/v1/auth/me (${error.message}); the section reads: ${shown}`);
          });
    });
  });
});
