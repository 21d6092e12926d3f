// The runtime's receipt printing: a transaction's receipt (payment, refund, void) in the
// merchant's or customer's copy, a day report, and the copies printed by themselves after each
// approved payment. Printing never blocks or fails a payment: the copies after an approval print
// in the background, one receipt at a time, and each outcome is published as 'receipt.printed'
// with the failure named (paper out, cover open, …); the receipt stays reprintable through
// receipt.print, since everything it shows is read from the ledger at print time.
import type { DayReport } from '../../core/api/day-reports.js';
import { ApiError } from '../../core/api/envelope.js';
import { toJournalEntry } from '../../core/api/journal.js';
import { preferencesSchema, type Preferences } from '../../core/api/preferences.js';
import type { PrintFailureCode, PrintResult } from '../../core/api/receipts.js';
import type { ReceiptCopy } from '../../device/escpos/transaction-receipt-layout.js';
import { PrinterError } from '../../drivers/printer/printer-error.js';
import type { Ledger } from '../../ledger/ledger.js';
import { PreferencesStore } from '../../ledger/stores/preferences-store.js';
import { defaultPreferences } from '../api/preferences-handlers.js';
import type { Logger } from '../logger.js';
import type { PrinterDevice } from './printer-device.js';
import { encodeDayReport, encodeTransactionReceipt } from './receipt-rendering.js';

export type ReceiptPrintedEvent = PrintResult & { transactionId: string; copy: ReceiptCopy };

export interface ReceiptPrintingOptions {
  /** The configured printer; null answers printer_not_configured. */
  printer: PrinterDevice | null;
  terminalId: string;
  currentLedger: () => Ledger;
  /** A stored Z report by id, or the X report now; absent until the day close is wired. */
  reportFor?: (reportId: string | undefined) => Promise<DayReport>;
  publish: (event: ReceiptPrintedEvent) => void;
  logger: Logger;
  preferenceDefaults?: () => Preferences;
}

/** Receipts waiting beyond this are refused printer_busy rather than queued for minutes. */
const maxQueuedReceipts = 16;
const printableKinds = new Set(['payment', 'refund', 'void']);

export class ReceiptPrinting {
  private queued = 0;

  constructor(private readonly options: ReceiptPrintingOptions) {}

  /** Prints a transaction's receipt; `both` prints the merchant's copy, then the customer's. */
  async printTransaction(transactionId: string, copy: ReceiptCopy | 'both'): Promise<PrintResult> {
    const copies: ReceiptCopy[] = copy === 'both' ? ['merchant', 'customer'] : [copy];
    let unmappableCount = 0;
    for (const each of copies) {
      const result = await this.printCopy(transactionId, each);
      unmappableCount += result.unmappableCount;
      if (!result.printed) return { ...result, unmappableCount };
    }
    return { printed: true, failure: null, unmappableCount };
  }

  /** Prints a stored Z report by id, or the X report now. */
  async printReport(reportId: string | undefined): Promise<PrintResult> {
    if (!this.options.reportFor) throw new ApiError('runtime_unavailable', 'day reports are not available on this runtime');
    const report = await this.options.reportFor(reportId);
    const preferences = await this.preferences();
    return this.send(() => encodeDayReport({ report, preferences }), { reportId: report.id });
  }

  /** After an approval: the merchant's copy, and the customer's if the merchant wants it. Never rejects. */
  afterApproval(paymentId: string): void {
    void (async () => {
      const { printCustomerCopy } = await this.preferences();
      for (const copy of printCustomerCopy ? (['merchant', 'customer'] as const) : (['merchant'] as const)) {
        const result = await this.printCopy(paymentId, copy);
        this.options.publish({ ...result, transactionId: paymentId, copy });
      }
    })().catch((error: unknown) => this.options.logger.warn({ transactionId: paymentId, err: error instanceof Error ? error.message : String(error) }, 'receipt after approval not printed'));
  }

  private async printCopy(transactionId: string, copy: ReceiptCopy): Promise<PrintResult> {
    const transaction = await this.options.currentLedger().transactions.get(transactionId);
    if (!transaction || !printableKinds.has(transaction.kind)) {
      throw new ApiError('invalid_params', `transaction_not_found: no payment, refund or void ${transactionId} on this terminal`);
    }
    const entry = toJournalEntry(transaction);
    const memoMode = transaction.memo === 'online' || transaction.memo === 'offline' ? transaction.memo : null;
    const preferences = await this.preferences();
    const input = { entry, mode: entry.card?.mode ?? memoMode, terminalId: this.options.terminalId, copy, preferences };
    return this.send(() => encodeTransactionReceipt(input), { transactionId, copy });
  }

  /** Encodes and prints one receipt in its turn; a printer failure is answered by name. */
  private async send(encode: () => { bytes: Uint8Array; unmappable: number }, logFields: Record<string, string>): Promise<PrintResult> {
    const { printer, logger } = this.options;
    if (!printer) return { printed: false, failure: 'printer_not_configured', unmappableCount: 0 };
    if (this.queued >= maxQueuedReceipts) return { printed: false, failure: 'printer_busy', unmappableCount: 0 };
    const encoded = encode();
    this.queued += 1;
    try {
      await printer.print(encoded.bytes);
      logger.info({ ...logFields, bytes: encoded.bytes.length }, 'receipt printed');
      return { printed: true, failure: null, unmappableCount: encoded.unmappable };
    } catch (error) {
      if (!(error instanceof PrinterError)) throw error;
      const failure: PrintFailureCode = error.code;
      logger.warn({ ...logFields, reason: failure }, `receipt not printed: ${error.message}`);
      return { printed: false, failure, unmappableCount: encoded.unmappable };
    } finally {
      this.queued -= 1;
    }
  }

  private async preferences(): Promise<Preferences> {
    const defaults = this.options.preferenceDefaults ?? defaultPreferences;
    // A damaged stored value prints with the defaults rather than not at all.
    const chosen = await new PreferencesStore(this.options.currentLedger()).chosen().catch(() => ({}));
    return preferencesSchema.parse({ ...defaults(), ...chosen });
  }
}
