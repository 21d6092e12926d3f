// A transaction's receipt (payment, refund, void) as receipt lines: header, which copy, the
// kind, terminal, date and time in the terminal's time zone, amount, the card's last four, how
// it was approved (online or offline), the cardholder's PIN when the card checked it, the
// operator who made it, its id as text and as a QR code (what a refund scans),
// the original payment's id for a refund or void, and the cut. Pure: the runtime gathers the
// entry from the ledger and the preferences, typesetReceipt makes the printer's blocks.
import type { JournalEntry } from '../../core/api/journal.js';
import type { Preferences } from '../../core/api/preferences.js';
import { formatReceiptAmount, formatReceiptDateTime, maskedCardForReceipt } from './receipt-format.js';
import { receiptLabels, type ReceiptLabels } from './receipt-labels/index.js';
import type { ReceiptLine } from './receipt-typesetter.js';

export type ReceiptCopy = 'merchant' | 'customer';

export interface TransactionReceiptInput {
  entry: Pick<JournalEntry, 'id' | 'kind' | 'currency' | 'amountMinor' | 'createdAtMs' | 'referencesId' | 'card' | 'operatorId'>;
  /** How it was approved: the card's mode for a payment, the memo for a refund or void; null if unknown. */
  mode: 'online' | 'offline' | null;
  terminalId: string;
  copy: ReceiptCopy;
  preferences: Pick<Preferences, 'locale' | 'timeZone' | 'irrDisplay'>;
}

function kindTitle(kind: string, labels: ReceiptLabels): string {
  if (kind === 'payment') return labels.kindPayment;
  if (kind === 'refund') return labels.kindRefund;
  if (kind === 'void') return labels.kindVoid;
  return labels.kindOther;
}

export function transactionReceiptLines(input: TransactionReceiptInput): ReceiptLine[] {
  const { entry, preferences } = input;
  const labels = receiptLabels[preferences.locale];
  const { date, time } = formatReceiptDateTime(entry.createdAtMs, preferences.locale, preferences.timeZone);
  // Refunds and voids move money back; the receipt shows the amount as the customer sees it.
  const amount = formatReceiptAmount(BigInt(entry.amountMinor), entry.currency, preferences.locale, preferences.irrDisplay, labels);
  const isPayment = entry.kind === 'payment';
  const lines: ReceiptLine[] = [
    { type: 'center', text: labels.brand, bold: true },
    { type: 'center', text: input.copy === 'merchant' ? labels.merchantCopy : labels.customerCopy },
    { type: 'rule' },
    { type: 'title', text: kindTitle(entry.kind, labels) },
    { type: 'pair', label: labels.terminal, value: input.terminalId },
    { type: 'pair', label: labels.date, value: date },
    { type: 'pair', label: labels.time, value: time },
    { type: 'pair', label: labels.timeZone, value: preferences.timeZone },
    { type: 'rule' },
    { type: 'pair', label: labels.amount, value: amount, bold: true },
  ];
  if (entry.card) lines.push({ type: 'pair', label: labels.card, value: maskedCardForReceipt(entry.card.panMasked) });
  if (entry.card?.cvm === 'card_pin') lines.push({ type: 'pair', label: labels.cvm, value: labels.cvmCardPin });
  if (input.mode) lines.push({ type: 'pair', label: labels.mode, value: input.mode === 'online' ? labels.modeOnline : labels.modeOffline });
  if (entry.operatorId) lines.push({ type: 'pair', label: labels.operator, value: entry.operatorId });
  lines.push({ type: 'rule' }, { type: 'text', text: isPayment ? labels.paymentId : labels.transactionId }, { type: 'text', text: entry.id });
  if (entry.referencesId) lines.push({ type: 'text', text: labels.originalPaymentId }, { type: 'text', text: entry.referencesId });
  lines.push({ type: 'qr', data: entry.id }, { type: 'center', text: labels.thanks }, { type: 'feed', lines: 2 }, { type: 'cut' });
  return lines;
}
