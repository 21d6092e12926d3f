// End to end: a charge on the counter screen, in Debian's Chromium against the real
// `devpay serve --headless --sim` process and its embedded central. The merchant keys an amount in
// the first simulated card's home currency, charges, taps the card from the simulator panel and
// gets an online approval with a receipt (masked PAN, the card's next ATC, the time in the
// terminal's time zone); a charge in a currency the card does not hold is declined with its reason
// and the catalogue's message; a charge can be cancelled while it waits for a card, and a result
// ends the sale (the amount resets; Charge again reuses it). A screenshot of the receipt is kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { requireTools } from '../harness/require-tool.js';
import { chromiumPath, launchChromium } from '../harness/chromium.js';
import { startDevpay, type DevpayProcess } from '../harness/devpay-process.js';
import { freshDir, testOutputDir } from '../harness/output-dir.js';
import { currencies, isCurrencyCode, type CurrencyCode } from '../../core/currency.js';
import type { Preferences } from '../../core/api/preferences.js';
import { enReasons } from '../../renderer/i18n/catalogues/en-reasons.js';
import { openApiSession } from '../harness/api-session.js';
import { devpayBin } from '../../core/card/card-crypto.js';
import { signIn } from '../harness/operator-sign-in.js';

const resultTimeoutMs = 20_000;

/** What the payment and simulator panels say, for a failure message. */
async function panels(page: Page): Promise<string> {
  const text = async (selector: string): Promise<string> => ((await page.locator(selector).count()) > 0 ? await page.locator(selector).first().innerText() : '(absent)');
  return `payment panel: ${await text('.payment-panel')}\nsim panel: ${await text('[data-testid="sim-cards"]')}\nalerts: ${await text('[data-testid="alert"]')}`;
}

async function waitFor(page: Page, server: DevpayProcess, selector: string, what: string): Promise<void> {
  try {
    await page.locator(selector).waitFor({ timeout: resultTimeoutMs });
  } catch (error) {
    throw new Error(`${what} (${selector}) did not appear: ${(error as Error).message}\n${await panels(page)}\ndevpay output:\n${server.output()}`);
  }
}

async function keyAmount(page: Page, currency: CurrencyCode, keys: string[]): Promise<void> {
  await page.click(`[data-testid="currency-${currency}"]`);
  await page.click('[data-testid="key-clear"]');
  for (const key of keys) await page.click(`[data-testid="key-${key}"]`);
}

async function charge(page: Page, server: DevpayProcess): Promise<void> {
  const button = page.locator('[data-testid="charge"]');
  assert.equal(await button.isEnabled(), true, 'Charge is enabled for a non-zero amount');
  await button.click();
  await waitFor(page, server, '[data-testid="payment-state"][data-state="waiting_for_card"]', 'the payment waiting for a card');
  assert.equal(await button.isDisabled(), true, 'Charge is disabled while a payment is in progress');
  assert.equal(await page.locator('[data-testid="cancel-payment"]').count(), 1, 'Cancel is offered while waiting for a card');
}

async function newPayment(page: Page): Promise<void> {
  await page.click('[data-testid="new-payment"]');
  assert.equal(await page.locator('[data-testid="payment-result"]').count(), 0, 'New payment clears the result');
  assert.equal(await page.locator('[data-testid="amount"]').getAttribute('data-amount-minor'), '0', 'New payment clears the amount');
  assert.equal(await page.locator('[data-testid="charge"]').isDisabled(), true, 'Charge is disabled for amount 0');
}

/** 1250 minor units as en-US Intl formats them ("$12.50", "IRR 1,250"). */
function enUsMoney(amountMinor: bigint, currency: CurrencyCode): string {
  const { exponent } = currencies[currency];
  const decimal = `${amountMinor / 10n ** BigInt(exponent)}${exponent > 0 ? `.${(amountMinor % 10n ** BigInt(exponent)).toString().padStart(exponent, '0')}` : ''}`;
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: exponent, maximumFractionDigits: exponent });
  return (format.format as unknown as (value: string) => string)(decimal);
}

test('a charge on the counter screen is approved, declined and cancelled with the simulated cards', { timeout: 120_000 }, async (context) => {
  if (!requireTools(context, [chromiumPath])) return;
  assert.ok(existsSync('dist/renderer/index.html'), 'the renderer is built (npm test runs the build first)');
  const server = await startDevpay(['serve', '--headless', '--sim', '--no-pcsc', '--data', freshDir('e2e-payment'), '--port', '0']);
  const base = new URL(server.url);
  const api = await openApiSession(`ws://${base.host}/api?token=${base.searchParams.get('token')}`);
  // The counter screen is for a signed-in operator; the page reads the terminal's session.
  await signIn(api);
  // A zone half an hour off UTC, so a receipt shown in UTC could not pass for it.
  const preferences = await api.call<Preferences>('preferences.set', { timeZone: 'Asia/Tehran' });
  assert.equal(preferences.timeZone, 'Asia/Tehran');
  await api.close();
  const browser = await launchChromium();
  const consoleErrors: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(server.url);
    await page.locator('[data-testid="link"][data-state="online"]').waitFor({ timeout: 20_000 });
    await waitFor(page, server, '[data-testid="sim-card-0"]', 'the first simulated card');

    // The first card's home currency and its counter before the tap.
    const card = page.locator('[data-testid="sim-card-0"]');
    const cardCurrency = (await card.getAttribute('data-currency')) ?? '';
    assert.ok(isCurrencyCode(cardCurrency), `the card lists a known currency (${cardCurrency})`);
    const atcBefore = Number(await card.getAttribute('data-atc'));
    assert.ok(Number.isInteger(atcBefore) && atcBefore >= 0, 'the card lists its ATC');
    assert.match(await card.innerText(), new RegExp(`${cardCurrency}\\s*ATC ${atcBefore}`));
    assert.equal(await page.locator('[data-testid="charge"]').isDisabled(), true, 'Charge is disabled for amount 0');

    // Approved online, with a receipt.
    await keyAmount(page, cardCurrency, ['1', '2', '5', '0']);
    assert.equal(await page.locator('[data-testid="amount"]').getAttribute('data-amount-minor'), '1250');
    await charge(page, server);
    await page.click('[data-testid="sim-card-0"]');
    await waitFor(page, server, '[data-testid="payment-result"][data-outcome="approved"]', 'the approval');
    const result = page.locator('[data-testid="payment-result"]');
    assert.equal(await result.getAttribute('data-mode'), 'online');
    assert.equal(await result.getAttribute('data-reason'), null, 'an approval carries no decline reason');
    const receipt = page.locator('[data-testid="receipt"]');
    assert.equal(await receipt.getAttribute('data-amount-minor'), '1250');
    assert.equal(await receipt.getAttribute('data-currency'), cardCurrency);
    const amountText = await page.locator('[data-testid="receipt-amount"]').innerText();
    assert.equal(amountText.replace(/\s+/g, ' ').trim(), enUsMoney(1250n, cardCurrency).replace(/\s+/g, ' '));
    assert.equal(await page.locator('[data-testid="receipt-mode"]').innerText(), 'Online');
    const pan = (await page.locator('[data-testid="receipt-pan"]').innerText()).trim();
    assert.ok(pan.startsWith(devpayBin), `the masked PAN starts with the DevPay BIN: ${pan}`);
    assert.match(pan, /^899100\D+\d{4}$/, `only the BIN and the last four digits are visible: ${pan}`);
    assert.equal(pan.replace(/\D/g, '').length, 10, `six BIN digits and four trailing digits: ${pan}`);
    const html = await page.content();
    assert.doesNotMatch(html, /899100\d{7,}/, 'no full PAN anywhere in the page');
    assert.equal(Number(await page.locator('[data-testid="receipt-atc"]').innerText()), atcBefore + 1, 'the tap used the card\u2019s next ATC');
    const paymentId = (await page.locator('[data-testid="receipt-payment-id"]').innerText()).trim();
    assert.ok(paymentId.length > 0, 'the receipt names the payment');
    assert.equal(await result.getAttribute('data-payment-id'), paymentId);
    const receiptAtMs = Date.parse((await page.locator('[data-testid="receipt-time"] time').getAttribute('datetime')) ?? '');
    assert.ok(Math.abs(Date.now() - receiptAtMs) < 5 * 60_000, 'the receipt time is now');
    // The time is shown in the terminal's time zone (its preference), not in UTC.
    const clock = (await page.locator('[data-testid="receipt-clock"]').innerText()).replace(/\s+/g, ' ');
    assert.equal(clock, new Intl.DateTimeFormat('en-US', { timeStyle: 'medium', timeZone: preferences.timeZone }).format(receiptAtMs).replace(/\s+/g, ' '));
    assert.match(await page.locator('[data-testid="receipt-date"]').innerText(), /^[A-Z][a-z]{2} \d{1,2}, \d{4}$/);
    assert.match(await page.locator('[data-testid="receipt-terminal-id"]').innerText(), /\S/);
    // The simulator's list is read again after the payment: the card's counter moved.
    await waitFor(page, server, `[data-testid="sim-card-0"][data-atc="${atcBefore + 1}"]`, 'the card list refreshed with the new ATC');
    const screenshotPath = join(testOutputDir('e2e'), 'counter-payment.png');
    await page.screenshot({ path: screenshotPath, fullPage: true });
    assert.ok(existsSync(screenshotPath));
    await newPayment(page);

    // Declined: the card cannot pay in another currency.
    const otherCurrency: CurrencyCode = cardCurrency === 'USD' ? 'EUR' : 'USD';
    await keyAmount(page, otherCurrency, ['1', '2', '5', '0']);
    await charge(page, server);
    await page.click('[data-testid="sim-card-0"]');
    await waitFor(page, server, '[data-testid="payment-result"][data-outcome="declined"]', 'the wrong-currency decline');
    assert.equal(await result.getAttribute('data-reason'), 'wrong_currency', await panels(page));
    assert.equal((await page.locator('[data-testid="payment-message"]').innerText()).trim(), enReasons['decline.wrong_currency']);
    assert.equal(await page.locator('[data-testid="receipt"]').count(), 0, 'a decline has no receipt');
    await newPayment(page);

    // Cancelled while waiting for a card.
    await keyAmount(page, cardCurrency, ['5', '0', '0']);
    await charge(page, server);
    await page.click('[data-testid="cancel-payment"]');
    await waitFor(page, server, '[data-testid="payment-result"][data-outcome="cancelled"]', 'the cancellation');
    assert.equal(await page.locator('[data-testid="receipt"]').count(), 0, 'a cancellation has no receipt');
    assert.equal(await page.locator('[data-testid="charge"]').isDisabled(), true, 'a result ends the sale: Charge needs a new amount');
    assert.equal(await page.locator('[data-testid="charge-again"]').isEnabled(), true, 'Charge again is offered once the payment ended');
    await page.click('[data-testid="charge-again"]');
    await waitFor(page, server, '[data-testid="payment-state"][data-state="waiting_for_card"]', 'the same charge again');
    assert.ok((await page.locator('[data-testid="payment-state"]').innerText()).includes(enUsMoney(500n, cardCurrency)), 'Charge again charges the same amount');
    await page.click('[data-testid="cancel-payment"]');
    await waitFor(page, server, '[data-testid="payment-result"][data-outcome="cancelled"]', 'the second cancellation');
    await newPayment(page);
    await page.click('[data-testid="key-5"]');
    assert.equal(await page.locator('[data-testid="charge"]').isEnabled(), true, 'Charge is enabled again for a new amount');

    for (const testId of ['payment-error', 'sim-error', 'sim-notice', 'runtime-error', 'alert']) {
      assert.equal(await page.locator(`[data-testid="${testId}"]`).count(), 0, `no ${testId} shown:\n${await panels(page)}`);
    }
  } finally {
    await browser.close();
    const exit = await server.stop('SIGINT');
    assert.equal(exit, 0, `devpay serve exits cleanly on SIGINT:\n${server.output()}`);
  }
  assert.deepEqual(consoleErrors, [], 'no CSP violations or script errors in the page');
});
