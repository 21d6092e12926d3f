// No string on screen outside a catalogue. The renderer is built a second time with every
// message of every catalogue wrapped in ⟦…⟧ (test/e2e/support/pseudo-build.ts swaps the one
// module the app reads catalogues through; the shipped code has no switch for it), served to
// Chromium in place of the real build, and driven against a real `devpay serve --sim` through
// every state this screen has: amount entry, an amount over the maximum, tomans, waiting,
// declined, approved with a receipt, alerts of each kind, the drawer with a sync result, an
// ignored card, reconnecting. In each, every visible text must be inside the markers or inside
// an element marked data-i18n-exempt (Intl amounts, times, ids), in English, Turkish and Persian.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { defaultMaxPaymentMinor } from '../../core/ledger/limits.js';
import type { Locale } from '../../core/api/preferences.js';
import type { CurrencyCode } from '../../core/currency.js';
import { requireTools } from '../harness/require-tool.js';
import { chromiumPath, launchChromium } from '../harness/chromium.js';
import { startDevpay } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { openApiSession, type ApiSession } from '../harness/api-session.js';
import { buildPseudoRenderer, servePseudoRenderer } from './support/pseudo-build.js';
import { textOutsideCatalogues } from './support/pseudo-check.js';
import { chooseLocale, openUi } from './support/ui-session.js';
import { signIn } from '../harness/operator-sign-in.js';

const homeCurrencies: Record<Locale, CurrencyCode> = { en: 'USD', tr: 'TRY', fa: 'IRR' };
const stateTimeoutMs = 20_000;

async function assertAllFromCatalogues(page: Page, state: string): Promise<void> {
  assert.deepEqual(await textOutsideCatalogues(page), [], `${state}: text on screen that is not from a catalogue`);
}

async function typeDigits(page: Page, digits: string): Promise<void> {
  await page.keyboard.press('Delete');
  for (const digit of digits) await page.keyboard.press(digit);
}

async function drive(browser: Browser, url: string, rendererDir: string, api: ApiSession, locale: Locale): Promise<void> {
  const origin = new URL(url).origin;
  const ui = await openUi(browser, url, { width: 800, height: 480 }, `pseudo-${locale}`, (page) => servePseudoRenderer(page, origin, rendererDir));
  const { page, gate } = ui;
  const currency = homeCurrencies[locale];
  const check = (state: string): Promise<void> => assertAllFromCatalogues(page, `${locale}, ${state}`);
  try {
    await chooseLocale(page, locale);
    await page.locator('[data-testid="sim-card-0"]').waitFor({ timeout: stateTimeoutMs });
    assert.match(await page.locator('[data-testid="status-summary"]').innerText(), /⟦/, 'the pseudo-locale build is the one on screen');
    await check('amount entry');

    await typeDigits(page, String(BigInt(defaultMaxPaymentMinor[currency]) + 1n));
    await page.locator('.amount-entry.over-maximum').waitFor();
    await check('over the maximum');

    await page.click('[data-testid="status-summary"]');
    await page.click('[data-testid="irr-toman"]');
    await page.keyboard.press('Escape');
    await page.click('[data-testid="currency-IRR"]');
    await typeDigits(page, '1255');
    await page.locator('[data-testid="amount-note"]').filter({ hasText: '⟦' }).waitFor();
    await check('tomans');
    await page.click('[data-testid="status-summary"]');
    await page.click('[data-testid="irr-rial"]');
    await page.keyboard.press('Escape');

    await page.click(`[data-testid="currency-${currency}"]`);
    await typeDigits(page, '500');
    await page.click('[data-testid="charge"]');
    await page.locator('[data-testid="payment-state"][data-state="waiting_for_card"]').waitFor({ timeout: stateTimeoutMs });
    await check('waiting for the card');
    // A card's button carries its currency (the PIN shown inside it is a sim-card-pin-N too).
    const wrongCard = page.locator(`[data-testid^="sim-card-"][data-currency]:not([data-currency="${currency}"])`).first();
    await wrongCard.click();
    await page.locator('[data-testid="payment-result"][data-outcome="declined"]').waitFor({ timeout: stateTimeoutMs });
    await check('declined');

    await page.click('[data-testid="charge-again"]');
    await page.locator('[data-testid="payment-state"][data-state="waiting_for_card"]').waitFor({ timeout: stateTimeoutMs });
    await page.click(`[data-testid^="sim-card-"][data-currency="${currency}"]`);
    await page.locator('[data-testid="payment-result"][data-outcome="approved"]').waitFor({ timeout: stateTimeoutMs });
    await check('approved with its receipt');

    const base = { atMs: Date.now(), transactionId: '01TESTPSEUDOTRANSACTION0001', currency, panMasked: '899100******1234', dismissedAtMs: null };
    gate.raiseAlert({ ...base, id: `01PSEUDOREJECTED${locale}`, kind: 'payment_rejected', reason: 'double_spend', amountMinor: '500' });
    gate.raiseAlert({ ...base, id: `01PSEUDOREVOKED${locale}`, kind: 'card_revoked', reason: 'double_spend', amountMinor: null, atMs: base.atMs - 1 });
    gate.raiseAlert({ ...base, id: `01PSEUDORECEIVABLE${locale}`, kind: 'agent_receivable', reason: 'refused_after_spending', amountMinor: '-500', panMasked: null, atMs: base.atMs - 2 });
    await page.locator('[data-testid="alerts"][data-count="3"]').waitFor();
    for (const kind of ['payment_rejected', 'card_revoked', 'agent_receivable']) {
      await page.locator(`[data-testid="alert"][data-kind="${kind}"]`).waitFor();
      await check(`a ${kind} alert`);
      await page.click('[data-testid="alert-next"]');
    }

    await page.click('[data-testid="status-summary"]');
    await page.click('[data-testid="drawer-sync-now"]');
    await page.locator('[data-testid="drawer-sync-now-result"]').filter({ hasText: '⟦' }).waitFor({ timeout: stateTimeoutMs });
    await check('the drawer after Sync now');
    await page.keyboard.press('Escape');

    await page.click('[data-testid="new-payment"]');
    await api.call('sim.tap', { cardIndex: 0 });
    await page.locator('[data-testid="card-ignored"]').waitFor({ timeout: stateTimeoutMs });
    await check('a card ignored');

    gate.dropConnections();
    await page.locator('[data-testid="reconnecting"]').waitFor({ timeout: stateTimeoutMs });
    await check('reconnecting');
    gate.allowConnections();
    await page.locator('[data-testid="reconnecting"]').waitFor({ state: 'detached', timeout: stateTimeoutMs });
    await ui.shot('reconnected');
    assert.deepEqual(ui.consoleErrors, [], 'no CSP violations or script errors in the page');
  } finally {
    await page.close();
  }
}

test('every text on screen comes from a catalogue or is exempt data, in every language', { timeout: 300_000 }, async (context) => {
  if (!requireTools(context, [chromiumPath])) return;
  const rendererDir = await buildPseudoRenderer();
  const server = await startDevpay(['serve', '--headless', '--sim', '--no-pcsc', '--data', freshDir('e2e-pseudo'), '--port', '0']);
  const base = new URL(server.url);
  const api = await openApiSession(`ws://${base.host}/api?token=${base.searchParams.get('token')}`);
  const browser = await launchChromium();
  try {
    // The counter screen is for a signed-in operator; the page reads the terminal's session.
    await signIn(api);
    for (const locale of ['en', 'tr', 'fa'] as const) await context.test(locale, () => drive(browser, server.url, rendererDir, api, locale));
  } finally {
    await browser.close();
    await api.close();
    await server.stop('SIGINT');
  }
});
