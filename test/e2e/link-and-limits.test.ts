// End to end, the honest screen: in Debian's Chromium against real `devpay serve --headless
// --sim` processes. A terminal whose broker never answers is shown offline (never online) with
// a banner that counts how long central has been silent, says what waits to sync, and runs Sync
// now with a busy state and a result; a charge there fits beside the banner at 800×480. When
// the page's connection to the runtime drops, "reconnecting" shows and Charge and Cancel are
// disabled, not dead; an amount above central's maximum is refused on screen before Charge; an
// 18-digit amount fits; an alert is listed again after a reload until dismissed; a card tapped
// with no charge open gets its notice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { defaultMaxPaymentMinor } from '../../core/ledger/limits.js';
import { requireTools } from '../harness/require-tool.js';
import { chromiumPath, launchChromium } from '../harness/chromium.js';
import { startDevpay } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { freePort } from '../harness/free-port.js';
import { openApiSession } from '../harness/api-session.js';
import { assertFits } from './support/layout.js';
import { assertAccessible } from './support/axe.js';
import { focused, openUi } from './support/ui-session.js';
import { signIn } from '../harness/operator-sign-in.js';

const size = { width: 800, height: 480 };
const stateTimeoutMs = 20_000;

async function typeDigits(page: Page, digits: string): Promise<void> {
  await page.keyboard.press('Delete');
  for (const digit of digits) await page.keyboard.press(digit);
}

async function withBrowser(run: (browser: Browser) => Promise<void>): Promise<void> {
  const browser = await launchChromium();
  try {
    await run(browser);
  } finally {
    await browser.close();
  }
}

test('a terminal whose central is silent says so, for how long, and syncs on demand', { timeout: 120_000 }, async (context) => {
  if (!requireTools(context, [chromiumPath])) return;
  const deadBroker = await freePort();
  // Provisioned (a sync key), as a terminal in the field is: the simulator then has its demo
  // operators, and the counter screen is for a signed-in one (the page reads the session).
  const server = await startDevpay(['serve', '--headless', '--sim', '--no-pcsc', '--data', freshDir('e2e-offline'), '--port', '0', '--mqtt', `127.0.0.1:${deadBroker}`], {
    env: { DEVPAY_SYNC_KEY: '7a'.repeat(32) },
  });
  try {
    await signIn(server.url);
    await withBrowser(async (browser) => {
      const ui = await openUi(browser, server.url, size, 'offline');
      const { page } = ui;
      const banner = page.locator('[data-testid="link-banner"]');
      await banner.waitFor({ timeout: stateTimeoutMs });
      const state = await banner.getAttribute('data-state');
      assert.ok(state === 'offline' || state === 'degraded', `the banner shows for an offline or degraded link (${state})`);
      assert.equal(await page.locator('[data-testid="link"]').getAttribute('data-state'), state);
      assert.doesNotMatch(await page.locator('[data-testid="status-summary"]').innerText(), /Online/, 'never online while central is silent');
      assert.match(await page.locator('[data-testid="banner-backlog"]').innerText(), /Nothing waiting to sync/);

      // The silence ticks.
      const silent = page.locator('[data-testid="silent-duration"]');
      const first = await silent.innerText();
      await page.waitForTimeout(2100);
      assert.notEqual(await silent.innerText(), first, 'the time central has been silent keeps counting');
      assert.match(await silent.innerText(), /sec/);

      // Sync now: busy, then a result either way, and the button is usable again.
      const syncNow = page.locator('[data-testid="sync-now"]');
      await syncNow.click();
      await page.locator('[data-testid="sync-now"][data-state="done"], [data-testid="sync-now"][data-state="failed"]').waitFor({ timeout: stateTimeoutMs });
      assert.match(await page.locator('[data-testid="sync-now-result"]').innerText(), /Sync (done|did not finish)/);
      await assertFits(page, 'offline banner');
      await assertAccessible(page, 'offline banner');
      await ui.shot('1-banner');

      // A charge started here fits beside the banner, and so does its end (this terminal's
      // simulator has no cards without central, so the charge is cancelled).
      await typeDigits(page, '1250');
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="payment-state"][data-state="waiting_for_card"]').waitFor({ timeout: stateTimeoutMs });
      await assertFits(page, 'waiting beside the offline banner');
      await page.keyboard.press('Escape');
      await page.locator('[data-testid="payment-result"][data-outcome="cancelled"]').waitFor({ timeout: stateTimeoutMs });
      await assertFits(page, 'a result beside the offline banner');
      await assertAccessible(page, 'a result beside the offline banner');
      await ui.shot('2-result');
      assert.deepEqual(ui.consoleErrors, []);
    });
  } finally {
    await server.stop('SIGINT');
  }
});

test('reconnecting, the maximum amount, long amounts and an ignored card', { timeout: 120_000 }, async (context) => {
  if (!requireTools(context, [chromiumPath])) return;
  const server = await startDevpay(['serve', '--headless', '--sim', '--no-pcsc', '--data', freshDir('e2e-limits'), '--port', '0']);
  const base = new URL(server.url);
  const api = await openApiSession(`ws://${base.host}/api?token=${base.searchParams.get('token')}`);
  try {
    await signIn(api);
    await withBrowser(async (browser) => {
      const ui = await openUi(browser, server.url, size, 'limits');
      const { page, gate } = ui;
      await page.locator('[data-testid="sim-card-0"]').waitFor({ timeout: stateTimeoutMs });
      const charge = page.locator('[data-testid="charge"]');

      // Above the maximum for the currency: said by name, Charge refused, Enter does nothing.
      const maximum = BigInt(defaultMaxPaymentMinor.USD);
      await typeDigits(page, String(maximum + 1n));
      const note = page.locator('[data-testid="amount-note"]');
      assert.match(await note.innerText(), /Over the maximum of \$10,000\.00/);
      assert.equal(await page.locator('[data-testid="amount-input"]').getAttribute('aria-invalid'), 'true');
      assert.equal(await charge.getAttribute('aria-disabled'), 'true');
      await page.keyboard.press('Enter');
      await page.waitForTimeout(300);
      assert.equal(await page.locator('[data-testid="payment-state"]').count(), 0, 'no charge starts above the maximum');
      await typeDigits(page, String(maximum));
      assert.equal(await charge.getAttribute('aria-disabled'), 'false', 'the maximum itself may be charged');

      // Eighteen digits fit at 800×480 in the widest currencies; a nineteenth is refused.
      for (const currency of ['USDT', 'IRR'] as const) {
        await page.click(`[data-testid="currency-${currency}"]`);
        await typeDigits(page, '9'.repeat(19));
        assert.equal(await page.locator('[data-testid="amount"]').getAttribute('data-amount-minor'), '9'.repeat(18));
        await assertFits(page, `18 digits of ${currency}`);
        await ui.shot(`1-long-${currency}`);
      }

      // Reconnecting: a charge waits for its card when the page loses the runtime.
      await page.click('[data-testid="currency-USD"]');
      await typeDigits(page, '500');
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="payment-state"][data-state="waiting_for_card"]').waitFor({ timeout: stateTimeoutMs });
      gate.dropConnections();
      await page.locator('[data-testid="reconnecting"]').waitFor({ timeout: stateTimeoutMs });
      const cancel = page.locator('[data-testid="cancel-payment"]');
      assert.equal(await cancel.getAttribute('aria-disabled'), 'true', 'Cancel is disabled while reconnecting');
      assert.equal(await charge.getAttribute('aria-disabled'), 'true', 'Charge is disabled while reconnecting');
      assert.equal(await focused(page), 'cancel-payment', 'the focus stays on the disabled Cancel');
      await page.keyboard.press('Escape');
      await assertFits(page, 'reconnecting');
      await assertAccessible(page, 'reconnecting');
      await ui.shot('2-reconnecting');
      gate.allowConnections();
      await page.locator('[data-testid="reconnecting"]').waitFor({ state: 'detached', timeout: stateTimeoutMs });
      assert.equal(await page.locator('[data-testid="payment-state"]').getAttribute('data-state'), 'waiting_for_card', 'Escape did nothing while reconnecting');
      await page.keyboard.press('Escape');
      await page.locator('[data-testid="payment-result"][data-outcome="cancelled"]').waitFor({ timeout: stateTimeoutMs });

      // An alert stays until dismissed: the page reads alerts.list again after a reload.
      gate.raiseAlert({
        id: '01TESTALERTKEPT',
        kind: 'card_revoked',
        atMs: Date.now(),
        reason: 'double_spend',
        transactionId: null,
        amountMinor: null,
        currency: null,
        panMasked: '899100******4321',
        dismissedAtMs: null,
      });
      await page.locator('[data-testid="alert"][data-alert-id="01TESTALERTKEPT"]').waitFor({ timeout: stateTimeoutMs });
      await page.reload();
      await page.locator('[data-testid="alert"][data-alert-id="01TESTALERTKEPT"]').waitFor({ timeout: stateTimeoutMs });
      assert.match(await page.locator('[data-testid="alert-text"]').innerText(), /Central blocked this card: the same card tap was used twice/);
      await page.click('[data-testid="alert-dismiss"]');
      await page.locator('[data-testid="alert"]').waitFor({ state: 'detached' });
      await page.reload();
      await page.locator('[data-testid="sim-card-0"]').waitFor({ timeout: stateTimeoutMs });
      assert.equal(await page.locator('[data-testid="alert"]').count(), 0, 'a dismissed alert stays dismissed');

      // A card tapped with no charge open: the runtime ignores it and the screen says so.
      await api.call('sim.tap', { cardIndex: 0 });
      const notice = page.locator('[data-testid="card-ignored"]');
      await notice.waitFor({ timeout: stateTimeoutMs });
      assert.match(await notice.innerText(), /Card ignored: no charge is open/);
      await assertFits(page, 'card ignored');
      await ui.shot('3-card-ignored');
      await notice.waitFor({ state: 'detached', timeout: stateTimeoutMs });
      assert.deepEqual(
        ui.consoleErrors.filter((error) => !/WebSocket/.test(error)),
        [],
        'no CSP violations or script errors (a refused reconnection logs a WebSocket error)',
      );
    });
  } finally {
    await api.close();
    await server.stop('SIGINT');
  }
});
