// End to end: the real `devpay serve --headless --sim` process, the real UI in Debian's
// Chromium. The one-line status bar must say online, synced and devices OK, and its details
// drawer the simulated devices and central as reachable (through the embedded broker); the keypad
// must build an amount, and a screenshot is kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { requireTools } from '../harness/require-tool.js';
import { chromiumPath, launchChromium } from '../harness/chromium.js';
import { runDevpay, startDevpay } from '../harness/devpay-process.js';
import { freshDir, testOutputDir } from '../harness/output-dir.js';
import { signIn } from '../harness/operator-sign-in.js';

test('the headless UI shows simulated devices and a reachable central', { timeout: 90_000 }, async (context) => {
  if (!requireTools(context, [chromiumPath])) return;
  assert.ok(existsSync('dist/renderer/index.html'), 'the renderer is built (npm test runs the build first)');
  // Test payments of `devpay ledger load` stay on the terminal (central refuses their kind), so
  // the outbox shows nothing waiting; the sync tests drain card payments through real processes.
  const dataDir = freshDir('e2e-data');
  assert.equal((await runDevpay(['ledger', 'load', '--data', dataDir, '--count', '3'])).code, 0);
  const server = await startDevpay(['serve', '--headless', '--sim', '--no-pcsc', '--data', dataDir, '--port', '0']);
  // The counter screen is for a signed-in operator; the page reads the terminal's session.
  await signIn(server.url);
  const browser = await launchChromium();
  const consoleErrors: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(server.url);

    await page.locator('[data-testid="link"][data-state="online"]').waitFor({ timeout: 20_000 });
    assert.match(await page.locator('[data-testid="link"]').innerText(), /Online/);
    await page.locator('[data-testid="devices-summary"][data-state="ok"]').waitFor();
    await page.click('[data-testid="status-summary"]');
    await page.locator('[data-testid="central"][data-state="up"]').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="broker"][data-state="up"]').waitFor();
    await page.locator('[data-testid="link-state"][data-state="online"]').waitFor();
    const reader = page.locator('[data-testid="device"][data-descriptor="sim:card-reader/0"]');
    await reader.waitFor();
    assert.equal(await reader.getAttribute('data-health'), 'ok');
    assert.match((await reader.textContent()) ?? '', /Card reader/);
    assert.equal(await page.locator('[data-testid="device"]').count(), 3, 'reader, fingerprint and printer');
    assert.match((await page.locator('[data-testid="central"]').innerText()).replace(/\s+/g, ' '), /Central Reachable/);
    await page.locator('[data-testid="unsynced"][data-count="0"]').waitFor({ timeout: 20_000 });
    const screenshotPath = join(testOutputDir('e2e'), 'headless-status.png');
    await page.screenshot({ path: screenshotPath, fullPage: true });
    assert.ok(existsSync(screenshotPath));
    await page.click('[data-testid="drawer-close"]');

    await page.click('[data-testid="currency-USD"]');
    for (const key of ['1', '2', '5', '0']) await page.click(`[data-testid="key-${key}"]`);
    const amount = page.locator('[data-testid="amount"]');
    assert.equal(await amount.getAttribute('data-amount-minor'), '1250');
    const amountText = page.locator('[data-testid="amount-input"]');
    assert.equal(await amountText.inputValue(), '$12.50');
    await page.click('[data-testid="currency-IRR"]');
    assert.match(await amountText.inputValue(), /^IRR\s1,250$/);
    await page.click('[data-testid="key-back"]');
    assert.equal(await amount.getAttribute('data-amount-minor'), '125');
  } finally {
    await browser.close();
    const exit = await server.stop('SIGINT');
    assert.equal(exit, 0, `devpay serve exits cleanly on SIGINT:\n${server.output()}`);
  }
  assert.deepEqual(consoleErrors, [], 'no CSP violations or script errors in the page');
});

test('the API refuses a WebSocket without the session token', { timeout: 30_000 }, async () => {
  const server = await startDevpay(['serve', '--headless', '--sim', '--no-pcsc', '--data', freshDir('e2e-token'), '--port', '0']);
  try {
    const base = new URL(server.url);
    const { WebSocket } = await import('ws');
    const refusal = (url: string, headers: Record<string, string> = {}): Promise<string> =>
      new Promise((resolve) => {
        const socket = new WebSocket(url, { headers });
        socket.on('open', () => {
          socket.close();
          resolve('opened');
        });
        socket.on('unexpected-response', (_request, response) => resolve(String(response.statusCode)));
        socket.on('error', () => resolve('error'));
      });
    const token = base.searchParams.get('token')!;
    assert.equal(await refusal(`ws://${base.host}/api?token=${'0'.repeat(token.length)}`), '403');
    assert.equal(await refusal(`ws://${base.host}/api`), '403');
    assert.equal(await refusal(`ws://${base.host}/api?token=${token}`, { Origin: 'http://evil.example' }), '403');
    assert.equal(await refusal(`ws://${base.host}/api?token=${token}`, { Host: 'evil.example' }), '403');
    assert.equal(await refusal(`ws://${base.host}/api?token=${token}`, { Origin: `http://${base.host}` }), 'opened');
  } finally {
    await server.stop();
  }
});
