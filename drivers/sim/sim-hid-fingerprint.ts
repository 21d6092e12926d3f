// A simulated DevPay-compatible USB fingerprint reader: the device side of the HID report
// protocol (device/fingerprint/hid-report-codec.ts), and a HidApi that plugs it in where
// node-hid would be. Touches are queued by the test: which synthetic finger, or no finger, or a
// fault (a poor image, a corrupted chunk, the cable pulled once the finger is down). Each touch
// answers one CAPTURE_START with FINGER_STATUS placed, the template's chunks and FINGER_STATUS
// removed, sent one report per event-loop turn as a device would. Seeded, so a recorded
// transcript (drivers/replay/hid-fixtures.ts) comes out the same bytes each time.
import { seededRandom, type Random } from '../../core/clock.js';
import {
  decodeHostReport,
  encodeDeviceReport,
  HidReportError,
  protocolVersion,
  readerUsagePage,
  type DeviceReport,
} from '../../device/fingerprint/hid-report-codec.js';
import { chunkTemplate } from '../../device/fingerprint/hid-template-chunks.js';
import { encodeTemplate, templateFormatVersion, type Minutia } from '../../device/fingerprint/minutiae-template.js';
import { impression, syntheticFinger } from '../../device/fingerprint/synthetic-fingers.js';
import type { HidApi, HidDeviceEntry, HidHandle } from '../hid/hid-api.js';
import { InMemoryHidHandle } from '../hid/in-memory-hid-handle.js';

/** pid.codes' vendor id, and a product id of its range kept for testing. */
export const simVendorId = 0x1209;
export const simProductId = 0x0001;
export const simDevicePath = 'sim:hid-fingerprint';
export const simModel = 'DevPay FP-H1 (simulated)';

export type SimTouch =
  | { finger: number; fault?: 'poor_image' | 'corrupt_chunk' | 'unplug_after_placed' }
  /** The reader's own finger wait runs out: it answers ERROR no_finger. */
  | { finger: null };

/** The sim's finger `index`: the same minutiae for the same index, in any process. */
export function simFinger(index: number): Minutia[] {
  return syntheticFinger(seededRandom(0x51_4e_00 + index));
}

/** An enrolled template of sim finger `index`, as a ledger would hold it, for identify() candidates. */
export function simEnrolledTemplate(index: number): Uint8Array {
  return encodeTemplate(impression(simFinger(index), seededRandom(0xe0_00 + index), 85));
}

export class SimHidFingerprint implements HidApi {
  private readonly touches: SimTouch[] = [];
  private activeCaptureId: number | null = null;
  private handle: InMemoryHidHandle | null = null;
  private present = true;
  private outbox: (DeviceReport | Uint8Array | 'unplug')[] = [];
  private pumping = false;
  private readonly presenceListeners = new Set<(present: boolean) => void>();

  constructor(private readonly random: Random = seededRandom(1)) {}

  /** Queues the next touch; a capture already waiting for a finger takes it at once. */
  touch(touch: SimTouch): void {
    this.touches.push(touch);
    if (this.activeCaptureId !== null) this.startCapture(this.activeCaptureId);
  }

  /** Told before a handle's 'error', so a recorder writes `! unplug` in the right place. */
  onPresenceChange(listener: (present: boolean) => void): () => void {
    this.presenceListeners.add(listener);
    return () => this.presenceListeners.delete(listener);
  }

  unplug(): void {
    this.outbox = ['unplug'];
    this.pump();
  }

  replug(): void {
    this.present = true;
    for (const listener of this.presenceListeners) listener(true);
  }

  devices(): HidDeviceEntry[] {
    if (!this.present) return [];
    return [{ path: simDevicePath, vendorId: simVendorId, productId: simProductId, usagePage: readerUsagePage, product: simModel }];
  }

  open(path: string): HidHandle {
    if (!this.present || path !== simDevicePath) throw new Error(`no HID device at ${path}`);
    const handle: InMemoryHidHandle = new InMemoryHidHandle(
      (report) => this.receive(report),
      () => {
        if (this.handle === handle) this.handle = null;
      },
    );
    this.handle = handle;
    return handle;
  }

  /** Resolves once every queued report has been sent. */
  async settled(): Promise<void> {
    while (this.pumping || this.outbox.length > 0) await new Promise((resolve) => setImmediate(resolve));
  }

  private receive(bytes: Uint8Array): void {
    let report;
    try {
      report = decodeHostReport(bytes);
    } catch (error) {
      if (!(error instanceof HidReportError)) throw error;
      this.send({ type: 'error', captureId: 0, error: 'unknown_command' });
      return;
    }
    if (report.type === 'get_info') {
      this.send({ type: 'info', protocolVersion, templateFormatVersion, model: simModel, firmware: '1.0.0-sim' });
    } else if (report.type === 'capture_start') {
      if (this.activeCaptureId !== null) this.send({ type: 'error', captureId: report.captureId, error: 'busy' });
      else this.startCapture(report.captureId);
    } else if (report.type === 'capture_cancel' && report.captureId === this.activeCaptureId) {
      this.activeCaptureId = null;
      this.send({ type: 'error', captureId: report.captureId, error: 'cancelled' });
    }
  }

  private startCapture(captureId: number): void {
    this.activeCaptureId = captureId;
    const touch = this.touches.shift();
    if (!touch) return;
    this.activeCaptureId = null;
    if (touch.finger === null) {
      this.send({ type: 'error', captureId, error: 'no_finger' });
      return;
    }
    this.send({ type: 'finger_status', captureId, placed: true });
    if (touch.fault === 'unplug_after_placed') {
      this.outbox.push('unplug');
      return;
    }
    if (touch.fault === 'poor_image') {
      this.send({ type: 'error', captureId, error: 'poor_image' });
    } else {
      const quality = 60 + (this.random.bytes(1)[0]! % 40);
      const template = encodeTemplate(impression(simFinger(touch.finger), this.random, quality));
      const chunks = chunkTemplate(captureId, quality, template).map((chunk) => encodeDeviceReport(chunk));
      // A flipped bit in the middle chunk's template bytes, which only the CRC-32 can catch.
      if (touch.fault === 'corrupt_chunk') chunks[1]![20]! ^= 0x08;
      for (const chunk of chunks) this.send(chunk);
    }
    this.send({ type: 'finger_status', captureId, placed: false });
  }

  private send(report: DeviceReport | Uint8Array): void {
    this.outbox.push(report);
    this.pump();
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    const next = (): void => {
      const item = this.outbox.shift();
      if (item === undefined) {
        this.pumping = false;
        return;
      }
      if (item === 'unplug') {
        this.outbox = [];
        this.pullCable();
      } else {
        this.handle?.deliver(item instanceof Uint8Array ? item : encodeDeviceReport(item));
      }
      setImmediate(next);
    };
    setImmediate(next);
  }

  private pullCable(): void {
    this.present = false;
    this.activeCaptureId = null;
    for (const listener of this.presenceListeners) listener(false);
    const handle = this.handle;
    this.handle = null;
    handle?.fail(new Error('could not read from HID device'));
  }
}
