// A serial line to a device (a fingerprint module, a receipt printer) through serialport: open,
// write a frame, read until the device's reply is complete or the deadline passes. Opening a
// missing port or losing it mid-exchange is a named DeviceError; bytes that arrive with no
// exchange waiting are dropped and counted, never mistaken for the next reply. serialport is an
// optional native module loaded at the first open: where it is not installed, opening a line is
// a named error with the fix, and everything else in the process keeps working.
import { createRequire } from 'node:module';
import type { SerialPort } from 'serialport';
import { DeviceError, withDeadline, type CallOptions } from '../../device/capabilities.js';
import { nativeModuleMessage, nativeModuleProblems } from '../native-modules.js';

/** serialport's class, or a named DeviceError saying it is not installed and how to install it. */
function loadSerialPort(): typeof SerialPort {
  const problem = nativeModuleProblems().find((candidate) => candidate.subject === 'serialport');
  if (problem) throw new DeviceError('service_unavailable', nativeModuleMessage(problem));
  return (createRequire(import.meta.url)('serialport') as { SerialPort: typeof SerialPort }).SerialPort;
}

/** Decides from the bytes received so far whether the reply is complete (its length, or -1 if not yet). */
export type ReplyLength = (received: Uint8Array) => number;

export class SerialLine {
  private buffered = new Uint8Array(0);
  private waiting: { replyLength: ReplyLength; resolve: (reply: Uint8Array) => void; reject: (error: Error) => void } | null = null;
  private strayByteCount = 0;
  private errorCount = 0;

  private constructor(private readonly port: SerialPort) {
    port.on('data', (chunk: Buffer) => this.receive(chunk));
    port.on('close', () => this.waiting?.reject(new DeviceError('transport_failed', `serial port ${port.path} closed`)));
    // serialport emits 'error' when a read or write fails (an adapter pulled mid-exchange);
    // unheard, it would end the whole runtime. The exchange waiting fails by name instead.
    port.on('error', (error: Error) => {
      this.errorCount += 1;
      this.waiting?.reject(new DeviceError('transport_failed', `serial port ${port.path} failed: ${error.message}`, { cause: error }));
    });
  }

  static async open(path: string, baudRate: number): Promise<SerialLine> {
    const Port = loadSerialPort();
    const port = new Port({ path, baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) =>
      port.open((error) => (error ? reject(new DeviceError('not_present', `cannot open serial port ${path}: ${error.message}`, { cause: error })) : resolve())),
    );
    return new SerialLine(port);
  }

  get strayBytes(): number {
    return this.strayByteCount;
  }

  /** Errors the port reported since it opened. */
  get errors(): number {
    return this.errorCount;
  }

  /** Writes a request and resolves with the reply once replyLength says it is complete. */
  exchange(request: Uint8Array, replyLength: ReplyLength, options: CallOptions): Promise<Uint8Array> {
    if (this.waiting) return Promise.reject(new DeviceError('transport_failed', 'an exchange is already in progress'));
    // A closed port would hold the write until it reopens, which it never does by itself.
    if (!this.port.isOpen) return Promise.reject(new DeviceError('transport_failed', `serial port ${this.port.path} is closed`));
    this.strayByteCount += this.buffered.length;
    this.buffered = new Uint8Array(0);
    const reply = new Promise<Uint8Array>((resolve, reject) => {
      this.waiting = { replyLength, resolve, reject };
      this.port.write(Buffer.from(request), (error) => {
        if (error) reject(new DeviceError('transport_failed', `serial write failed: ${error.message}`, { cause: error }));
      });
    });
    return withDeadline(reply, options, 'serial exchange').finally(() => {
      this.waiting = null;
    });
  }

  private receive(chunk: Buffer): void {
    const joined = new Uint8Array(this.buffered.length + chunk.length);
    joined.set(this.buffered);
    joined.set(chunk, this.buffered.length);
    this.buffered = joined;
    const waiting = this.waiting;
    if (!waiting) return;
    const length = waiting.replyLength(this.buffered);
    if (length < 0 || length > this.buffered.length) return;
    const reply = this.buffered.slice(0, length);
    this.strayByteCount += this.buffered.length - length;
    this.buffered = new Uint8Array(0);
    waiting.resolve(reply);
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.port.isOpen ? this.port.close(() => resolve()) : resolve()));
  }
}
