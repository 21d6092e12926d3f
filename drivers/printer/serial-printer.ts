// A receipt printer on a serial line (RS-232, or USB through a serial adapter or the printer's
// own USB-serial function), through serialport. The same conversation as the network driver
// (escpos-session.ts): DLE EOT 1–4 before and after each receipt, refusals by name. Unlike a TCP
// printer, a serial port has one owner, so the port stays open between operations and
// operations take turns; a port that fails or vanishes (an adapter pulled) fails the operation in
// progress by name and is reopened at the next one, which names it unreachable while it is gone.
import { createRequire } from 'node:module';
import type { SerialPort } from 'serialport';
import { nativeModuleMessage, nativeModuleProblems } from '../native-modules.js';
import { printReceiptOnLink, readPrinterStatus, ReplyBuffer, type PrinterLink, type ReceiptPrinterStatus } from './escpos-session.js';
import { PrinterError } from './printer-error.js';

export interface SerialPrinterOptions {
  path: string;
  /** Most receipt printers ship at 9600 or 38400 baud, 8N1; the printer's self-test page says which. */
  baudRate?: number;
  /** Bound on one whole operation: open, status, write, status. */
  timeoutMs: number;
}

export const defaultPrinterBaudRate = 38400;

/** serialport's class, or printer_unreachable naming the missing module and its fix. */
function loadSerialPort(): typeof SerialPort {
  const problem = nativeModuleProblems().find((candidate) => candidate.subject === 'serialport');
  if (problem) throw new PrinterError('printer_unreachable', nativeModuleMessage(problem));
  return (createRequire(import.meta.url)('serialport') as { SerialPort: typeof SerialPort }).SerialPort;
}

export class SerialPrinter {
  readonly path: string;
  private readonly baudRate: number;
  private readonly timeoutMs: number;
  private port: SerialPort | null = null;
  private readonly replies = new ReplyBuffer();
  /** Fails the operation in progress when the port reports an error or closes under it. */
  private failCurrent: ((error: PrinterError) => void) | null = null;
  private turn: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> = Promise.resolve();

  constructor(options: SerialPrinterOptions) {
    this.path = options.path;
    this.baudRate = options.baudRate ?? defaultPrinterBaudRate;
    this.timeoutMs = options.timeoutMs;
  }

  get address(): string {
    return `serial ${this.path}`;
  }

  status(): Promise<ReceiptPrinterStatus> {
    return this.operation('status', (link) => readPrinterStatus(link, this.address));
  }

  /** Checks status, writes the receipt, checks status again (see escpos-session.ts). */
  print(receiptBytes: Uint8Array): Promise<void> {
    return this.operation('print', (link) => printReceiptOnLink(link, receiptBytes, this.address));
  }

  async close(): Promise<void> {
    await this.turn.catch(() => undefined);
    await this.closing;
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  /** Runs one operation after the previous one, bounded by timeoutMs; every failure is a PrinterError. */
  private operation<T>(what: string, body: (link: PrinterLink) => Promise<T>): Promise<T> {
    const run = this.turn.catch(() => undefined).then(() => this.bounded(what, body));
    this.turn = run;
    return run;
  }

  private async bounded<T>(what: string, body: (link: PrinterLink) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const failure = new Promise<never>((_, reject) => {
      this.failCurrent = reject;
      timer = setTimeout(() => reject(new PrinterError('printer_timeout', `printer ${this.address} did not answer the ${what} within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([this.openPort().then((port) => body(this.linkOn(port))), failure]);
    } catch (error) {
      // A port that failed a write or stopped answering is reopened at the next operation, which
      // then names a vanished device unreachable instead of writing into a dead descriptor.
      if (error instanceof PrinterError && (error.code === 'printer_offline' || error.code === 'printer_timeout')) this.discardPort();
      throw error;
    } finally {
      clearTimeout(timer);
      this.failCurrent = null;
    }
  }

  private linkOn(port: SerialPort): PrinterLink {
    return {
      discardPending: () => this.replies.clear(),
      read: (count) => this.replies.read(count),
      write: (bytes) => new Promise<void>((resolve, reject) => {
        port.write(Buffer.from(bytes), (error) => {
          if (error) reject(new PrinterError('printer_offline', `writing to printer ${this.address} failed: ${error.message}`, { cause: error }));
        });
        // drain resolves once the bytes have left for the device, not only the process.
        port.drain((error) => (error ? reject(new PrinterError('printer_offline', `printer ${this.address} failed during a write: ${error.message}`, { cause: error })) : resolve()));
      }),
    };
  }

  private async openPort(): Promise<SerialPort> {
    if (this.port?.isOpen) return this.port;
    await this.closing;
    const Port = loadSerialPort();
    const port = new Port({ path: this.path, baudRate: this.baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) =>
      port.open((error) => (error ? reject(new PrinterError('printer_unreachable', `cannot open printer port ${this.path}: ${error.message}`, { cause: error })) : resolve())),
    );
    port.on('data', (chunk: Buffer) => this.replies.push(chunk));
    // Unheard, a port's 'error' would end the runtime; the operation waiting fails by name instead.
    port.on('error', (error: Error) => this.lost(port, `printer port ${this.path} failed: ${error.message}`));
    port.on('close', () => this.lost(port, `printer port ${this.path} closed`));
    this.port = port;
    this.replies.clear();
    return port;
  }

  private discardPort(): void {
    const port = this.port;
    this.port = null;
    // serialport locks the device; the next open waits for this close or it would find it locked.
    if (port?.isOpen) this.closing = new Promise((resolve) => port.close(() => resolve()));
  }

  private lost(port: SerialPort, message: string): void {
    // A port already discarded closing late is not the current operation's concern.
    if (this.port !== port) return;
    this.port = null;
    this.failCurrent?.(new PrinterError('printer_offline', message));
  }
}
