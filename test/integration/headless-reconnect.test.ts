// A headless tab outlives its runtime: Debian's Chromium opens the URL a real `devpay serve
// --headless --sim` prints, the process is killed (SIGKILL, as a crash or power cut would) and
// started again on the same data folder and port, and the same tab, never reloaded, comes back
// by itself: the restarted runtime kept its session token in the data folder, so it accepts the
// URL it printed before. While the runtime is down the page says it is reconnecting (the
// bridge's data-runtime-connection state and the status bar's runtime indicator); once back, the
// status bar shows central reachable again and a charge on the counter screen is approved.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { requireTools } from '../harness/require-tool.js';
import { chromiumPath, launchChromium } from '../harness/chromium.js';
import { startDevpay, type DevpayProcess } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { freePort } from '../harness/free-port.js';
import { Cleanup } from '../harness/cleanup.js';
import { sessionTokenFileName } from '../../runtime/api/session-token.js';
import { signIn } from '../harness/operator-sign-in.js';

const connection = (state: string): string => `html[data-runtime-connection="${state}"]`;
/** The status bar's link chip when central answers (data-state "online"; "up" in the older bar). */
const centralAnswers = '[data-testid="link"][data-state="online"], [data-testid="link"][data-state="up"]';

async function waitFor(page: Page, server: () => DevpayProcess, selector: string, what: string, timeoutMs = 20_000): Promise<void> {
  try {
    // Attached, not visible: the connection state is an attribute of <html>, not something drawn.
    await page.locator(selector).first().waitFor({ state: 'attached', timeout: timeoutMs });
  } catch (error) {
    const bar = (await page.locator('[data-testid="status-bar"]').count()) > 0 ? await page.locator('[data-testid="status-bar"]').innerText() : '(no status bar)';
    throw new Error(`${what} (${selector}) did not appear: ${(error as Error).message}\nstatus bar: ${bar}\ndevpay output:\n${server().output()}`);
  }
}

test('a headless tab reconnects by itself after the runtime is killed and restarted on the same folder and port', { timeout: 120_000 }, async (context) => {
  if (!requireTools(context, [chromiumPath])) return;
  assert.ok(existsSync('dist/renderer/index.html'), 'the renderer is built (npm test runs the build first)');
  const cleanup = new Cleanup();
  const dataDir = freshDir('headless-reconnect');
  const port = await freePort();
  const start = (): Promise<DevpayProcess> => startDevpay(['serve', '--headless', '--sim', '--no-pcsc', '--data', dataDir, '--port', String(port)]);
  let server = await start();
  cleanup.add('devpay serve', () => server.stop());
  // The counter screen is for a signed-in operator; the page reads the terminal's session.
  await signIn(server.url);
  const browser = await launchChromium();
  cleanup.add('chromium', () => browser.close());
  try {
    const tokenFile = join(dataDir, sessionTokenFileName);
    assert.equal(statSync(tokenFile).mode & 0o777, 0o600, 'the session token is kept with mode 0600');
    const firstUrl = server.url;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(firstUrl);
    await waitFor(page, () => server, connection('connected'), 'the first connection');
    await waitFor(page, () => server, centralAnswers, 'central reachable');

    assert.equal(await server.stop('SIGKILL'), 'SIGKILL');
    await waitFor(page, () => server, connection('reconnecting'), 'the reconnecting state', 5_000);
    await waitFor(page, () => server, '[data-testid="runtime"][data-state="down"]', 'the status bar saying the runtime is not connected', 5_000);
    assert.match(await page.locator('[data-testid="runtime"]').innerText(), /not connected/i);
    // Down for a while: the bridge keeps dialling with its backoff, and nothing breaks the page.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(await page.locator(connection('reconnecting')).count(), 1);

    server = await start();
    assert.equal(server.url, firstUrl, 'the same folder serves the same URL: the token was kept');
    // A restart signs everyone out (the session is kept in memory only): the operator signs in again.
    await signIn(server.url);
    // Within the backoff's 5 s cap and the status reload.
    await waitFor(page, () => server, connection('connected'), 'the tab reconnecting by itself', 15_000);
    await waitFor(page, () => server, centralAnswers, 'central reachable after the restart');
    assert.equal(await page.locator('[data-testid="runtime"]').count(), 0, 'the status bar no longer says the runtime is away');
    assert.equal(page.url(), firstUrl, 'the tab was never reloaded or sent elsewhere');

    // A charge works on the reconnected tab: the first simulated card, in its own currency.
    await waitFor(page, () => server, '[data-testid="sim-card-0"]', 'the simulated cards');
    const currency = (await page.locator('[data-testid="sim-card-0"]').getAttribute('data-currency')) ?? '';
    await page.click(`[data-testid="currency-${currency}"]`);
    for (const key of ['5', '0', '0']) await page.click(`[data-testid="key-${key}"]`);
    await page.click('[data-testid="charge"]');
    await waitFor(page, () => server, '[data-testid="payment-state"][data-state="waiting_for_card"]', 'the payment waiting for a card');
    await page.click('[data-testid="sim-card-0"]');
    await waitFor(page, () => server, '[data-testid="payment-result"][data-outcome="approved"]', 'the approval after the reconnect');
    assert.deepEqual(pageErrors, [], 'no script errors in the page');
  } finally {
    await cleanup.run();
  }
});
