// The terminal's fingerprint reader as the operator session uses it: found among the devices by
// kind, ready or not (absent, unavailable, or failing with a fault that says it is gone), and a
// match turned into the operator it belongs to. For a reader with its own library the matched
// slot names the operator holding it (a slot no operator holds, say a template orphaned by a
// crash mid-enrolment, is no match); for a reader without one, the candidates are the sealed
// templates of the operators kept on the host, and the matched index names the operator.
import { fromHex } from '../../core/clock.js';
import type { DeviceManager } from '../../device/device-manager.js';
import { DeviceError, type FingerprintReader } from '../../device/capabilities.js';
import type { OperatorRecord } from '../../ledger/stores/operators-store.js';

export type IdentifyOutcome =
  | { type: 'matched'; operator: OperatorRecord }
  | { type: 'no_match' }
  | { type: 'no_finger' }
  | { type: 'poor_image' }
  /** The reader is gone or cannot be reached: the PIN is offered. */
  | { type: 'reader_unavailable' }
  /** The reader answered with a fault of its own: a failed attempt, like a no match. */
  | { type: 'reader_fault' };

/** Faults that mean the reader is not there to use (as opposed to a bad capture). */
const goneCodes = new Set(['not_present', 'service_unavailable', 'transport_failed']);

export function isFingerprintReader(device: unknown): device is FingerprintReader {
  const candidate = device as Partial<FingerprintReader> & { info?: { kind?: string } };
  return candidate.info?.kind === 'biometric_reader' && typeof candidate.identify === 'function' && typeof candidate.enrol === 'function';
}

export class FingerprintAccess {
  /** Set when the reader failed as gone; cleared when it answers again. */
  private failedAsGone = false;

  constructor(private readonly devices: DeviceManager) {
    // A reader whose health changed (replugged, reconnected) is given another chance.
    devices.onChange(() => {
      this.failedAsGone = false;
    });
  }

  /** The fingerprint reader among the devices, ready or not; null when none is attached. */
  reader(): FingerprintReader | null {
    return (this.devices.all().find(isFingerprintReader) as FingerprintReader | undefined) ?? null;
  }

  /** A reader that can be used now. */
  ready(): FingerprintReader | null {
    const reader = this.reader();
    if (!reader || this.failedAsGone || reader.health().health === 'unavailable') return null;
    return reader;
  }

  available(): boolean {
    return this.ready() !== null;
  }

  /** Waits for a finger and names its operator among `operators`. */
  async identify(operators: readonly OperatorRecord[], timeoutMs: number, signal?: AbortSignal): Promise<IdentifyOutcome> {
    // A reader that says unavailable is tried all the same: the call is what reopens a lost link.
    const reader = this.reader();
    if (!reader) return { type: 'reader_unavailable' };
    const hosted = operators.filter((operator) => operator.fingerprint.storage === 'host');
    const candidates = reader.templateStorage === 'host' ? hosted.map((operator) => fromHex((operator.fingerprint as { template: string }).template)) : [];
    try {
      const match = await reader.identify(candidates, { timeoutMs, ...(signal ? { signal } : {}) });
      this.failedAsGone = false;
      if (match.type !== 'matched') return match;
      const operator =
        reader.templateStorage === 'host'
          ? hosted[match.slot]
          : operators.find((each) => each.fingerprint.storage === 'on_device' && each.fingerprint.slot === match.slot);
      return operator ? { type: 'matched', operator } : { type: 'no_match' };
    } catch (error) {
      return this.failure(error);
    }
  }

  /** Turns a reader's error into an outcome; errors that are not the reader's are thrown on. */
  failure(error: unknown): IdentifyOutcome {
    if (!(error instanceof DeviceError)) throw error;
    if (error.code === 'timeout' || error.code === 'aborted') return { type: 'no_finger' };
    if (goneCodes.has(error.code)) {
      this.noteGone();
      return { type: 'reader_unavailable' };
    }
    return { type: 'reader_fault' };
  }

  /** Opens the reader's link at start (a lazily opened reader says unavailable until then); failures only leave it so. */
  async warmUp(timeoutMs: number): Promise<void> {
    try {
      await this.reader()?.readInfo({ timeoutMs });
    } catch (error) {
      this.noteFailure(error);
    }
  }

  /** Notes that the reader answered (an enrolment did), so it counts as ready again. */
  answered(): void {
    this.failedAsGone = false;
  }

  /** Notes a gone-reader fault seen outside identify (an enrolment). */
  noteFailure(error: unknown): void {
    if (error instanceof DeviceError && goneCodes.has(error.code)) this.noteGone();
  }

  /**
   * A reader failed as gone. A driver that says so in its health (both of ours do, until they
   * have reopened the device) is believed from here on, so its recovery shows at once; one that
   * still says ok is taken as gone until it answers again or the devices change.
   */
  private noteGone(): void {
    if (this.reader()?.health().health !== 'unavailable') this.failedAsGone = true;
  }
}
