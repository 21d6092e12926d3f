// What a receipt printer driver says to the printer, whatever carries the bytes (a TCP
// connection, a serial port): DLE EOT 1–4 before each receipt, a refusal by name when the paper
// is out, the cover open or the printer offline, the receipt, and DLE EOT 1–4 again after it.
// The second status is how a receipt cut short is noticed: a printer that ran out of paper
// partway stops printing and reports paper out, so the print fails by name and the receipt stays
// reprintable instead of being taken as printed. Each transport supplies a PrinterLink.
import { decodeFullStatus, encodeFullStatusRequest, type PrinterStatus } from '../../device/escpos/status.js';
import { EscPosError } from '../../device/escpos/escpos-error.js';
import { PrinterError } from './printer-error.js';

/** What a till needs to decide whether to print or tell the operator why not. */
export type ReceiptPrinterStatus = Pick<PrinterStatus, 'online' | 'coverOpen' | 'paperOut' | 'paperNearEnd' | 'errors'>;

/** One open channel to the printer for the length of one operation. */
export interface PrinterLink {
  /** Drops bytes received so far that no one asked for (a late reply to a timed-out request). */
  discardPending(): void;
  /** Resolves with exactly `count` bytes once they have arrived. */
  read(count: number): Promise<Uint8Array>;
  /** Resolves once the bytes are handed to the operating system. */
  write(bytes: Uint8Array): Promise<void>;
}

/** Asks DLE EOT 1, 2, 3 and 4 and decodes the four replies; `address` names the printer in errors. */
export async function readPrinterStatus(link: PrinterLink, address: string): Promise<ReceiptPrinterStatus> {
  link.discardPending();
  const replies = link.read(4);
  await link.write(encodeFullStatusRequest());
  const bytes = await replies;
  try {
    const { online, coverOpen, paperOut, paperNearEnd, errors } = decodeFullStatus(bytes);
    return { online, coverOpen, paperOut, paperNearEnd, errors };
  } catch (error) {
    if (error instanceof EscPosError) throw new PrinterError('printer_status_invalid', `printer ${address} sent an invalid status reply: ${error.message}`, { cause: error });
    throw error;
  }
}

/** The refusal a status calls for, or null when the printer can print. */
export function refusalFor(status: ReceiptPrinterStatus, address: string, stage: 'before' | 'after'): PrinterError | null {
  const outcome = stage === 'before' ? 'receipt not sent' : 'the receipt is incomplete; reprint it';
  if (status.paperOut) return new PrinterError('printer_paper_out', `printer ${address} is out of paper; ${outcome}`);
  if (status.coverOpen) return new PrinterError('printer_cover_open', `printer ${address} has its cover open; ${outcome}`);
  if (!status.online || status.errors.any) return new PrinterError('printer_offline', `printer ${address} reports offline or an error; ${outcome}`);
  return null;
}

/** Status, refusal or receipt, then status again; resolves once the printer reports itself fine after the receipt. */
export async function printReceiptOnLink(link: PrinterLink, receiptBytes: Uint8Array, address: string): Promise<void> {
  const before = refusalFor(await readPrinterStatus(link, address), address, 'before');
  if (before) throw before;
  await link.write(receiptBytes);
  const after = refusalFor(await readPrinterStatus(link, address), address, 'after');
  if (after) throw after;
}

/**
 * Buffers bytes from a transport and hands them out by count, for PrinterLink.read. One read
 * waits at a time, which is all the request-then-reply exchange needs.
 */
export class ReplyBuffer {
  private received = new Uint8Array(0);
  private waiting: { count: number; resolve: (bytes: Uint8Array) => void } | null = null;

  push(chunk: Uint8Array): void {
    const joined = new Uint8Array(this.received.length + chunk.length);
    joined.set(this.received);
    joined.set(chunk, this.received.length);
    this.received = joined;
    this.deliver();
  }

  read(count: number): Promise<Uint8Array> {
    return new Promise((resolve) => {
      this.waiting = { count, resolve };
      this.deliver();
    });
  }

  clear(): void {
    this.received = new Uint8Array(0);
  }

  private deliver(): void {
    if (!this.waiting || this.received.length < this.waiting.count) return;
    const { count, resolve } = this.waiting;
    this.waiting = null;
    const bytes = this.received.slice(0, count);
    this.received = this.received.slice(count);
    resolve(bytes);
  }
}
