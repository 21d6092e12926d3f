// End to end, in Debian's Chromium against a real `devpay serve --headless --sim`: the merchant's
// day screens (journal, a payment's detail with its ledger movements, the refund dialog with a
// decline, the void confirmation, a reprint, the day's X report, the close confirmation and a Z
// report) in English, Turkish and Persian at 800×480 (and English at 1280×800). Each state must fit the viewport without
// scrolling the page (the journal's rows and the detail scroll inside themselves), pass axe-core
// with no serious or critical violation, and keep the focus off <body>; a screenshot of each is
// kept in test-output/e2e-ui/. Everything is reached from the keyboard: the screens from the
// status bar, the detail by typing a payment id and Enter as a receipt scanner does, Escape back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { Locale, Preferences } from '../../core/api/preferences.js';
import { catalogues } from '../../renderer/i18n/catalogues.js';
import { requireTools } from '../harness/require-tool.js';
import { chromiumPath, launchChromium } from '../harness/chromium.js';
import { startDevpay } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { openApiSession, type ApiSession } from '../harness/api-session.js';
import { assertFits } from './support/layout.js';
import { assertAccessible } from './support/axe.js';
import { apiRefund, simSale, untilSettled } from './support/merchant-data.js';
import { chooseLocale, focused, hasPersianDigitsOnly, openUi, type UiPage } from './support/ui-session.js';
import { reauthenticate, signIn } from '../harness/operator-sign-in.js';

const kiosk = { width: 800, height: 480 };
const stateTimeoutMs = 20_000;

async function checkState(ui: UiPage, state: string, shots: string[]): Promise<void> {
  await assertFits(ui.page, state);
  await assertAccessible(ui.page, state);
  await focused(ui.page);
  shots.push(await ui.shot(state));
}

/** Waits until the focus is on `expected` (focus moves right after a render), then names it. */
async function focusSettles(page: Page, expected: string): Promise<string> {
  await page
    .waitForFunction((name) => {
      const active = document.activeElement;
      return active !== null && (active.getAttribute('data-testid') ?? `${active.tagName.toLowerCase()}#${active.id}`) === name;
    }, expected, { timeout: 5000 })
    .catch(() => undefined);
  return focused(page);
}

/** Presses a control from the keyboard: focus, then Enter. */
async function pressWithKeyboard(page: Page, testId: string): Promise<void> {
  await page.focus(`[data-testid="${testId}"]`);
  await page.keyboard.press('Enter');
}

interface Sales {
  refundedId: string;
  irrId: string;
}

async function drive(browser: Browser, url: string, locale: Locale, size: { width: number; height: number }, sales: Sales, closeTheDay: boolean, shots: string[]): Promise<void> {
  const ui = await openUi(browser, url, size, `merchant-${locale}`);
  const { page } = ui;
  try {
    await chooseLocale(page, locale);
    await page.locator('[data-testid="sim-card-0"]').waitFor({ timeout: stateTimeoutMs });

    // The journal from the status bar: today's rows, the search box holding the focus.
    await pressWithKeyboard(page, 'nav-journal');
    await page.locator('[data-testid="journal-screen"]').waitFor();
    assert.equal(await focusSettles(page, 'journal-search'), 'journal-search', 'the search box takes the focus, ready for a scanner');
    await page.locator('[data-testid="journal-list"][data-loading="false"]').waitFor({ timeout: stateTimeoutMs });
    const rows = page.locator('[data-testid="journal-row"]');
    assert.ok((await rows.count()) >= 3, `today's sales and refund are listed (${await rows.count()})`);
    assert.equal(await page.locator('[data-testid="nav-journal"]').getAttribute('aria-current'), 'page');
    if (locale === 'fa') {
      const irrRow = page.locator(`[data-testid="journal-row"][data-id="${sales.irrId}"] .money`);
      assert.ok(hasPersianDigitsOnly(await irrRow.innerText()), `Persian digits in the journal: ${await irrRow.innerText()}`);
    }
    await checkState(ui, '1-journal', shots);

    // Filters: refunds only, then a range of days (each day in the language's calendar).
    await page.selectOption('[data-testid="filter-kind"]', 'refund');
    await page.locator('[data-testid="journal-list"][data-loading="false"][data-count="1"]').waitFor({ timeout: stateTimeoutMs });
    assert.equal(await rows.first().getAttribute('data-kind'), 'refund');
    await page.selectOption('[data-testid="filter-period"]', 'range');
    await page.locator('[data-testid="filter-from"]').waitFor();
    if (locale === 'fa') assert.match(await page.locator('[data-testid="filter-from"] option').first().innerText(), /۱۴[۰-۹]{2}/, 'Jalali days in Persian');
    await checkState(ui, '2-journal-filters', shots);
    await page.selectOption('[data-testid="filter-period"]', 'today');
    await page.selectOption('[data-testid="filter-kind"]', '');

    // An id this terminal does not know is said so, in the merchant's words.
    await page.keyboard.type('01ARZ3NDEKTSV4RRFFQ69G5FAV');
    await page.keyboard.press('Enter');
    const unknown = page.locator('[data-testid="detail-error"]');
    await unknown.waitFor({ timeout: stateTimeoutMs });
    assert.equal((await unknown.innerText()).trim(), catalogues[locale]['correction.original_not_found']);
    await page.keyboard.press('Escape');

    // A scanner types the receipt's payment id and Enter wherever the focus is on the screen (here
    // on a row): the keys go to the search box and the payment's detail opens.
    await page.focus('[data-testid="journal-row"]');
    await page.keyboard.type(sales.refundedId.toLowerCase());
    await page.keyboard.press('Enter');
    const detail = page.locator(`[data-testid="payment-detail"][data-payment-id="${sales.refundedId}"][data-loaded="true"]`);
    await detail.waitFor({ timeout: stateTimeoutMs });
    assert.equal(await focusSettles(page, 'detail-title'), 'detail-title');
    assert.ok((await page.locator('[data-testid="movement"]').count()) >= 2, 'the payment and its refund with their movements');
    assert.ok((await page.locator('[data-testid="posting"][data-account-kind="merchant"]').count()) >= 2, 'postings in merchant terms');
    await checkState(ui, '3-detail', shots);

    // The refund dialog: an over-refund is declined by the runtime, its reason said by name.
    await pressWithKeyboard(page, 'detail-refund');
    await page.locator('[data-testid="refund-dialog"][open]').waitFor();
    assert.equal(await focusSettles(page, 'amount-input'), 'amount-input');
    await checkState(ui, '4-refund', shots);
    // The full-refund shortcut keys in what is left; Delete clears it again.
    const remaining = await page.locator('[data-testid="refund-remaining"]').getAttribute('data-remaining-minor');
    await page.click('[data-testid="refund-full"]');
    assert.equal(await page.locator('[data-testid="refund-dialog"] [data-testid="amount"]').getAttribute('data-amount-minor'), remaining);
    await page.focus('[data-testid="amount-input"]');
    await page.keyboard.press('Delete');
    for (const digit of '999999') await page.keyboard.press(digit);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="refund-result"][data-outcome="declined"]').waitFor({ timeout: stateTimeoutMs });
    assert.equal(await page.locator('[data-testid="refund-result"]').getAttribute('data-reason'), 'refund_exceeds_remaining');
    await checkState(ui, '5-refund-declined', shots);
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="refund-dialog"]').waitFor({ state: 'detached' });
    assert.equal(await focusSettles(page, 'detail-refund'), 'detail-refund', 'the focus goes back to Refund');

    // A refunded sale cannot be voided, and says why by name.
    assert.equal(await page.locator('[data-testid="detail-void"]').getAttribute('aria-disabled'), 'true');
    assert.equal(await page.locator('[data-testid="detail-void-refusal"]').getAttribute('data-reason'), 'void_after_refund');

    // Another sale, opened from its row: Void asks first; a reprint says what the printer did.
    await page.keyboard.press('Escape');
    await pressWithKeyboard(page, `journal-row"][data-id="${sales.irrId}`);
    await page.locator(`[data-testid="payment-detail"][data-payment-id="${sales.irrId}"][data-loaded="true"]`).waitFor({ timeout: stateTimeoutMs });
    await pressWithKeyboard(page, 'detail-void');
    await page.locator('[data-testid="void-confirm"]').waitFor();
    assert.equal(await focusSettles(page, 'void-confirm'), 'void-confirm');
    await checkState(ui, '6-void-confirm', shots);
    await pressWithKeyboard(page, 'void-keep');
    assert.equal(await focusSettles(page, 'detail-void'), 'detail-void');
    await pressWithKeyboard(page, 'detail-reprint-merchant');
    await page.locator('[data-testid="print-status"]:not([data-state="busy"]):not([data-state="idle"])').waitFor({ timeout: stateTimeoutMs });
    await checkState(ui, '7-reprint', shots);

    // Escape: the detail back to the list, the list back to the counter.
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="journal-list"]').waitFor();
    assert.equal(await focusSettles(page, 'journal-search'), 'journal-search');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="amount-input"]').waitFor();
    assert.equal(await focusSettles(page, 'amount-input'), 'amount-input', 'home again, ready to key an amount');

    // The day: the X report, the close asked first. The close and the customer's copy are
    // sensitive, so the operator's authentication is made fresh first.
    await reauthenticate(url);
    await pressWithKeyboard(page, 'nav-day');
    await page.locator('[data-testid="day-report"][data-kind="x"]').waitFor({ timeout: stateTimeoutMs });
    assert.equal(await focusSettles(page, 'h2#day-title'), 'h2#day-title');
    assert.ok((await page.locator('[data-testid="day-currency"]').count()) >= 2, 'a table per currency');
    await checkState(ui, '8-day-x', shots);
    await pressWithKeyboard(page, 'day-close');
    await page.locator('[data-testid="day-close-confirm"]').waitFor();
    assert.equal(await focusSettles(page, 'day-close-confirm'), 'day-close-confirm');
    await checkState(ui, '9-day-close-confirm', shots);
    if (closeTheDay) {
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="day-report"][data-kind="z"]').waitFor({ timeout: stateTimeoutMs });
      await page.locator('[data-testid="day-past-item"]').first().waitFor({ timeout: stateTimeoutMs });
      await checkState(ui, '10-day-z', shots);
    } else {
      await page.keyboard.press('Escape');
      await page.locator('[data-testid="day-close-panel"]').waitFor({ state: 'detached' });
      assert.equal(await focusSettles(page, 'day-close'), 'day-close');
    }

    // The customer's copy preference, in the details drawer.
    await page.click('[data-testid="status-summary"]');
    const copy = page.locator('[data-testid="print-customer-copy"]');
    const before = await copy.isChecked();
    await copy.click();
    await page.locator(`[data-testid="print-customer-copy"]${before ? ':not(:checked)' : ':checked'}`).waitFor();
    await copy.click();
    await page.locator(`[data-testid="print-customer-copy"]${before ? ':checked' : ':not(:checked)'}`).waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="amount-input"]').waitFor();
    assert.deepEqual(ui.consoleErrors, [], 'no CSP violations or script errors in the page');
  } finally {
    await page.close();
  }
}

test('the journal, detail, refund, void, reprint and day screens fit 800×480 in English, Turkish and Persian (and 1280×800), accessible and keyboard-complete', { timeout: 400_000 }, async (context) => {
  if (!requireTools(context, [chromiumPath])) return;
  assert.ok(existsSync('dist/renderer/index.html'), 'the renderer is built (npm test runs the build first)');
  const server = await startDevpay(['serve', '--headless', '--sim', '--no-pcsc', '--data', freshDir('e2e-merchant-screens'), '--port', '0']);
  const base = new URL(server.url);
  let api: ApiSession | null = null;
  const browser = await launchChromium();
  const shots: string[] = [];
  try {
    api = await openApiSession(`ws://${base.host}/api?token=${base.searchParams.get('token')}`);
    // The counter screen is for a signed-in operator; the page reads the terminal's session.
    await signIn(api);
    await api.call<Preferences>('preferences.set', { timeZone: 'Asia/Tehran' });
    const refunded = await simSale(api, '2500', 'USD');
    const irr = await simSale(api, '1250000', 'IRR');
    await untilSettled(api, refunded.paymentId!);
    await apiRefund(api, refunded.paymentId!, '700', 'USD', 'layout-refund-0001');
    const sales = { refundedId: refunded.paymentId!, irrId: irr.paymentId! };
    const locales = ['en', 'tr', 'fa'] as const;
    // The larger kiosk first (nothing closed), then 800×480 in each language, the last closing the day.
    await context.test('en at 1280×800', () => drive(browser, server.url, 'en', { width: 1280, height: 800 }, sales, false, shots));
    for (const locale of locales) {
      await context.test(`${locale} at 800×480`, () => drive(browser, server.url, locale, kiosk, sales, locale === locales[locales.length - 1], shots));
    }
  } finally {
    await browser.close();
    await api?.close();
    const exit = await server.stop('SIGINT');
    assert.equal(exit, 0, `devpay serve exits cleanly on SIGINT:\n${server.output()}`);
  }
  for (const shot of shots) assert.ok(existsSync(shot), shot);
});
