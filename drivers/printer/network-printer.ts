// A receipt printer on the network, spoken to over raw TCP (port 9100, "JetDirect"/AppSocket),
// which Epson-compatible Ethernet printers expose. The codec in device/escpos makes the bytes and
// escpos-session.ts decides what to say; this file only moves the bytes. Each operation opens its
// own connection and closes it afterwards, because many printers serve one client at a time and a
// held connection locks out the next till or the diagnostics screen. The status checks before
// and after the receipt travel on the same connection, so no other client slips in between.
import { createConnection, type Socket } from 'node:net';
import { printReceiptOnLink, readPrinterStatus, ReplyBuffer, type PrinterLink, type ReceiptPrinterStatus } from './escpos-session.js';
import { PrinterError } from './printer-error.js';

export { PrinterError, type PrinterErrorCode } from './printer-error.js';

/** Kept for callers that name the network driver's status; the same shape for every transport. */
export type NetworkPrinterStatus = ReceiptPrinterStatus;

export interface NetworkPrinterOptions {
  host: string;
  /** Raw TCP port; 9100 unless the printer is configured otherwise. */
  port?: number;
  /** Bound on one whole operation: connect, status, write, status. */
  timeoutMs: number;
}

export const defaultRawPrintPort = 9100;

// Errors that mean "never connected"; anything else after connecting means the link was lost.
const unreachableCodes = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EADDRNOTAVAIL']);

export class NetworkPrinter {
  readonly host: string;
  readonly port: number;
  private readonly timeoutMs: number;

  constructor(options: NetworkPrinterOptions) {
    this.host = options.host;
    this.port = options.port ?? defaultRawPrintPort;
    this.timeoutMs = options.timeoutMs;
  }

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  /** Asks DLE EOT 1, 2, 3 and 4 and decodes the four replies. */
  status(): Promise<ReceiptPrinterStatus> {
    return this.withLink('status', (link) => readPrinterStatus(link, this.address));
  }

  /**
   * Checks status, writes an encoded receipt (from encodeReceipt), checks status again. Paper
   * out, cover open or offline refuse by name before any receipt byte is sent, or after it when
   * the receipt was cut short.
   */
  print(receiptBytes: Uint8Array): Promise<void> {
    return this.withLink('print', (link) => printReceiptOnLink(link, receiptBytes, this.address));
  }

  async close(): Promise<void> {}

  /** Opens a connection, runs body on it, and always closes it; every failure is a PrinterError. */
  private withLink<T>(what: string, body: (link: PrinterLink) => Promise<T>): Promise<T> {
    const socket: Socket = createConnection({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    let connected = false;
    const replies = new ReplyBuffer();
    let fail: (error: PrinterError) => void = () => undefined;
    const failure = new Promise<never>((_, reject) => {
      fail = reject;
    });
    const onTimeout = (): void => {
      fail(connected
        ? new PrinterError('printer_timeout', `printer ${this.address} did not answer the ${what} within ${this.timeoutMs} ms`)
        : new PrinterError('printer_unreachable', `no connection to printer ${this.address} within ${this.timeoutMs} ms`));
    };
    // The whole operation is bounded, not only idle gaps: a printer trickling bytes must not hold the till.
    const timer = setTimeout(onTimeout, this.timeoutMs);
    socket.setTimeout(this.timeoutMs);
    socket.on('timeout', onTimeout);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const unreachable = !connected || unreachableCodes.has(error.code ?? '');
      fail(unreachable
        ? new PrinterError('printer_unreachable', `cannot reach printer ${this.address}: ${error.message}`, { cause: error })
        : new PrinterError('printer_offline', `connection to printer ${this.address} failed during ${what}: ${error.message}`, { cause: error }));
    });
    socket.on('close', () => fail(new PrinterError('printer_offline', `printer ${this.address} closed the connection during ${what}`)));
    socket.on('data', (chunk: Buffer) => replies.push(chunk));
    const connect = new Promise<void>((resolve) => socket.once('connect', () => {
      connected = true;
      resolve();
    }));
    const link: PrinterLink = {
      discardPending: () => replies.clear(),
      read: (count) => replies.read(count),
      write: (bytes) => new Promise<void>((resolve) => socket.write(bytes, () => resolve())),
    };
    const work = connect.then(async () => {
      const result = await body(link);
      await new Promise<void>((resolve) => socket.end(() => resolve()));
      return result;
    });
    // A failure after the body finished (the printer closing its side) is expected and ignored.
    return Promise.race([work, failure]).finally(() => {
      clearTimeout(timer);
      fail = () => undefined;
      socket.destroy();
    });
  }
}
