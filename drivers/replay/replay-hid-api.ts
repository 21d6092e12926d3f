// A HidApi that plays back a HID transcript (hid-transcript.ts) at node-hid's API boundary, so a
// HID driver runs against recorded device reports as it would against node-hid. Each report the
// host writes must equal the transcript's next `=>` line; the `<=` lines after it are then sent
// as input reports, one per event-loop turn; `! unplug` fails the open handle and empties the
// device list, as an unplugged reader does, and `! replug` waits for the test to call replug()
// (the person putting the cable back). A write that differs fails naming the line, and
// assertDone() fails a test that stops before the end, as ReplayCardReader does.
import { toHex } from '../../core/clock.js';
import type { HidApi, HidDeviceEntry, HidHandle } from '../hid/hid-api.js';
import { InMemoryHidHandle } from '../hid/in-memory-hid-handle.js';
import { parseHidTranscript, type ParsedHidEvent } from './hid-transcript.js';
import { TranscriptError } from './transcript.js';

export interface ReplayHidDevice {
  vendorId: number;
  productId: number;
  usagePage?: number;
}

export class ReplayHidApi implements HidApi {
  private readonly events: ParsedHidEvent[];
  private readonly lastLine: number;
  private readonly path: string;
  private next = 0;
  private present = true;
  private handle: InMemoryHidHandle | null = null;
  private mismatch: Error | null = null;
  private delivering = false;

  /** Throws a TranscriptError naming the line when the text is not a well-formed HID transcript. */
  constructor(
    private readonly name: string,
    transcriptText: string,
    private readonly device: ReplayHidDevice,
  ) {
    const parsed = parseHidTranscript(transcriptText);
    this.events = parsed.events;
    this.lastLine = parsed.lastLine;
    this.path = `replay:${name}`;
  }

  get remaining(): number {
    return this.events.length - this.next;
  }

  devices(): HidDeviceEntry[] {
    return this.present ? [{ path: this.path, ...this.device, product: `replayed ${this.name}` }] : [];
  }

  open(path: string): HidHandle {
    if (!this.present || path !== this.path) throw new Error(`no HID device at ${path}`);
    const handle: InMemoryHidHandle = new InMemoryHidHandle(
      (report) => this.written(report),
      () => {
        if (this.handle === handle) this.handle = null;
      },
    );
    this.handle = handle;
    return handle;
  }

  /** Plays the transcript's `! replug`: the device is listed again. */
  replug(): void {
    this.flushDeviceReports();
    const event = this.events[this.next];
    if (event?.type !== 'replug') {
      throw new TranscriptError('malformed_transcript', `${this.path}: the test replugged, but ${event ? `line ${event.line} is not "! replug"` : 'the transcript has ended'}`, event?.line);
    }
    this.next += 1;
    this.present = true;
  }

  /** Resolves once the input reports due so far have been sent. */
  async settled(): Promise<void> {
    while (this.delivering) await new Promise((resolve) => setImmediate(resolve));
  }

  /** Throws the first mismatched write, or unless every event of the transcript was played. */
  assertDone(): void {
    if (this.mismatch) throw this.mismatch;
    const event = this.events[this.next];
    if (!event) return;
    throw new TranscriptError('unfinished_transcript', `${this.path}: ${this.remaining} event(s) not replayed, the next at line ${event.line}`, event.line);
  }

  private written(report: Uint8Array): void {
    // Reports the device sent before this write, in the recording, reach the host first.
    this.flushDeviceReports();
    const sent = toHex(report);
    const event = this.events[this.next];
    if (event?.type !== 'host_report' || toHex(event.bytes) !== sent) {
      const expected = !event ? `the transcript ended at line ${this.lastLine}` : `line ${event.line} expects ${describe(event)}`;
      this.mismatch ??= new Error(`${this.path}: ${expected}, but the host wrote => ${sent}`);
      throw this.mismatch;
    }
    this.next += 1;
    this.scheduleDelivery();
  }

  private scheduleDelivery(): void {
    if (this.delivering) return;
    this.delivering = true;
    const step = (): void => {
      if (!this.deliverOne()) {
        this.delivering = false;
        return;
      }
      setImmediate(step);
    };
    setImmediate(step);
  }

  private flushDeviceReports(): void {
    while (this.deliverOne());
  }

  /** Plays the next event if it is the device's (a report or an unplug); answers whether it did. */
  private deliverOne(): boolean {
    const event = this.events[this.next];
    if (event?.type === 'device_report') {
      this.next += 1;
      this.handle?.deliver(event.bytes);
      return true;
    }
    if (event?.type === 'unplug') {
      this.next += 1;
      this.present = false;
      const handle = this.handle;
      this.handle = null;
      handle?.fail(new Error('could not read from HID device'));
      return true;
    }
    return false;
  }
}

function describe(event: ParsedHidEvent): string {
  if (event.type === 'host_report') return `=> ${toHex(event.bytes)}`;
  if (event.type === 'device_report') return `<= ${toHex(event.bytes)}`;
  return `! ${event.type}`;
}
