// One small async interface per device capability. Every call takes a timeout and an
// AbortSignal and answers with a tagged union or a named DeviceError; drivers own the bytes,
// this file owns the shapes.
import type { DeviceHealth, DeviceKind } from '../core/api/status.js';

export type DeviceErrorCode =
  | 'timeout'
  | 'aborted'
  | 'not_present'
  | 'card_removed'
  | 'transport_failed'
  | 'malformed_response'
  | 'service_unavailable';

export class DeviceError extends Error {
  constructor(
    readonly code: DeviceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeviceError';
  }
}

export interface CallOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** What every device reports about itself. */
export interface DeviceInfo {
  readonly descriptor: string;
  readonly kind: DeviceKind;
  readonly name: string;
}

export interface HealthReport {
  health: DeviceHealth;
  detail: string;
}

export interface Device {
  readonly info: DeviceInfo;
  health(): HealthReport;
  close(): Promise<void>;
}

export type CardEvent =
  | { type: 'card_present'; atr: Uint8Array }
  | { type: 'card_removed' };

export interface CardReader extends Device {
  /** Sends one command APDU to the card in the field and returns the response APDU. */
  transmit(commandApdu: Uint8Array, options: CallOptions): Promise<Uint8Array>;
  onCard(listener: (event: CardEvent) => void): () => void;
  /** Whether a card is in the field now (a tap may start with the card already there). */
  hasCard?(): boolean;
}

export type BiometricCapture =
  | { type: 'captured'; template: Uint8Array; quality: number }
  | { type: 'no_finger' };

export interface BiometricReader extends Device {
  capture(options: CallOptions): Promise<BiometricCapture>;
}

export type PrintResult = { type: 'printed' } | { type: 'paper_out' } | { type: 'cover_open' };

export interface ReceiptPrinter extends Device {
  print(escPosBytes: Uint8Array, options: CallOptions): Promise<PrintResult>;
}

export type PinEntry = { type: 'entered'; pinBlock: Uint8Array } | { type: 'cancelled' };

export interface PinPad extends Device {
  requestPin(prompt: string, options: CallOptions): Promise<PinEntry>;
}

/** Settles with the promise, or rejects with a named timeout or abort, whichever comes first. */
export function withDeadline<T>(work: Promise<T>, options: CallOptions, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new DeviceError('aborted', `${what} was aborted`));
      return;
    }
    const timer = setTimeout(() => {
      cleanup();
      reject(new DeviceError('timeout', `${what} timed out after ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    const onAbort = (): void => {
      cleanup();
      reject(new DeviceError('aborted', `${what} was aborted`));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (error: unknown) => {
        cleanup();
        reject(error);
      },
    );
  });
}
