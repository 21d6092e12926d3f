// The receipts' API handlers (core/api/receipts.ts): print or reprint a transaction's receipt,
// print a day report. The printing service is asked for at call time, so a rebuilt one (a
// reopened ledger) is the one used.
import type { ReceiptPrinting } from '../printing/receipt-printing.js';
import type { CommandHandlers } from './api-server.js';

type Handled = 'receipt.print' | 'report.print';

export function receiptHandlers(currentPrinting: () => ReceiptPrinting): Pick<CommandHandlers, Handled> {
  return {
    'receipt.print': ({ transactionId, copy }) => currentPrinting().printTransaction(transactionId, copy),
    'report.print': ({ reportId }) => currentPrinting().printReport(reportId),
  };
}
