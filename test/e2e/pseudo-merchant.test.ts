// No string outside a catalogue on the merchant's day screens, the sibling of
// pseudo-locale.test.ts: the renderer built with every message wrapped in ⟦…⟧, served to
// Chromium against a real `devpay serve --sim` whose receipt printer is a simulated ESC/POS
// printer on loopback TCP (so paper out is real), and walked through every state these screens
// have: the journal with its filters and an invalid search, a refunded payment's detail with its
// movements and named refusals, the refund dialog with a decline, the void confirmation, a void
// answered, a reprint refused for paper out, the printer's chip and the unprinted-receipt banner,
// the X report, the close confirmation, a Z report and the closed days, and the drawer's
// customer-copy preference. In English, Turkish and Persian, every visible text must be inside
// the markers or inside an element marked data-i18n-exempt (Intl amounts, times, ids).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Locale } from '../../core/api/preferences.js';
import { SimEscPosPrinter } from '../../drivers/sim/sim-escpos-printer.js';
import { requireTools } from '../harness/require-tool.js';
import { chromiumPath, launchChromium } from '../harness/chromium.js';
import { startDevpay } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { openApiSession, type ApiSession } from '../harness/api-session.js';
import { Cleanup } from '../harness/cleanup.js';
import { buildPseudoRenderer, servePseudoRenderer } from './support/pseudo-build.js';
import { textOutsideCatalogues } from './support/pseudo-check.js';
import { apiRefund, simSale, untilSettled } from './support/merchant-data.js';
import { chooseLocale, openUi } from './support/ui-session.js';
import { reauthenticate, signIn } from '../harness/operator-sign-in.js';

const stateTimeoutMs = 20_000;

interface Day {
  refundedId: string;
  voidableId: string;
}

async function drive(browser: Browser, url: string, rendererDir: string, api: ApiSession, printer: SimEscPosPrinter, day: Day, locale: Locale, closeTheDay: boolean): Promise<void> {
  const ui = await openUi(browser, url, { width: 800, height: 480 }, `pseudo-merchant-${locale}`, (page) => servePseudoRenderer(page, new URL(url).origin, rendererDir));
  const { page } = ui;
  const check = async (state: string): Promise<void> => assert.deepEqual(await textOutsideCatalogues(page), [], `${locale}, ${state}: text on screen that is not from a catalogue`);
  const open = async (paymentId: string): Promise<void> => {
    await page.focus('[data-testid="journal-search"]');
    await page.keyboard.type(paymentId);
    await page.keyboard.press('Enter');
    await page.locator(`[data-testid="payment-detail"][data-payment-id="${paymentId}"][data-loaded="true"]`).waitFor({ timeout: stateTimeoutMs });
  };
  try {
    await chooseLocale(page, locale);
    await page.locator('[data-testid="sim-card-0"]').waitFor({ timeout: stateTimeoutMs });

    // The printer out of paper: its chip, and a sale whose receipt did not print.
    printer.faults.paperOut = true;
    await page.locator('[data-testid="printer"][data-state="paper_out"]').waitFor({ timeout: stateTimeoutMs });
    await simSale(api, '150', 'USD');
    await page.locator('[data-testid="runtime-error"]').filter({ hasText: '⟦' }).waitFor({ timeout: stateTimeoutMs });
    await check('printer out of paper, receipt not printed');

    await page.click('[data-testid="nav-journal"]');
    await page.locator('[data-testid="journal-list"][data-loading="false"]').waitFor({ timeout: stateTimeoutMs });
    assert.match(await page.locator('[data-testid="journal-row"]').first().innerText(), /⟦/, 'the pseudo-locale build is the one on screen');
    await check('the journal');
    await page.selectOption('[data-testid="filter-period"]', 'range');
    await page.selectOption('[data-testid="filter-state"]', 'settled');
    await page.locator('[data-testid="journal-list"][data-loading="false"]').waitFor({ timeout: stateTimeoutMs });
    await check('the journal filtered by days and state');
    await page.selectOption('[data-testid="filter-kind"]', 'test_payment');
    await page.locator('[data-testid="journal-empty"]').waitFor({ timeout: stateTimeoutMs });
    await check('the journal with nothing to show');
    await page.focus('[data-testid="journal-search"]');
    await page.keyboard.type('not an id');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="journal-search-message"]').waitFor();
    await check('an invalid search');

    // A refunded payment: movements, refusals by name, a reprint refused for paper out.
    await page.fill('[data-testid="journal-search"]', '');
    await open(day.refundedId);
    await page.click('[data-testid="detail-reprint-merchant"]');
    await page.locator('[data-testid="print-status"][data-state="not-printed"]').waitFor({ timeout: stateTimeoutMs });
    await check('a refunded payment, reprint refused');
    printer.faults.paperOut = false;

    // The refund dialog, declined.
    await page.click('[data-testid="detail-refund"]');
    await page.locator('[data-testid="refund-dialog"][open]').waitFor();
    await check('the refund dialog');
    for (const digit of '999999') await page.keyboard.press(digit);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="refund-result"][data-outcome="declined"]').waitFor({ timeout: stateTimeoutMs });
    await check('a refund declined');
    await page.keyboard.press('Escape');

    // A sale voided: the question, then the answer; printed again, with paper.
    await page.click('[data-testid="detail-back"]');
    await open(day.voidableId);
    await page.click('[data-testid="detail-void"]');
    await page.locator('[data-testid="void-confirm"]').waitFor();
    await check('the void question');
    if (closeTheDay) {
      await page.click('[data-testid="void-confirm"]');
      await page.locator('[data-testid="void-result"]').waitFor({ timeout: stateTimeoutMs });
    } else {
      await page.click('[data-testid="void-keep"]');
    }
    await page.click('[data-testid="detail-reprint-customer"]');
    await page.locator('[data-testid="print-status"][data-state="printed"]').waitFor({ timeout: stateTimeoutMs });
    await check('a void answered or kept, a reprint printed');

    // The day: X report, the close question, a Z report and the closed days. The close is
    // sensitive, so the operator's authentication is made fresh first.
    await reauthenticate(api);
    await page.click('[data-testid="nav-day"]');
    await page.locator('[data-testid="day-report"]').waitFor({ timeout: stateTimeoutMs });
    await check('the X report');
    await page.click('[data-testid="day-close"]');
    await page.locator('[data-testid="day-close-confirm"]').waitFor();
    await check('the close question');
    if (closeTheDay) {
      await page.click('[data-testid="day-close-confirm"]');
      await page.locator('[data-testid="day-report"][data-kind="z"]').waitFor({ timeout: stateTimeoutMs });
    } else {
      await page.click('[data-testid="day-close-keep"]');
      const stored = page.locator('[data-testid="day-past-item"]').first();
      if ((await stored.count()) > 0) await stored.click();
    }
    await page.click('[data-testid="day-print"]');
    await page.locator('[data-testid="print-status"][data-state="printed"]').waitFor({ timeout: stateTimeoutMs });
    await check('a report printed, the closed days');

    // The drawer with the customer's copy preference.
    await page.click('[data-testid="status-summary"]');
    await page.locator('[data-testid="print-customer-copy"]').waitFor();
    await check('the drawer with the customer copy preference');
    await page.keyboard.press('Escape');
    assert.deepEqual(ui.consoleErrors, [], 'no CSP violations or script errors in the page');
  } finally {
    await page.close();
  }
}

test('every text on the merchant’s day screens comes from a catalogue or is exempt data, in every language', { timeout: 400_000 }, async (context) => {
  if (!requireTools(context, [chromiumPath])) return;
  const cleanup = new Cleanup();
  try {
    const rendererDir = await buildPseudoRenderer();
    const printer = await SimEscPosPrinter.start();
    cleanup.add('simulated printer', () => printer.close());
    const server = await startDevpay(['serve', '--headless', '--sim', '--no-pcsc', '--data', freshDir('e2e-pseudo-merchant'), '--port', '0', '--printer', `tcp:127.0.0.1:${printer.port}`]);
    cleanup.add('devpay serve', () => server.stop('SIGINT'));
    const base = new URL(server.url);
    const api = await openApiSession(`ws://${base.host}/api?token=${base.searchParams.get('token')}`);
    cleanup.add('api session', () => api.close());
    // The counter screen is for a signed-in operator; the page reads the terminal's session.
    await signIn(api);
    const refunded = await simSale(api, '2500', 'USD');
    const voidable = await simSale(api, '900', 'USD');
    await untilSettled(api, refunded.paymentId!);
    await apiRefund(api, refunded.paymentId!, '500', 'USD', 'pseudo-refund-0001');
    const day = { refundedId: refunded.paymentId!, voidableId: voidable.paymentId! };
    const browser = await launchChromium();
    cleanup.add('chromium', () => browser.close());
    const locales = ['en', 'tr', 'fa'] as const;
    for (const locale of locales) await context.test(locale, () => drive(browser, server.url, rendererDir, api, printer, day, locale, locale === 'fa'));
  } finally {
    await cleanup.run();
  }
});
