// The receipt and day report layouts: what a receipt must show and must never show, in each
// language, and amounts formatted without floats.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DayReport } from '../../core/api/day-reports.js';
import { dayReportLines } from './day-report-layout.js';
import { formatReceiptAmount } from './receipt-format.js';
import { receiptLabels } from './receipt-labels/index.js';
import { typesetReceipt, type ReceiptLine } from './receipt-typesetter.js';
import { transactionReceiptLines, type TransactionReceiptInput } from './transaction-receipt-layout.js';

const payment: TransactionReceiptInput = {
  entry: { id: '01JQ4ZK8V7Q2N8M4R6T1W5Y0AB', kind: 'payment', currency: 'USD', amountMinor: '1250', createdAtMs: Date.UTC(2026, 0, 2, 23, 30), referencesId: null, card: { panMasked: '533812******4821', atc: 1, mode: 'offline', cvm: 'none' }, operatorId: null },
  mode: 'offline',
  terminalId: 'term-1',
  copy: 'customer',
  preferences: { locale: 'en', timeZone: 'Asia/Tehran', irrDisplay: 'rial' },
};
const textOf = (lines: ReceiptLine[]): string => lines.map((line) => ('text' in line ? line.text : 'label' in line ? `${line.label} ${line.value}` : 'data' in line ? `QR:${line.data}` : line.type)).join('\n');

test('a payment receipt: copy, kind, local time, amount, last four only, mode, id as text and QR, cut', () => {
  const text = textOf(transactionReceiptLines(payment));
  assert.match(text, /CUSTOMER COPY/);
  assert.match(text, /SALE/);
  assert.match(text, /03\/01\/2026/, 'the date in Tehran, not UTC');
  assert.match(text, /03:00:00/);
  assert.match(text, /12\.50 USD/);
  assert.match(text, /\*\*\*\* \*\*\*\* \*\*\*\* 4821/);
  assert.doesNotMatch(text, /533812/, 'never the BIN');
  assert.match(text, /Approved offline/);
  assert.match(text, /QR:01JQ4ZK8V7Q2N8M4R6T1W5Y0AB/);
  assert.equal(transactionReceiptLines(payment).at(-1)?.type, 'cut');
});

test('a refund names its original payment; a void in Turkish', () => {
  const refund = textOf(transactionReceiptLines({ ...payment, entry: { ...payment.entry, kind: 'refund', card: null, referencesId: '01JQ4ZM2C5D6E7F8G9H0J1K2M3' } }));
  assert.match(refund, /REFUND[\s\S]*Original payment\n01JQ4ZM2C5D6E7F8G9H0J1K2M3/);
  const voided = textOf(transactionReceiptLines({ ...payment, preferences: { ...payment.preferences, locale: 'tr' }, entry: { ...payment.entry, kind: 'void', referencesId: '01JQ4ZM2C5D6E7F8G9H0J1K2M3' } }));
  assert.match(voided, /İPTAL/);
  assert.match(voided, /Asıl ödeme/);
});

test('Jalali date and Persian digits for fa; IRR in rials or tomans', () => {
  const text = textOf(transactionReceiptLines({ ...payment, preferences: { locale: 'fa', timeZone: 'Asia/Tehran', irrDisplay: 'rial' } }));
  assert.match(text, /۱۴۰۴\/۱۰\/۱۳/, 'the 13th of Dey 1404');
  const labels = receiptLabels;
  assert.equal(formatReceiptAmount(12_500_000n, 'IRR', 'en', 'rial', labels.en), '12,500,000 IRR');
  assert.equal(formatReceiptAmount(12_500_005n, 'IRR', 'en', 'toman', labels.en), '1,250,000.5 toman');
  assert.equal(formatReceiptAmount(240050n, 'TRY', 'tr', 'rial', labels.tr), '2.400,50 TRY');
  assert.equal(formatReceiptAmount(1n, 'USDT', 'fa', 'rial', labels.fa), '۰٫۰۰۰۰۰۱ USDT');
});

test('English text pads label and value into 42 columns', () => {
  const document = typesetReceipt(transactionReceiptLines(payment), { direction: 'ltr' });
  for (const block of document.blocks) if (block.type === 'text' && !block.doubleSize) assert.ok(Array.from(block.text).length <= 42, block.text);
});

test('a provisional Z report lists figures per currency and differences by id', () => {
  const zero = { count: 0, totalMinor: '0' };
  const report: DayReport = {
    id: '01JQ50000000000000000000ZZ', kind: 'z', terminalId: 'term-1', fromMs: 0, toMs: Date.UTC(2026, 0, 2), createdAtMs: Date.UTC(2026, 0, 2), provisional: true, completedAtMs: null, sequence: 3,
    currencies: [{ currency: 'USD', sales: { count: 2, totalMinor: '1500' }, salesOnline: { count: 1, totalMinor: '1000' }, salesOffline: { count: 1, totalMinor: '500' }, refunds: zero, refundsOnline: zero, refundsOffline: zero, voids: zero, reversals: zero, netMinor: '1500', unsynced: { count: 1, totalMinor: '500' } }],
    reconciliation: { state: 'differences', checkedAtMs: 1, differences: [{ transactionId: '01JQ4ZK8V7Q2N8M4R6T1W5Y0AB', currency: 'USD', terminalAmountMinor: '500', centralAmountMinor: null, problem: 'missing_at_central' }] },
  };
  const text = textOf(dayReportLines({ report, preferences: { locale: 'en', timeZone: 'UTC', irrDisplay: 'rial' } }));
  assert.match(text, /Z REPORT/);
  assert.match(text, /PROVISIONAL/);
  assert.match(text, /Close no\. 3/);
  assert.match(text, /Sales \(2\) 15\.00 USD/);
  assert.match(text, /Net 15\.00 USD/);
  assert.match(text, /01JQ4ZK8V7Q2N8M4R6T1W5Y0AB\nmissing at central/);
});
