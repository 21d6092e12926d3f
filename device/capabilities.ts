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
  | 'service_unavailable'
  /** The device answered with its own error code (a fingerprint module's confirmation code, say). */
  | 'device_fault'
  /** The device's own storage (a fingerprint module's template library) is full. */
  | 'storage_full';

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

/**
 * Where a fingerprint reader keeps enrolled templates: in its own library (an R30x/ZFM module,
 * by slot; the template never leaves it), or nowhere (a USB reader that captures and answers a
 * template, which the terminal seals in its ledger and hands back to match against).
 */
export type TemplateStorage = 'on_device' | 'host';

export interface FingerprintDeviceInfo {
  model: string;
  templateStorage: TemplateStorage;
  /** Slots in the device's library (0 for host storage). */
  templateCapacity: number;
  /** The device's matching threshold setting (an R30x's security level 1-5), when it has one. */
  securityLevel: number | null;
}

/** The steps of an enrolment, reported as they happen so the screen can guide the finger. */
export type EnrolStep = 'place_finger' | 'remove_finger' | 'place_again';

export type FingerprintEnrolment =
  /** on_device: stored in `slot`; host: `template` is what the terminal seals and keeps. */
  | { type: 'enrolled'; slot: number | null; template: Uint8Array | null }
  /** No finger was placed before the call's deadline. */
  | { type: 'no_finger' }
  | { type: 'poor_image' }
  /** The two captures were not of the same finger. */
  | { type: 'mismatch' };

export type FingerprintMatch =
  /** on_device: the library `slot` that matched; host: the index of the matching candidate. */
  | { type: 'matched'; slot: number; score: number }
  | { type: 'no_match' }
  | { type: 'no_finger' }
  | { type: 'poor_image' };

/** One call's options plus the enrolment's progress. */
export interface EnrolOptions extends CallOptions {
  onStep?: (step: EnrolStep) => void;
}

export interface FingerprintReader extends Device {
  readonly templateStorage: TemplateStorage;
  readInfo(options: CallOptions): Promise<FingerprintDeviceInfo>;
  /** Two captures of one finger merged into a template; stored in `slot` when the device holds templates. */
  enrol(slot: number, options: EnrolOptions): Promise<FingerprintEnrolment>;
  /**
   * Waits for a finger, captures it and finds it among the enrolled ones: the device's library,
   * or for host storage the `candidates` given (templates from enrol), by index.
   */
  identify(candidates: readonly Uint8Array[], options: CallOptions): Promise<FingerprintMatch>;
  deleteTemplate(slot: number, options: CallOptions): Promise<void>;
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
