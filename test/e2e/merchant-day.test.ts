// The merchant's day end to end, through real processes and the real screen: mosquitto with
// ACLs, `devpay central` issuing the simulator's cards, and per language (English, then Persian)
// a `devpay serve --sim` terminal reaching the broker through a loopback proxy that can take it
// off the link, driven in Chromium at 800×480. A sale; a partial refund (pressed twice: one
// refund); a second partial refund; an over-refund declined with its reason in the merchant's
// language; a sale made while central is unreachable (approved offline) and voided; the journal
// showing each with its sync state in words; the day closed: refused for the unsynced offline
// sale and void, closed provisionally after an explicit confirmation, its Z report's totals
// checked and printed, and the report completed once the link is back and central decided.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { PaymentDetail } from '../../core/api/corrections.js';
import type { Preferences } from '../../core/api/preferences.js';
import type { TerminalStatus } from '../../core/api/status.js';
import type { CurrencyCode } from '../../core/currency.js';
import { catalogues, type MessageKey } from '../../renderer/i18n/catalogues.js';
import { requireTools } from '../harness/require-tool.js';
import { chromiumPath, launchChromium } from '../harness/chromium.js';
import { startDevpay } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { openApiSession, type ApiSession } from '../harness/api-session.js';
import { cardKeys, Cleanup, relink, startCardBroker, startCardCentral, startProxy, terminalPassword, unlink, waitFor, type CardKeys } from '../harness/card-rig.js';
import type { MosquittoBroker } from '../harness/mosquitto.js';
import { closeRefundDialog, journalRows, openPayment, refundOnScreen, saleOnScreen } from './support/merchant-flow.js';
import { chooseLocale, hasPersianDigitsOnly, openUi } from './support/ui-session.js';
import { reauthenticate, signIn } from '../harness/operator-sign-in.js';

const keys = cardKeys('5d'.repeat(16) + 'a7'.repeat(16));
const stateTimeoutMs = 20_000;

/** Each language in its home currency: a sale, two partial refunds, an over-refund, an offline sale (within the simulator cards' offline cap of 40 units). */
const plans: Record<'en' | 'fa', { currency: CurrencyCode; sale: string; refunds: [string, string]; overRefund: string; offlineSale: string }> = {
  en: { currency: 'USD', sale: '5000', refunds: ['1000', '1500'], overRefund: '3000', offlineSale: '2000' },
  fa: { currency: 'IRR', sale: '500000', refunds: ['100000', '150000'], overRefund: '300000', offlineSale: '35' },
};

async function merchantDay(browser: Browser, broker: MosquittoBroker, cardKeysOfCentral: CardKeys, locale: 'en' | 'fa', cleanup: Cleanup): Promise<void> {
  const plan = plans[locale];
  const messages = catalogues[locale];
  const terminalId = `t-day-${locale}`;
  const dir = freshDir(`merchant-day-${locale}`);
  writeFileSync(join(dir, 'terminal.json'), JSON.stringify({ terminalId, createdAt: '2026-11-24T00:00:00.000Z' }));
  const proxy = await startProxy(broker.port, cleanup);
  const terminal = await startDevpay(['serve', '--no-pcsc', '--sim', '--headless', '--data', dir, '--port', '0', '--mqtt', `127.0.0.1:${proxy.port}`, '--mqtt-user', terminalId], {
    env: {
      DEVPAY_MQTT_PASSWORD: terminalPassword(terminalId),
      DEVPAY_SYNC_KEY: cardKeysOfCentral.syncKeyHex(terminalId),
      DEVPAY_CENTRAL_PUBLIC_KEY: cardKeysOfCentral.centralPublicKeyHex,
      DEVPAY_SIM_CARD_MASTER_KEY: cardKeysOfCentral.cardMasterHex,
      DEVPAY_LOG_LEVEL: 'info',
    },
  });
  cleanup.add(`terminal ${terminalId}`, () => terminal.stop());
  const url = new URL(terminal.url);
  const api: ApiSession = await openApiSession(`ws://${url.host}/api?token=${url.searchParams.get('token')}`);
  cleanup.add(`api ${terminalId}`, () => api.close());
  // The counter screen is for a signed-in operator; the page reads the terminal's session.
  await signIn(api);
  const status = (): Promise<TerminalStatus> => api.call<TerminalStatus>('status.get');
  const detailOf = (paymentId: string): Promise<PaymentDetail> => api.call<PaymentDetail>('journal.detail', { paymentId });
  await waitFor(`${terminalId} to hold limits and reserve tokens`, 30_000, async () => (await status()).sync.offlineLimits !== null && /reserve tokens replenished/.test(terminal.output()));
  await api.call<Preferences>('preferences.set', { timeZone: 'Asia/Tehran' });

  const ui = await openUi(browser, terminal.url, { width: 800, height: 480 }, `merchant-day-${locale}`);
  const { page } = ui;
  try {
    await chooseLocale(page, locale);
    await page.locator('[data-testid="sim-card-0"]').waitFor({ timeout: stateTimeoutMs });

    // A sale, online; once central settled it, it can be refunded.
    const sale = await saleOnScreen(page, plan.currency, plan.sale);
    assert.equal(sale.mode, 'online');
    await waitFor('the sale settled', 30_000, async () => (await detailOf(sale.paymentId)).syncState === 'settled');
    await openPayment(page, sale.paymentId);
    await page.locator('[data-testid="payment-detail"][data-sync-state="settled"]').waitFor({ timeout: stateTimeoutMs });

    // A partial refund, pressed twice: one refund.
    const first = await refundOnScreen(page, plan.refunds[0], { doublePress: true });
    const afterFirst = String(BigInt(plan.sale) - BigInt(plan.refunds[0]));
    assert.deepEqual([first.outcome, first.mode, first.remainingMinor], ['approved', 'online', afterFirst], first.text);
    await closeRefundDialog(page);
    await page.locator(`[data-testid="payment-detail"][data-remaining-minor="${afterFirst}"]`).waitFor({ timeout: stateTimeoutMs });

    // A second partial refund, from a new dialog (a new client id).
    const second = await refundOnScreen(page, plan.refunds[1]);
    const afterSecond = String(BigInt(afterFirst) - BigInt(plan.refunds[1]));
    assert.deepEqual([second.outcome, second.mode, second.remainingMinor], ['approved', 'online', afterSecond], second.text);
    assert.notEqual(second.clientId, first.clientId, 'each dialog opening makes its own client id');

    // More than is left: declined by name, said in the merchant's language.
    await page.click('[data-testid="refund-close"]');
    const over = await refundOnScreen(page, plan.overRefund);
    assert.deepEqual([over.outcome, over.reason], ['declined', 'refund_exceeds_remaining'], over.text);
    assert.ok(over.text.includes(messages['correction.refund_exceeds_remaining']), `the localised reason on screen: "${over.text}"`);
    assert.doesNotMatch(over.text, /refund_exceeds_remaining/, 'no code on screen');
    if (locale !== 'en') assert.ok(!over.text.includes(catalogues.en['correction.refund_exceeds_remaining']), 'no English in another language');
    await ui.shot('1-over-refund-declined');
    await closeRefundDialog(page);
    const detail = await detailOf(sale.paymentId);
    assert.deepEqual([detail.refundedMinor, detail.remainingMinor], [String(BigInt(plan.refunds[0]) + BigInt(plan.refunds[1])), afterSecond], 'two refunds, no more');
    assert.equal(detail.related.filter((entry) => entry.kind === 'refund').length, 2, 'the double press refunded once');
    await waitFor('the refunds settled', 30_000, async () => (await status()).sync.unsyncedCount === 0);

    // Central unreachable: a sale approved offline, then voided at the terminal.
    unlink(proxy);
    await waitFor('central unreachable', 20_000, async () => !(await status()).link.centralReachable);
    const offline = await saleOnScreen(page, plan.currency, plan.offlineSale);
    assert.equal(offline.mode, 'offline');
    await openPayment(page, offline.paymentId);
    await page.locator('[data-testid="payment-detail"][data-voidable="true"]').waitFor({ timeout: stateTimeoutMs });
    await page.click('[data-testid="detail-void"]');
    await page.click('[data-testid="void-confirm"]');
    const voided = page.locator('[data-testid="void-result"]');
    await voided.waitFor({ timeout: stateTimeoutMs });
    assert.deepEqual([await voided.getAttribute('data-outcome'), await voided.getAttribute('data-mode')], ['approved', 'offline'], await voided.innerText());
    await ui.shot('2-offline-sale-voided');

    // The journal: each transaction with its sync state in words (and Persian digits in Persian).
    await page.click('[data-testid="detail-back"]');
    const rows = await journalRows(page);
    const expected = [
      { id: sale.paymentId, kind: 'payment', syncState: 'settled' },
      { id: offline.paymentId, kind: 'payment', syncState: 'pending' },
    ];
    for (const want of expected) {
      const row = rows.find((candidate) => candidate.id === want.id);
      assert.ok(row, `the journal lists ${want.id}: ${JSON.stringify(rows)}`);
      assert.deepEqual([row.kind, row.syncState, row.stateText], [want.kind, want.syncState, messages[`syncState.${want.syncState}` as MessageKey]]);
      if (locale === 'fa') assert.ok(hasPersianDigitsOnly(row.amountText), `Persian digits: ${row.amountText}`);
    }
    const refunds = rows.filter((row) => row.kind === 'refund');
    assert.deepEqual(refunds.map((row) => [row.syncState, row.stateText]), [['settled', messages['syncState.settled']], ['settled', messages['syncState.settled']]], 'two refunds, settled');
    const voids = rows.filter((row) => row.kind === 'void');
    assert.deepEqual(voids.map((row) => [row.syncState, row.stateText]), [['pending', messages['syncState.pending']]], 'one void, pending while offline');
    assert.equal(rows.length, 5, `two sales, two refunds, one void: ${JSON.stringify(rows)}`);
    await ui.shot('3-journal');

    // The day close: refused for what central has not decided, then closed provisionally. It is
    // sensitive, so the operator's authentication is made fresh first, as the lock screen would.
    await reauthenticate(api);
    await page.click('[data-testid="nav-day"]');
    await page.locator('[data-testid="day-report"][data-kind="x"]').waitFor({ timeout: stateTimeoutMs });
    await page.click('[data-testid="day-close"]');
    await page.click('[data-testid="day-close-confirm"]');
    const refused = page.locator('[data-testid="day-close-refused"]');
    await refused.waitFor({ timeout: stateTimeoutMs });
    assert.ok(Number(await refused.getAttribute('data-unsynced-count')) >= 2, 'the offline sale and its void are unsynced');
    await page.click('[data-testid="day-close-provisional"]');
    await page.click('[data-testid="day-provisional-confirm"]');
    const report = page.locator('[data-testid="day-report"][data-kind="z"]');
    await report.waitFor({ timeout: stateTimeoutMs });
    assert.equal(await report.getAttribute('data-provisional'), 'true');
    assert.equal((await page.locator('[data-testid="day-provisional"]').innerText()).trim(), messages['day.provisional']);
    const row = async (name: string): Promise<[string | null, string | null]> => {
      const cell = page.locator(`[data-testid="day-currency"][data-currency="${plan.currency}"] [data-testid="day-row"][data-row="${name}"]`);
      return [await cell.getAttribute('data-count'), await cell.getAttribute('data-total-minor')];
    };
    const refunded = String(BigInt(plan.refunds[0]) + BigInt(plan.refunds[1]));
    const sales = String(BigInt(plan.sale) + BigInt(plan.offlineSale));
    assert.deepEqual(await row('sales'), ['2', sales]);
    assert.deepEqual(await row('salesOnline'), ['1', plan.sale]);
    assert.deepEqual(await row('salesOffline'), ['1', plan.offlineSale]);
    assert.deepEqual(await row('refunds'), ['2', refunded]);
    assert.deepEqual(await row('refundsOnline'), ['2', refunded]);
    assert.deepEqual(await row('voids'), ['1', plan.offlineSale]);
    assert.deepEqual(await row('reversals'), ['0', '0']);
    assert.deepEqual((await row('net'))[1], String(BigInt(sales) - BigInt(refunded) - BigInt(plan.offlineSale)));
    await page.click('[data-testid="day-print"]');
    await page.locator('[data-testid="print-status"][data-state="printed"]').waitFor({ timeout: stateTimeoutMs });
    await ui.shot('4-z-provisional');

    // The link back: central decides the offline sale and its void, and the close completes.
    relink(proxy);
    await page.locator('[data-testid="day-report"][data-kind="z"][data-completed="true"]').waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('[data-testid="day-provisional"]').getAttribute('data-state'), 'completed');
    await page.locator('[data-testid="day-past-item"][data-completed="true"]').waitFor();
    await ui.shot('5-z-completed');
    assert.deepEqual(ui.consoleErrors, [], 'no CSP violations or script errors in the page');
  } finally {
    await page.close();
  }
}

test('sale, refunds, an over-refund, an offline void, the journal and the Z report on screen in English and Persian', { timeout: 400_000 }, async (context) => {
  const tools = requireTools(context, ['mosquitto', 'mosquitto_passwd', chromiumPath]);
  if (!tools) return;
  assert.ok(existsSync('dist/renderer/index.html'), 'the renderer is built (npm test runs the build first)');
  const cleanup = new Cleanup();
  try {
    const broker = await startCardBroker(tools[0]!, freshDir('merchant-day-mqtt'), ['t-day-en', 't-day-fa'], cleanup);
    await startCardCentral(freshDir('merchant-day-central'), broker.port, keys, cleanup);
    const browser = await launchChromium();
    cleanup.add('chromium', () => browser.close());
    for (const locale of ['en', 'fa'] as const) await context.test(locale, () => merchantDay(browser, broker, keys, locale, cleanup));
  } finally {
    await cleanup.run();
  }
});
