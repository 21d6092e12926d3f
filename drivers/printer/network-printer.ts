// A receipt printer on the network, spoken to over raw TCP (port 9100, "JetDirect"/AppSocket),
// which Epson-compatible Ethernet printers expose. The codec in device/escpos makes the bytes;
// this file only moves them. Each operation opens its own connection and closes it afterwards,
// because many printers serve one client at a time and a held connection locks out the next
// till or the diagnostics screen. A print asks DLE EOT 1–4 first on the same connection, so no
// other client can slip in between the check and the receipt, and a receipt is never sent into
// a printer with no paper or an open cover (it would be lost or half printed).
import { createConnection, type Socket } from 'node:net';
import { decodeFullStatus, encodeFullStatusRequest, type PrinterStatus } from '../../device/escpos/status.js';
import { EscPosError } from '../../device/escpos/escpos-error.js';

export type PrinterErrorCode =
  /** Connected, but the printer did not answer or accept the bytes in time (hung, asleep, busy). */
  | 'printer_timeout'
  /** No connection: refused, no route, unknown host, or no connection within the timeout. */
  | 'printer_unreachable'
  /** The printer reports itself offline for another reason, or dropped the connection mid-operation. */
  | 'printer_offline'
  /** The printer reports no paper; the receipt was not sent. */
  | 'printer_paper_out'
  /** The printer reports its cover open; the receipt was not sent. */
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

/** What a till needs to decide whether to print or tell the operator why not. */
export type NetworkPrinterStatus = Pick<PrinterStatus, 'online' | 'coverOpen' | 'paperOut' | 'paperNearEnd' | 'errors'>;

export interface NetworkPrinterOptions {
  host: string;
  /** Raw TCP port; 9100 unless the printer is configured otherwise. */
  port?: number;
  /** Bound on one whole operation: connect, status, write. */
  timeoutMs: number;
}

export const defaultRawPrintPort = 9100;

// Errors that mean "never connected"; anything else after connecting means the link was lost.
const unreachableCodes = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EADDRNOTAVAIL']);

/** One open connection for the length of one operation. */
interface Link {
  /** Resolves with exactly `count` bytes once they have arrived. */
  read(count: number): Promise<Uint8Array>;
  /** Writes the bytes and keeps the connection open for a reply. */
  writeRaw(bytes: Uint8Array): Promise<void>;
  /** Writes the bytes and half-closes; resolves once they are handed to the kernel. */
  writeAndEnd(bytes: Uint8Array): Promise<void>;
}

export class NetworkPrinter {
  private readonly host: string;
  private readonly port: number;
  private readonly timeoutMs: number;

  constructor(options: NetworkPrinterOptions) {
    this.host = options.host;
    this.port = options.port ?? defaultRawPrintPort;
    this.timeoutMs = options.timeoutMs;
  }

  /** Asks DLE EOT 1, 2, 3 and 4 and decodes the four replies. */
  status(): Promise<NetworkPrinterStatus> {
    return this.withLink('status', async (link) => {
      const status = await this.readStatus(link);
      await link.writeAndEnd(new Uint8Array(0));
      return status;
    });
  }

  /**
   * Checks status, then writes an encoded receipt (from encodeReceipt) and resolves once it is
   * written. Paper out, cover open or offline refuse by name before any receipt byte is sent.
   */
  print(receiptBytes: Uint8Array): Promise<void> {
    return this.withLink('print', async (link) => {
      const status = await this.readStatus(link);
      if (status.paperOut) throw new PrinterError('printer_paper_out', `printer ${this.address} is out of paper; receipt not sent`);
      if (status.coverOpen) throw new PrinterError('printer_cover_open', `printer ${this.address} has its cover open; receipt not sent`);
      if (!status.online || status.errors.any) throw new PrinterError('printer_offline', `printer ${this.address} reports offline or an error; receipt not sent`);
      await link.writeAndEnd(receiptBytes);
    });
  }

  private get address(): string {
    return `${this.host}:${this.port}`;
  }

  private async readStatus(link: Link): Promise<NetworkPrinterStatus> {
    const replies = link.read(4);
    await link.writeRaw(encodeFullStatusRequest());
    const bytes = await replies;
    try {
      const { online, coverOpen, paperOut, paperNearEnd, errors } = decodeFullStatus(bytes);
      return { online, coverOpen, paperOut, paperNearEnd, errors };
    } catch (error) {
      if (error instanceof EscPosError) throw new PrinterError('printer_status_invalid', `printer ${this.address} sent an invalid status reply: ${error.message}`, { cause: error });
      throw error;
    }
  }

  /** Opens a connection, runs body on it, and always closes it; every failure is a PrinterError. */
  private withLink<T>(what: string, body: (link: Link) => Promise<T>): Promise<T> {
    const socket: Socket = createConnection({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    let connected = false;
    let received = new Uint8Array(0);
    let waiting: { count: number; resolve: (bytes: Uint8Array) => void } | null = null;
    let fail: (error: PrinterError) => void = () => undefined;
    const failure = new Promise<never>((_, reject) => {
      fail = reject;
    });
    const deliver = (): void => {
      if (!waiting || received.length < waiting.count) return;
      const { count, resolve } = waiting;
      waiting = null;
      const bytes = received.slice(0, count);
      received = received.slice(count);
      resolve(bytes);
    };
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
    socket.on('data', (chunk: Buffer) => {
      const joined = new Uint8Array(received.length + chunk.length);
      joined.set(received);
      joined.set(chunk, received.length);
      received = joined;
      deliver();
    });
    const connect = new Promise<void>((resolve) => socket.once('connect', () => {
      connected = true;
      resolve();
    }));
    const link: Link = {
      read: (count: number) => new Promise<Uint8Array>((resolve) => {
        waiting = { count, resolve };
        deliver();
      }),
      writeRaw: (bytes: Uint8Array) => new Promise<void>((resolve) => socket.write(bytes, () => resolve())),
      writeAndEnd: (bytes: Uint8Array) => new Promise<void>((resolve) => socket.end(bytes, () => resolve())),
    };
    const work = connect.then(() => body(link));
    // A failure after the body finished (the printer closing its side) is expected and ignored.
    return Promise.race([work, failure]).finally(() => {
      clearTimeout(timer);
      fail = () => undefined;
      socket.destroy();
    });
  }
}
