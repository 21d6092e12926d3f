// Keyboard only, in Debian's Chromium against a real `devpay serve --headless --sim`: from page
// load, a USD 12.50 charge takes at most 8 key presses (counted here, every one of them), the
// simulated card is tapped through the API (a card tap is not a key press), and the payment is
// approved. The focus follows the sale and never falls to <body>: the amount on load, Cancel
// while the card is awaited, New payment on the result. Arrow keys move the currency within
// one radio group (one tab stop), Escape cancels a waiting charge, Persian digits type too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { requireTools } from '../harness/require-tool.js';
import { chromiumPath, launchChromium } from '../harness/chromium.js';
import { startDevpay } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { openApiSession } from '../harness/api-session.js';
import { focused, openUi } from './support/ui-session.js';
import { signIn } from '../harness/operator-sign-in.js';

const stateTimeoutMs = 20_000;

test('a USD 12.50 payment by keyboard alone takes at most 8 key presses from page load', { timeout: 120_000 }, async (context) => {
  if (!requireTools(context, [chromiumPath])) return;
  assert.ok(existsSync('dist/renderer/index.html'), 'the renderer is built (npm test runs the build first)');
  const server = await startDevpay(['serve', '--headless', '--sim', '--no-pcsc', '--data', freshDir('e2e-keyboard'), '--port', '0']);
  const base = new URL(server.url);
  const api = await openApiSession(`ws://${base.host}/api?token=${base.searchParams.get('token')}`);
  // Signed in over the API before the page loads: no key press of the count goes to signing in.
  await signIn(api);
  const browser = await launchChromium();
  try {
    const ui = await openUi(browser, server.url, { width: 800, height: 480 }, 'keyboard');
    const { page } = ui;
    await page.locator('[data-testid="sim-card-0"]').waitFor({ timeout: stateTimeoutMs });
    let presses = 0;
    const press = async (key: string): Promise<void> => {
      presses += 1;
      await page.keyboard.press(key);
    };
    const amount = page.locator('[data-testid="amount"]');

    // From load: the focus is on the amount and US dollars are selected in English.
    assert.equal(await focused(page), 'amount-input');
    for (const key of ['1', '2', '5', '0']) await press(key);
    assert.equal(await amount.getAttribute('data-amount-minor'), '1250');
    assert.equal(await amount.getAttribute('data-currency'), 'USD');
    await press('Enter');
    await page.locator('[data-testid="payment-state"][data-state="waiting_for_card"]').waitFor({ timeout: stateTimeoutMs });
    assert.ok(presses <= 8, `${presses} key presses from page load to a charge waiting for its card`);
    assert.equal(await focused(page), 'cancel-payment');

    const cards = await api.call<{ cardIndex: number; currency: string }[]>('sim.cards');
    const usdCard = cards.find((card) => card.currency === 'USD');
    assert.ok(usdCard, 'the simulator has a USD card');
    await api.call('sim.tap', { cardIndex: usdCard.cardIndex });
    await page.locator('[data-testid="payment-result"][data-outcome="approved"]').waitFor({ timeout: stateTimeoutMs });
    assert.equal(await page.locator('[data-testid="receipt"]').getAttribute('data-amount-minor'), '1250');
    assert.equal(await focused(page), 'new-payment');
    context.diagnostic(`USD 12.50 approved after ${presses} key presses`);

    // Enter on New payment starts the next sale with the focus on the amount.
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('[data-testid="payment-result"]').count(), 0);
    assert.equal(await focused(page), 'amount-input');

    // One tab stop for the currencies: the checked one; arrows move and select.
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'currency-USD');
    await page.keyboard.press('ArrowRight');
    assert.equal(await focused(page), 'currency-EUR');
    assert.equal(await page.locator('[data-testid="currency-EUR"]').getAttribute('aria-checked'), 'true');
    assert.equal(await amount.getAttribute('data-currency'), 'EUR');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await amount.getAttribute('data-currency'), 'TRY');
    assert.equal(await page.locator('[role="radio"][tabindex="0"]').count(), 1, 'one tab stop in the group');

    // Digits typed with the focus on a currency go to the amount; Persian digits count too;
    // Backspace deletes; Enter charges from the radio group; Escape cancels.
    await pressOnPersianLayout(page, '۴');
    for (const key of ['2', '0', '0']) await page.keyboard.press(key);
    await page.keyboard.press('Backspace');
    assert.equal(await amount.getAttribute('data-amount-minor'), '420');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="payment-state"][data-state="waiting_for_card"]').waitFor({ timeout: stateTimeoutMs });
    assert.equal(await focused(page), 'cancel-payment');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="payment-result"][data-outcome="cancelled"]').waitFor({ timeout: stateTimeoutMs });
    assert.equal(await focused(page), 'new-payment');

    // Charge again repeats the cancelled amount without keying it.
    await assertChargeAgain(page);
    assert.deepEqual(ui.consoleErrors, [], 'no CSP violations or script errors in the page');
  } finally {
    await browser.close();
    await api.close();
    const exit = await server.stop('SIGINT');
    assert.equal(exit, 0, `devpay serve exits cleanly on SIGINT:\n${server.output()}`);
  }
});

/** A key of a Persian keyboard layout, as the browser's input pipeline delivers it. */
async function pressOnPersianLayout(page: Page, key: string): Promise<void> {
  const devtools = await page.context().newCDPSession(page);
  await devtools.send('Input.dispatchKeyEvent', { type: 'keyDown', key, text: key });
  await devtools.send('Input.dispatchKeyEvent', { type: 'keyUp', key });
  await devtools.detach();
}

async function assertChargeAgain(page: Page): Promise<void> {
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'charge-again');
  await page.keyboard.press('Enter');
  const progress = page.locator('[data-testid="payment-state"][data-state="waiting_for_card"]');
  await progress.waitFor({ timeout: stateTimeoutMs });
  assert.match(await progress.innerText(), /TRY\s4\.20/, 'en-US names the lira by its code');
  await page.keyboard.press('Escape');
  await page.locator('[data-testid="payment-result"][data-outcome="cancelled"]').waitFor({ timeout: stateTimeoutMs });
}
