// End to end, in Debian's Chromium against a real `devpay serve --headless --sim`: the
// cardholder's PIN pad. A charge above central's CVM limit, tapped with a simulated card, waits
// for the PIN: the pad covers the counter, says why and how many tries are left, and masks what
// is keyed. A wrong PIN (five digits: the simulated cards' PINs have four, so it cannot be right)
// is sealed to the card and refused by it: the pad says "Wrong PIN" with one try fewer; the right
// one (the simulator's panel shows each demo card's PIN) approves the charge and the receipt says
// the card verified it. A second charge cancelled on the pad is declined with its reason by name. In English, Turkish and Persian at 800×480,
// each state fits, passes axe-core with no serious or critical violation and is kept as a
// screenshot; the PIN's digits never appear in the page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Locale } from '../../core/api/preferences.js';
import type { CurrencyCode } from '../../core/currency.js';
import { cvmLimitMinor } from '../../core/ledger/limits.js';
import { requireTools } from '../harness/require-tool.js';
import { chromiumPath, launchChromium } from '../harness/chromium.js';
import { startDevpay, type DevpayProcess } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { Cleanup } from '../harness/cleanup.js';
import { signIn } from '../harness/operator-sign-in.js';
import { assertFits } from './support/layout.js';
import { assertAccessible } from './support/axe.js';
import { typePin } from './support/operator-ui.js';
import { asciiDigits } from '../../renderer/components/operators/ascii-digits.js';
import { chooseLocale, openUi, type UiPage } from './support/ui-session.js';

const kiosk = { width: 800, height: 480 };
const stateTimeoutMs = 20_000;
const homeCurrency: Record<Locale, CurrencyCode> = { en: 'USD', tr: 'TRY', fa: 'IRR' };
const wrongPin = '90817';

async function checkState(ui: UiPage, state: string, shots: string[]): Promise<void> {
  await assertFits(ui.page, state);
  await assertAccessible(ui.page, state);
  shots.push(await ui.shot(state));
}

async function drive(browser: Browser, server: DevpayProcess, locale: Locale, shots: string[]): Promise<void> {
  const ui = await openUi(browser, server.url, kiosk, `pin-pad-${locale}`);
  const { page } = ui;
  try {
    await chooseLocale(page, locale);
    await page.locator('[data-testid="charge"]').waitFor({ timeout: stateTimeoutMs });
    const currency = homeCurrency[locale];
    // Twice the online CVM limit, keyed as digits of minor units.
    const amountMinor = (cvmLimitMinor(null, currency, 'online') * 2n).toString();
    await page.focus('[data-testid="amount-input"]');
    for (const digit of amountMinor) await page.keyboard.press(digit);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="payment-state"][data-state="waiting_for_card"]').waitFor({ timeout: stateTimeoutMs });
    const card = page.locator(`[data-testid^="sim-card-"][data-currency="${currency}"]`).first();
    const cardIndex = Number((await card.getAttribute('data-testid'))!.replace('sim-card-', ''));
    // The simulator's panel shows each demo card's PIN (in the language's digits).
    const rightPin = asciiDigits(await page.locator(`[data-testid="sim-card-pin-${cardIndex}"]`).innerText());
    assert.match(rightPin, /^\d{4}$/, `the panel shows card ${cardIndex}'s PIN`);
    await card.click();

    const pad = page.locator('[data-testid="pin-pad"][open]');
    await pad.waitFor({ timeout: stateTimeoutMs });
    assert.equal(await page.locator('[data-testid="pin-pad-wrong"]').count(), 0, 'no wrong PIN yet');
    const triesBefore = Number(await pad.getAttribute('data-tries-left'));
    assert.ok(triesBefore > 0, `tries left: ${triesBefore}`);
    await checkState(ui, '1-pin-pad', shots);

    for (const digit of '12') await page.keyboard.press(digit);
    assert.equal(await page.locator('[data-testid="pin-pad-keys"]').getAttribute('data-length'), '2');
    await checkState(ui, '2-pin-pad-keyed', shots);
    await page.keyboard.press('Delete');

    await typePin(page, wrongPin, 'pin-pad-keys');
    await page.locator('[data-testid="pin-pad"][data-previous-wrong="true"]').waitFor({ timeout: stateTimeoutMs });
    assert.equal(Number(await pad.getAttribute('data-tries-left')), triesBefore - 1, 'one try fewer');
    await page.locator('[data-testid="pin-pad-wrong"]').waitFor();
    assert.equal(await page.locator('[data-testid="pin-pad-keys"]').getAttribute('data-length'), '0', 'the digits are cleared');
    assert.ok(!(await page.content()).includes(wrongPin), 'the PIN is nowhere in the page');
    await checkState(ui, '3-pin-pad-wrong', shots);

    // The right PIN: the card verifies it, the charge is approved and the receipt says so.
    await typePin(page, rightPin, 'pin-pad-keys');
    await page.locator('[data-testid="pin-pad"]').waitFor({ state: 'detached', timeout: stateTimeoutMs });
    await page.locator('[data-testid="receipt-cvm"]').waitFor({ timeout: stateTimeoutMs });
    await checkState(ui, '4-approved-with-pin', shots);

    // A second charge, cancelled on the PIN pad: declined with its reason by name.
    await page.locator('[data-testid="payment-result"][data-outcome="approved"]').waitFor({ timeout: stateTimeoutMs });
    await page.click('[data-testid="new-payment"]');
    await page.locator('[data-testid="charge"]').waitFor({ timeout: stateTimeoutMs });
    await page.focus('[data-testid="amount-input"]');
    for (const digit of amountMinor) await page.keyboard.press(digit);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="payment-state"][data-state="waiting_for_card"]').waitFor({ timeout: stateTimeoutMs });
    await card.click();
    await pad.waitFor({ timeout: stateTimeoutMs });
    assert.equal(Number(await pad.getAttribute('data-tries-left')), 3, 'the right PIN gave the card its tries back');
    await page.click('[data-testid="pin-pad-cancel"]');
    await page.locator('[data-testid="pin-pad"]').waitFor({ state: 'detached', timeout: stateTimeoutMs });
    await page.locator('[data-testid="payment-state"][data-state="declined"], [data-testid="payment-result"][data-outcome="declined"]').first().waitFor({ timeout: stateTimeoutMs });
    await checkState(ui, '5-declined', shots);
    assert.deepEqual(ui.consoleErrors, [], 'no CSP violations or script errors in the page');
  } finally {
    await page.close();
  }
}

test('the cardholder’s PIN pad asks above the CVM limit, refuses a wrong PIN with the tries left, approves the right one, and cancels, in every language at 800×480', { timeout: 400_000 }, async (context) => {
  if (!requireTools(context, [chromiumPath])) return;
  const cleanup = new Cleanup();
  try {
    const server = await startDevpay(['serve', '--headless', '--sim', '--no-pcsc', '--data', freshDir('e2e-pin-pad'), '--port', '0'], { timeoutMs: 40_000 });
    cleanup.add('devpay serve', () => server.stop('SIGINT'));
    const base = new URL(server.url);
    await signIn(`ws://${base.host}/api?token=${base.searchParams.get('token')}`, 'cashier');
    const browser = await launchChromium();
    cleanup.add('chromium', () => browser.close());
    const shots: string[] = [];
    for (const locale of ['en', 'tr', 'fa'] as const) await context.test(locale, () => drive(browser, server, locale, shots));
    context.diagnostic(`screenshots: ${shots.join(', ')}`);
  } finally {
    await cleanup.run();
  }
});
