// Receipt lines to printer bytes in the language the merchant chose: English and Turkish as code
// page 857 text, Persian as raster lines drawn from the Vazirmatn font (parsed at the first
// Persian receipt, then kept). Used by the printing service, the golden transcripts and the
// benchmark, so all three print the very same bytes.
import type { Locale } from '../../core/api/preferences.js';
import { dayReportLines, type DayReportInput } from '../../device/escpos/day-report-layout.js';
import { encodeReceipt, type EncodedReceipt } from '../../device/escpos/receipt.js';
import { typesetReceipt, type LineRasteriser, type ReceiptLine, type Typesetting } from '../../device/escpos/receipt-typesetter.js';
import { transactionReceiptLines, type TransactionReceiptInput } from '../../device/escpos/transaction-receipt-layout.js';
import { FontLineRasteriser } from '../../drivers/printer/font-line-rasteriser.js';

let rasteriser: LineRasteriser | null = null;

function typesettingFor(locale: Locale): Typesetting {
  if (locale !== 'fa') return { direction: 'ltr' };
  rasteriser ??= new FontLineRasteriser();
  return { direction: 'rtl', rasteriser };
}

export function encodeLines(lines: readonly ReceiptLine[], locale: Locale): EncodedReceipt {
  return encodeReceipt(typesetReceipt(lines, typesettingFor(locale)));
}

export function encodeTransactionReceipt(input: TransactionReceiptInput): EncodedReceipt {
  return encodeLines(transactionReceiptLines(input), input.preferences.locale);
}

export function encodeDayReport(input: DayReportInput): EncodedReceipt {
  return encodeLines(dayReportLines(input), input.preferences.locale);
}
