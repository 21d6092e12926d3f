// No string outside a catalogue on the operators' and the cardholder's screens, the sibling of
// pseudo-locale.test.ts and pseudo-merchant.test.ts: the renderer built with every message
// wrapped in ⟦…⟧, served to Chromium against a real `devpay serve --sim`, and walked through
// the sign-in screen, the operator's menu, a refusal by role with its override prompt, the lock
// screen, the operators screen with its enrolment form, and the cardholder's PIN pad before and
// after a wrong PIN. In English, Turkish and Persian every visible text must be inside the
// markers or inside an element marked data-i18n-exempt (operators' names, Intl numbers).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Locale } from '../../core/api/preferences.js';
import type { CurrencyCode } from '../../core/currency.js';
import { cvmLimitMinor } from '../../core/ledger/limits.js';
import { requireTools } from '../harness/require-tool.js';
import { chromiumPath, launchChromium } from '../harness/chromium.js';
import { startDevpay } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { Cleanup } from '../harness/cleanup.js';
import { buildPseudoRenderer, servePseudoRenderer } from './support/pseudo-build.js';
import { textOutsideCatalogues } from './support/pseudo-check.js';
import { sessionAction, signInByFinger, typePin } from './support/operator-ui.js';
import { chooseLocale, openUi } from './support/ui-session.js';

const stateTimeoutMs = 20_000;
const homeCurrency: Record<Locale, CurrencyCode> = { en: 'USD', tr: 'TRY', fa: 'IRR' };

async function drive(browser: Browser, url: string, rendererDir: string, locale: Locale): Promise<void> {
  const ui = await openUi(browser, url, { width: 800, height: 480 }, `pseudo-operators-${locale}`, (page) => servePseudoRenderer(page, new URL(url).origin, rendererDir));
  const { page } = ui;
  const check = async (state: string): Promise<void> => assert.deepEqual(await textOutsideCatalogues(page), [], `${locale}, ${state}: text on screen that is not from a catalogue`);
  try {
    await chooseLocale(page, locale);
    await page.locator('[data-testid="sign-in-screen"], [data-testid="session-controls"]').first().waitFor({ timeout: stateTimeoutMs });
    if ((await page.locator('[data-testid="session-controls"]').count()) > 0) await sessionAction(page, 'sign-out');
    await page.locator('[data-testid="sign-in-screen"]').waitFor({ timeout: stateTimeoutMs });
    assert.match(await page.locator('#sign-in-title').innerText(), /⟦/, 'the pseudo-locale build is the one on screen');
    await check('the sign-in screen');

    await signInByFinger(page, 'cashier');
    await page.click('[data-testid="session-operator"]');
    await check('the cashier with the operator menu');
    await page.click('[data-testid="session-operator"]');

    await page.click('[data-testid="nav-day"]');
    await page.click('[data-testid="day-close"]');
    await page.locator('[data-testid="day-close-needs-supervisor"]').waitFor();
    await check('the close question for a cashier');
    await page.click('[data-testid="day-close-confirm"]');
    await page.locator('[data-testid="override-refusal"]').waitFor({ timeout: stateTimeoutMs });
    await check('the refusal by role');
    await page.click('[data-testid="override-start"]');
    await page.locator('[data-testid="override-auth"]').waitFor();
    await check('the override prompt');
    await page.click('[data-testid="auth-cancel"]');
    await page.locator('[data-testid="override-dialog"]').waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');

    await sessionAction(page, 'lock');
    await page.locator('[data-testid="lock-screen"]').waitFor({ timeout: stateTimeoutMs });
    await check('the lock screen');
    await page.click('[data-testid="lock-switch"]');
    await signInByFinger(page, 'admin');
    await page.click('[data-testid="nav-operators"]');
    await page.locator('[data-testid="operator-row"][data-role="cashier"]').click();
    await page.locator('[data-testid="operator-actions"]').waitFor();
    await check('the operators screen');
    await page.click('[data-testid="operator-enrol"]');
    await page.locator('[data-testid="operator-enrol-form"]').waitFor();
    await check('the enrolment form');

    // The cardholder's PIN pad, before and after a wrong PIN (the simulated cards' PINs have four digits).
    await page.click('[data-testid="nav-counter"]');
    await page.locator('[data-testid="charge"]').waitFor();
    // Each language its own card (its home currency's): a card blocks its PIN after three wrong tries.
    const currency = homeCurrency[locale];
    const amount = (cvmLimitMinor(null, currency, 'online') * 2n).toString();
    await page.focus('[data-testid="amount-input"]');
    for (const digit of amount) await page.keyboard.press(digit);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="payment-state"][data-state="waiting_for_card"]').waitFor({ timeout: stateTimeoutMs });
    await page.click(`[data-testid^="sim-card-"][data-currency="${currency}"]`);
    await page.locator('[data-testid="pin-pad"][open]').waitFor({ timeout: stateTimeoutMs });
    await check('the PIN pad');
    await typePin(page, '90817', 'pin-pad-keys');
    await page.locator('[data-testid="pin-pad"][data-previous-wrong="true"]').waitFor({ timeout: stateTimeoutMs });
    await check('the PIN pad after a wrong PIN');
    await page.click('[data-testid="pin-pad-cancel"]');
    await page.locator('[data-testid="payment-result"]').waitFor({ timeout: stateTimeoutMs });
    await check('the declined charge');
    assert.deepEqual(ui.consoleErrors, [], 'no CSP violations or script errors in the page');
  } finally {
    await page.close();
  }
}

test('every text on the operators’ and the PIN pad’s screens comes from a catalogue or is exempt data, in every language', { timeout: 500_000 }, async (context) => {
  if (!requireTools(context, [chromiumPath])) return;
  const cleanup = new Cleanup();
  try {
    const rendererDir = await buildPseudoRenderer();
    const server = await startDevpay(['serve', '--headless', '--sim', '--no-pcsc', '--data', freshDir('e2e-pseudo-operators'), '--port', '0'], { timeoutMs: 40_000 });
    cleanup.add('devpay serve', () => server.stop('SIGINT'));
    const browser = await launchChromium();
    cleanup.add('chromium', () => browser.close());
    for (const locale of ['en', 'tr', 'fa'] as const) await context.test(locale, () => drive(browser, server.url, rendererDir, locale));
  } finally {
    await cleanup.run();
  }
});
