// The receipt printer drivers' one error class. Callers branch on `code`, which matches the API's
// print failure codes (core/api/receipts.ts), so a failure reaches the screen by the same name
// the driver gave it, whichever transport (TCP, serial) carried the bytes.

export type PrinterErrorCode =
  /** Connected, but the printer did not answer or accept the bytes in time (hung, asleep, busy). */
  | 'printer_timeout'
  /** No connection: refused, no route, unknown host, no such serial port, or no connection within the timeout. */
  | 'printer_unreachable'
  /** The printer reports itself offline for another reason, or the link was lost mid-operation. */
  | 'printer_offline'
  /** The printer reports no paper: before the receipt (nothing sent) or after it (the receipt is incomplete). */
  | 'printer_paper_out'
  /** The printer reports its cover open: before the receipt (nothing sent) or after it (incomplete). */
  | 'printer_cover_open'
  /** The status reply was not a valid DLE EOT reply (escpos_status_invalid from the codec). */
  | 'printer_status_invalid';

export class PrinterError extends Error {
  constructor(
    readonly code: PrinterErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PrinterError';
  }
}
