// End to end, in Debian's Chromium against a real `devpay serve --headless --sim`: the whole
// counter flow in English, Turkish and Persian at 800×480 and 1280×800. Each state (amount
// entry, waiting for the card, authorizing, the result with its receipt, an alert beside it,
// the details drawer) must fit the viewport without scrolling, pass axe-core with no serious or
// critical violation, and keep the focus off <body>; a screenshot of each is kept in
// test-output/e2e-ui/. Persian is right to left with Persian digits and a Jalali receipt date
// while the keypad still reads 1-2-3 left to right; Turkish shows 125000 minor TRY as ₺1.250,00.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { Locale } from '../../core/api/preferences.js';
import type { CurrencyCode } from '../../core/currency.js';
import { requireTools } from '../harness/require-tool.js';
import { chromiumPath, launchChromium } from '../harness/chromium.js';
import { startDevpay } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { assertFits } from './support/layout.js';
import { assertAccessible } from './support/axe.js';
import { chooseLocale, focused, hasPersianDigitsOnly, openUi, type UiPage } from './support/ui-session.js';
import { signIn } from '../harness/operator-sign-in.js';

const sizes = [
  { width: 800, height: 480 },
  { width: 1280, height: 800 },
];
/** Each language charges in its home currency (the one the screen starts in): digits, Enter. */
const sales: Record<Locale, { currency: CurrencyCode; digits: string }> = {
  en: { currency: 'USD', digits: '1250' },
  tr: { currency: 'TRY', digits: '125000' },
  fa: { currency: 'IRR', digits: '125000' },
};
const stateTimeoutMs = 20_000;

async function checkState(ui: UiPage, state: string, shots: string[]): Promise<void> {
  await assertFits(ui.page, state);
  await assertAccessible(ui.page, state);
  shots.push(await ui.shot(state));
}

async function text(page: Page, testId: string): Promise<string> {
  return (await page.locator(`[data-testid="${testId}"]`).first().innerText()).trim();
}

async function driveCounter(browser: Browser, url: string, locale: Locale, size: { width: number; height: number }, shots: string[]): Promise<void> {
  const ui = await openUi(browser, url, size, locale);
  const { page, gate } = ui;
  try {
    await chooseLocale(page, locale);
    const sale = sales[locale];
    await page.locator('[data-testid="sim-card-0"]').waitFor({ timeout: stateTimeoutMs });
    assert.equal(await page.evaluate(() => document.documentElement.dir), locale === 'fa' ? 'rtl' : 'ltr');

    // Amount entry: the home currency is selected and the digits go to the amount.
    assert.equal(await page.locator('[data-testid="amount"]').getAttribute('data-currency'), sale.currency);
    for (const digit of sale.digits) await page.keyboard.press(digit);
    const amount = page.locator('[data-testid="amount"]');
    assert.equal(await amount.getAttribute('data-amount-minor'), sale.digits);
    const amountText = await page.locator('[data-testid="amount-input"]').inputValue();
    if (locale === 'tr') assert.match(amountText, /^₺1\.250,00$/, `Turkish money: ${amountText}`);
    if (locale === 'fa') assert.ok(hasPersianDigitsOnly(amountText) && amountText.includes('۱۲۵٬۰۰۰'), `Persian digits: ${amountText}`);
    if (locale === 'en') assert.equal(amountText, '$12.50');
    if (locale === 'fa') {
      const x = await Promise.all(['1', '2', '3'].map(async (key) => (await page.locator(`[data-testid="key-${key}"]`).boundingBox())!.x));
      assert.ok(x[0]! < x[1]! && x[1]! < x[2]!, `the keypad's first row reads 1-2-3 left to right in Persian (x ${x.join(', ')})`);
    }
    assert.equal(await focused(page), 'amount-input');
    const bar = (await page.locator('[data-testid="status-bar"]').boundingBox())!;
    assert.ok(bar.height <= 64, `the status bar is one line (${bar.height} px)`);
    await checkState(ui, '1-amount', shots);

    // Waiting for the card: Cancel holds the focus.
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="payment-state"][data-state="waiting_for_card"]').waitFor({ timeout: stateTimeoutMs });
    assert.equal(await focused(page), 'cancel-payment');
    await checkState(ui, '2-waiting', shots);

    // Authorizing: the result is held back at the gate so the state stays on screen.
    gate.holdResults();
    await page.click(`[data-testid^="sim-card-"][data-currency="${sale.currency}"]`);
    await page.locator('[data-testid="payment-state"][data-state="authorizing"]').waitFor({ timeout: stateTimeoutMs });
    assert.equal(await focused(page), 'payment-state');
    await checkState(ui, '3-authorizing', shots);
    gate.releaseResults();

    // The result with its receipt: New payment holds the focus, the amount is reset.
    await page.locator('[data-testid="payment-result"][data-outcome="approved"]').waitFor({ timeout: stateTimeoutMs });
    assert.equal(await focused(page), 'new-payment');
    assert.equal(await amount.getAttribute('data-amount-minor'), '0', 'a result resets the amount');
    assert.equal(await page.locator('[data-testid="charge"]').getAttribute('aria-disabled'), 'true', 'Charge needs a new amount');
    const receiptAmount = await text(page, 'receipt-amount');
    if (locale === 'tr') assert.match(receiptAmount, /^₺1\.250,00$/);
    if (locale === 'fa') {
      assert.ok(hasPersianDigitsOnly(receiptAmount), `receipt amount in Persian digits: ${receiptAmount}`);
      const date = await text(page, 'receipt-date');
      assert.match(date, /۱۴[۰-۹]{2}/, `a Jalali year (14xx) in Persian digits: ${date}`);
      assert.ok(hasPersianDigitsOnly(await text(page, 'receipt-clock')), 'the receipt time in Persian digits');
    }
    await checkState(ui, '4-result', shots);

    // An alert beside the result: in the merchant's terms, dismissible.
    const paymentId = await text(page, 'receipt-payment-id');
    const panMasked = await text(page, 'receipt-pan');
    gate.raiseAlert({
      id: `01TESTALERT${locale.toUpperCase()}${size.width}`,
      kind: 'payment_rejected',
      atMs: Date.now(),
      reason: 'double_spend',
      transactionId: paymentId,
      amountMinor: sale.digits,
      currency: sale.currency,
      panMasked,
      dismissedAtMs: null,
    });
    const alert = page.locator('[data-testid="alert"]');
    await alert.waitFor({ timeout: stateTimeoutMs });
    const alertText = await alert.innerText();
    assert.doesNotMatch(alertText, /double_spend|payment_rejected/, 'no reason code on screen');
    assert.ok(!alertText.includes(paymentId), 'no full payment id on screen');
    assert.equal(await text(page, 'alert-amount'), receiptAmount, 'the alert shows the amount as the receipt does');
    assert.equal(await text(page, 'alert-pan'), panMasked, 'the alert shows the masked PAN as the receipt does');
    await checkState(ui, '5-alert', shots);
    await page.click('[data-testid="alert-dismiss"]');
    await alert.waitFor({ state: 'detached' });
    assert.deepEqual(gate.dismissed, [`01TESTALERT${locale.toUpperCase()}${size.width}`]);
    await focused(page);

    // The details drawer, opened by a click, closed by Escape with the focus back on its button.
    await page.click('[data-testid="status-summary"]');
    await page.locator('[data-testid="status-drawer"]').waitFor();
    await page.locator('[data-testid="central"][data-state="up"]').waitFor({ timeout: stateTimeoutMs });
    assert.equal(await page.locator('[data-testid="device"]').count(), 3);
    await checkState(ui, '6-drawer', shots);
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="status-drawer"]').waitFor({ state: 'detached' });
    assert.equal(await focused(page), 'status-summary');

    // New payment: back to an empty amount with the focus on it.
    await page.click('[data-testid="new-payment"]');
    assert.equal(await focused(page), 'amount-input');
    assert.deepEqual(ui.consoleErrors, [], 'no CSP violations or script errors in the page');
  } finally {
    await page.close();
  }
}

test('the counter flow fits 800×480 and 1280×800 in English, Turkish and Persian, accessible in every state', { timeout: 300_000 }, async (context) => {
  if (!requireTools(context, [chromiumPath])) return;
  assert.ok(existsSync('dist/renderer/index.html'), 'the renderer is built (npm test runs the build first)');
  const server = await startDevpay(['serve', '--headless', '--sim', '--no-pcsc', '--data', freshDir('e2e-locales'), '--port', '0']);
  // The counter screen is for a signed-in operator; the page reads the terminal's session.
  await signIn(server.url);
  const browser = await launchChromium();
  const shots: string[] = [];
  try {
    for (const size of sizes) {
      for (const locale of ['en', 'tr', 'fa'] as const) {
        await context.test(`${locale} at ${size.width}×${size.height}`, () => driveCounter(browser, server.url, locale, size, shots));
      }
    }
  } finally {
    await browser.close();
    const exit = await server.stop('SIGINT');
    assert.equal(exit, 0, `devpay serve exits cleanly on SIGINT:\n${server.output()}`);
  }
  assert.equal(shots.length, sizes.length * 3 * 6, 'a screenshot of every state in every language at every size');
  for (const shot of shots) assert.ok(existsSync(shot), shot);
});
