// The receipt printer on screen, through real parts: a simulated ESC/POS printer on a loopback
// TCP socket (the same bytes and DLE EOT status a shop's network printer speaks) is the printer
// of a real `devpay serve --sim --printer tcp:…`, driven in Chromium at 800×480. Paper out and
// cover open show on the status bar in the merchant's language (English, Persian); a sale while
// the paper is out is approved all the same and a banner says its receipt did not print; a
// reprint from the journal names the failure and, with paper back, prints. The details drawer's
// "Print the customer's copy" preference decides whether a sale prints one copy or two.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { PaymentUpdate } from '../../core/api/payment.js';
import { catalogues } from '../../renderer/i18n/catalogues.js';
import { SimEscPosPrinter } from '../../drivers/sim/sim-escpos-printer.js';
import { requireTools } from '../harness/require-tool.js';
import { chromiumPath, launchChromium } from '../harness/chromium.js';
import { startDevpay } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { openApiSession } from '../harness/api-session.js';
import { Cleanup } from '../harness/cleanup.js';
import { until } from '../harness/until.js';
import { assertFits } from './support/layout.js';
import { assertAccessible } from './support/axe.js';
import { simSale } from './support/merchant-data.js';
import { openPayment, saleOnScreen } from './support/merchant-flow.js';
import { chooseLocale, focused, openUi, type UiPage } from './support/ui-session.js';
import { signIn } from '../harness/operator-sign-in.js';

const stateTimeoutMs = 20_000;

async function checkState(ui: UiPage, state: string): Promise<void> {
  await assertFits(ui.page, state);
  await assertAccessible(ui.page, state);
  await focused(ui.page);
  await ui.shot(state);
}

async function chipText(page: Page, problem: string): Promise<string> {
  const chip = page.locator(`[data-testid="printer"][data-state="${problem}"]`);
  await chip.waitFor({ timeout: stateTimeoutMs });
  return (await chip.innerText()).trim();
}

test('printer problems on the status bar, an unprinted receipt said and reprinted, and the customer copy preference', { timeout: 240_000 }, async (context) => {
  if (!requireTools(context, [chromiumPath])) return;
  assert.ok(existsSync('dist/renderer/index.html'), 'the renderer is built (npm test runs the build first)');
  const cleanup = new Cleanup();
  try {
    const printer = await SimEscPosPrinter.start();
    cleanup.add('simulated printer', () => printer.close());
    const server = await startDevpay(['serve', '--headless', '--sim', '--no-pcsc', '--data', freshDir('e2e-printer'), '--port', '0', '--printer', `tcp:127.0.0.1:${printer.port}`]);
    cleanup.add('devpay serve', () => server.stop('SIGINT'));
    const base = new URL(server.url);
    const api = await openApiSession(`ws://${base.host}/api?token=${base.searchParams.get('token')}`);
    cleanup.add('api session', () => api.close());
    // The counter screen is for a signed-in operator; the page reads the terminal's session.
    await signIn(api);
    const browser = await launchChromium();
    cleanup.add('chromium', () => browser.close());
    const ui = await openUi(browser, server.url, { width: 800, height: 480 }, 'printer');
    const { page } = ui;
    await page.locator('[data-testid="sim-card-0"]').waitFor({ timeout: stateTimeoutMs });
    await page.locator('[data-testid="devices-summary"][data-state="ok"]').waitFor({ timeout: stateTimeoutMs });
    assert.equal(await page.locator('[data-testid="printer"]').count(), 0, 'a healthy printer needs no chip');

    // Paper out: on the bar, in words.
    printer.faults.paperOut = true;
    assert.equal(await chipText(page, 'paper_out'), 'Printer: paper out');
    await checkState(ui, '1-paper-out');

    // A sale goes through; its receipt did not print, and the screen says so.
    const sale = await saleOnScreen(page, 'USD', '1250');
    const banner = page.locator('[data-testid="runtime-error"]', { hasText: catalogues.en['print.failure.printer_paper_out'] });
    await banner.waitFor({ timeout: stateTimeoutMs });
    assert.match(await banner.innerText(), /The last receipt did not print: the printer is out of paper\. Reprint it from the journal\./);
    await checkState(ui, '2-receipt-not-printed');

    // Reprint from the journal: the failure by name, nothing blocked.
    await openPayment(page, sale.paymentId);
    await page.click('[data-testid="detail-reprint-customer"]');
    const status = page.locator('[data-testid="print-status"][data-state="not-printed"]');
    await status.waitFor({ timeout: stateTimeoutMs });
    assert.equal(await status.getAttribute('data-failure'), 'printer_paper_out');
    assert.equal((await status.innerText()).trim(), 'Not printed: the printer is out of paper. It can be printed again later.');
    await checkState(ui, '3-reprint-failed');

    // Cover open, then paper back and the cover shut: the chip goes, the reprint prints.
    printer.faults.paperOut = false;
    printer.faults.coverOpen = true;
    assert.equal(await chipText(page, 'cover_open'), 'Printer: cover open');
    printer.faults.coverOpen = false;
    await page.locator('[data-testid="printer"]').waitFor({ state: 'detached', timeout: stateTimeoutMs });
    const receiptsBefore = printer.receipts.length;
    await page.click('[data-testid="detail-reprint-customer"]');
    await page.locator('[data-testid="print-status"][data-state="printed"]').waitFor({ timeout: stateTimeoutMs });
    assert.equal(printer.receipts.length, receiptsBefore + 1, 'the customer copy printed once');

    // In Persian, the problem is said in Persian.
    await chooseLocale(page, 'fa');
    printer.faults.paperOut = true;
    assert.equal(await chipText(page, 'paper_out'), `${catalogues.fa['status.printer'].replace('{problem}', catalogues.fa['printer.problem.paper_out'])}`);
    await checkState(ui, '4-paper-out-fa');
    printer.faults.paperOut = false;
    await page.locator('[data-testid="printer"]').waitFor({ state: 'detached', timeout: stateTimeoutMs });

    // The customer's copy preference: off in the drawer, a sale prints the merchant's copy only.
    await page.click('[data-testid="status-summary"]');
    const copy = page.locator('[data-testid="print-customer-copy"]');
    assert.equal(await copy.isChecked(), true, 'the customer copy prints by default');
    await copy.click();
    await until('printCustomerCopy saved', 10_000, async () => (await api.call<{ printCustomerCopy: boolean }>('preferences.get')).printCustomerCopy === false);
    await page.keyboard.press('Escape');
    const before = printer.receipts.length;
    api.discardPending();
    const quiet: PaymentUpdate = await simSale(api, '300', 'USD');
    await api.nextEvent<{ transactionId: string; copy: string; printed: boolean }>('receipt.printed', (printed) => printed.transactionId === quiet.paymentId && printed.copy === 'merchant', stateTimeoutMs);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(printer.receipts.length, before + 1, 'one copy: the merchant’s');
    assert.deepEqual(ui.consoleErrors, [], 'no CSP violations or script errors in the page');
  } finally {
    await cleanup.run();
  }
});
