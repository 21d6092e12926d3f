// The receipts the golden transcripts print, one per language, fixed to the dot: a payment in
// English (USD, online, card PIN, with its operator), a refund in Turkish (TRY, offline, with its original payment) and a
// payment in Persian (IRR shown in tomans, offline, Tehran time, Jalali date). Also used by the
// day benchmark's receipt_encode measurement.
import type { Locale } from '../../core/api/preferences.js';
import type { TransactionReceiptInput } from '../../device/escpos/transaction-receipt-layout.js';

const createdAtMs = Date.UTC(2026, 2, 20, 14, 5, 9);

export const receiptSamples: Readonly<Record<Locale, TransactionReceiptInput>> = {
  en: {
    entry: { id: '01JQ4ZK8V7Q2N8M4R6T1W5Y0AB', kind: 'payment', currency: 'USD', amountMinor: '1250', createdAtMs, referencesId: null, card: { panMasked: '533812******4821', atc: 7, mode: 'online', cvm: 'card_pin' }, operatorId: '01JQ4Z0PER4T0R0000000000AB' },
    mode: 'online',
    terminalId: 'term-counter-01',
    copy: 'merchant',
    preferences: { locale: 'en', timeZone: 'Europe/London', irrDisplay: 'rial' },
  },
  tr: {
    entry: { id: '01JQ4ZM2C5D6E7F8G9H0J1K2M3', kind: 'refund', currency: 'TRY', amountMinor: '240050', createdAtMs, referencesId: '01JQ4ZK8V7Q2N8M4R6T1W5Y0AB', card: null, operatorId: '01JQ4Z0PER4T0R0000000001CD' },
    mode: 'offline',
    terminalId: 'term-counter-01',
    copy: 'customer',
    preferences: { locale: 'tr', timeZone: 'Europe/Istanbul', irrDisplay: 'rial' },
  },
  fa: {
    entry: { id: '01JQ4ZP9QRSTVWXYZ0123456AB', kind: 'payment', currency: 'IRR', amountMinor: '12500000', createdAtMs, referencesId: null, card: { panMasked: '603799******1234', atc: 12, mode: 'offline', cvm: 'none' }, operatorId: null },
    mode: 'offline',
    terminalId: 'term-counter-01',
    copy: 'merchant',
    preferences: { locale: 'fa', timeZone: 'Asia/Tehran', irrDisplay: 'toman' },
  },
};
