// A DevPay-compatible USB fingerprint reader through node-hid (docs/devices.md, "USB HID
// fingerprint reader"). The reader only captures: it answers a minutiae template, which the
// terminal seals in its ledger (templateStorage 'host') and hands back to identify(), where the
// host-side matcher compares the fresh capture with each candidate. The device is found by
// vendor and product id at each call that has no open link, and by an unref'd periodic check,
// so a reader unplugged (a handle 'error', or gone from the device list) fails calls with
// not_present and works again once plugged back in, without a restart. Calls run one at a time
// in the order made; each has a deadline and an AbortSignal through withDeadline.
import {
  DeviceError,
  withDeadline,
  type CallOptions,
  type DeviceInfo,
  type EnrolOptions,
  type FingerprintDeviceInfo,
  type FingerprintEnrolment,
  type FingerprintMatch,
  type FingerprintReader,
  type HealthReport,
} from '../../device/capabilities.js';
import { readerUsagePage } from '../../device/fingerprint/hid-report-codec.js';
import { matchScore, matchThreshold } from '../../device/fingerprint/minutiae-matcher.js';
import { decodeTemplate, templateFormatVersion, TemplateFormatError, type MinutiaeTemplate } from '../../device/fingerprint/minutiae-template.js';
import { loadNodeHid, type HidApi, type HidDeviceEntry } from './hid-api.js';
import { captureFinger, waitForLift, type CaptureProgress } from './hid-capture.js';
import { HidReportLink } from './hid-report-link.js';

export interface HidFingerprintReaderOptions {
  vendorId: number;
  productId: number;
  /** node-hid by default; a replay or simulated HidApi in tests. */
  hid?: HidApi;
  /** How often an unref'd timer looks for the reader appearing or disappearing. */
  presenceCheckMs?: number;
}

const defaultPresenceCheckMs = 2000;
const noFinger = (): { type: 'no_finger' } => ({ type: 'no_finger' });

function hex4(value: number): string {
  return value.toString(16).padStart(4, '0');
}

export class HidFingerprintReader implements FingerprintReader {
  readonly templateStorage = 'host' as const;
  readonly info: DeviceInfo;
  private hidApi: HidApi | null;
  private link: HidReportLink | null = null;
  private state: HealthReport = { health: 'unavailable', detail: 'not looked for yet' };
  private queue: Promise<unknown> = Promise.resolve();
  private nextCaptureId = 1;
  private closed = false;
  private readonly presenceTimer: NodeJS.Timeout;

  constructor(private readonly options: HidFingerprintReaderOptions) {
    if (!Number.isInteger(options.vendorId) || !Number.isInteger(options.productId) || options.vendorId < 0 || options.productId < 0 || options.vendorId > 0xffff || options.productId > 0xffff) {
      throw new RangeError(`not a USB vendor and product id: ${options.vendorId}:${options.productId}`);
    }
    const id = `${hex4(options.vendorId)}:${hex4(options.productId)}`;
    this.info = { descriptor: `hid:${id}`, kind: 'biometric_reader', name: `USB fingerprint reader ${id}` };
    this.hidApi = options.hid ?? null;
    this.checkPresence();
    this.presenceTimer = setInterval(() => this.checkPresence(), options.presenceCheckMs ?? defaultPresenceCheckMs);
    this.presenceTimer.unref();
  }

  health(): HealthReport {
    return { ...this.state };
  }

  readInfo(options: CallOptions): Promise<FingerprintDeviceInfo> {
    return this.call('fingerprint reader info', options, async (link, signal) => {
      link.send({ type: 'get_info' });
      for (;;) {
        const report = await link.receive(signal);
        if (report.type !== 'info') continue;
        if (report.templateFormatVersion !== templateFormatVersion) {
          throw new DeviceError('malformed_response', `the reader makes template format ${report.templateFormatVersion}; this terminal matches format ${templateFormatVersion}`);
        }
        return { model: report.model, templateStorage: 'host', templateCapacity: 0, securityLevel: null };
      }
    });
  }

  /** Two captures of one finger; the better-quality one is the template, if the two match. */
  enrol(_slot: number, options: EnrolOptions): Promise<FingerprintEnrolment> {
    return this.call('fingerprint enrolment', options, async (link, signal, progress) => {
      options.onStep?.('place_finger');
      const firstId = this.captureId();
      const first = await captureFinger(link, firstId, signal, progress);
      if (first.type !== 'captured') return first;
      options.onStep?.('remove_finger');
      await waitForLift(link, firstId, signal);
      options.onStep?.('place_again');
      const second = await captureFinger(link, this.captureId(), signal, progress);
      if (second.type !== 'captured') return second;
      if (matchScore(second.template, first.template) < matchThreshold) return { type: 'mismatch' };
      const kept = second.template.quality > first.template.quality ? second : first;
      return { type: 'enrolled', slot: null, template: kept.bytes };
    }, noFinger);
  }

  /**
   * Captures a finger and answers the best-scoring candidate at or above the threshold (the
   * lowest index on a tie). A candidate that is not a valid template is a TemplateFormatError
   * naming its index, before any capture: a damaged sealed template is the ledger's problem to
   * see, not a silent "no match".
   */
  identify(candidates: readonly Uint8Array[], options: CallOptions): Promise<FingerprintMatch> {
    let decoded: MinutiaeTemplate[];
    try {
      decoded = candidates.map((candidate, index) => decodeCandidate(candidate, index));
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return this.call('fingerprint identification', options, async (link, signal, progress) => {
      const probe = await captureFinger(link, this.captureId(), signal, progress);
      if (probe.type !== 'captured') return probe;
      let best: { slot: number; score: number } | null = null;
      for (const [slot, candidate] of decoded.entries()) {
        const score = matchScore(probe.template, candidate);
        if (score >= matchThreshold && (!best || score > best.score)) best = { slot, score };
      }
      return best ? { type: 'matched', ...best } : { type: 'no_match' };
    }, noFinger);
  }

  /** Host storage: the reader holds no templates, so there is nothing on it to delete. */
  async deleteTemplate(_slot: number, options: CallOptions): Promise<void> {
    if (options.signal?.aborted) throw new DeviceError('aborted', 'template deletion was aborted');
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.presenceTimer);
    this.link?.close();
    this.link = null;
    this.state = { health: 'unavailable', detail: 'closed' };
  }

  private captureId(): number {
    const id = this.nextCaptureId;
    this.nextCaptureId = (this.nextCaptureId % 0xffff) + 1;
    return id;
  }

  /**
   * Runs one call after the ones before it, on an open link, under the call's deadline. A
   * deadline that passes while the reader waits for a finger is the answer no_finger, not an error.
   */
  private call<T>(
    what: string,
    options: CallOptions,
    work: (link: HidReportLink, signal: AbortSignal, progress: CaptureProgress) => Promise<T>,
    noFinger?: () => T,
  ): Promise<T> {
    const interrupt = new AbortController();
    const progress: CaptureProgress = { waitingForFinger: false };
    const turn = this.queue.then(() => {
      if (interrupt.signal.aborted) throw interrupt.signal.reason;
      const link = this.connect();
      link.drain();
      return work(link, interrupt.signal, progress);
    });
    this.queue = turn.catch(() => undefined);
    return withDeadline(turn, options, what).catch((error: unknown) => {
      const waitingForFinger = progress.waitingForFinger;
      // Ends the interrupted work, which cancels its capture on the reader before the next call.
      interrupt.abort(error);
      if (noFinger && error instanceof DeviceError && error.code === 'timeout' && waitingForFinger) return noFinger();
      throw error;
    });
  }

  private hid(): HidApi {
    this.hidApi ??= loadNodeHid();
    return this.hidApi;
  }

  private find(): HidDeviceEntry | null {
    const { vendorId, productId } = this.options;
    const matching = this.hid().devices().filter((device) => device.vendorId === vendorId && device.productId === productId);
    // A reader may expose more than one interface; the fingerprint one is on the vendor page.
    return matching.find((device) => device.usagePage === readerUsagePage) ?? matching.find((device) => device.usagePage === undefined) ?? null;
  }

  private connect(): HidReportLink {
    if (this.closed) throw new DeviceError('not_present', `${this.info.name} is closed`);
    if (this.link && !this.link.ended) return this.link;
    this.link = null;
    let entry: HidDeviceEntry | null;
    try {
      entry = this.find();
    } catch (error) {
      this.state = { health: 'unavailable', detail: (error as Error).message };
      throw error instanceof DeviceError ? error : new DeviceError('service_unavailable', `listing HID devices failed: ${(error as Error).message}`, { cause: error });
    }
    if (!entry) {
      this.state = { health: 'unavailable', detail: 'not plugged in' };
      throw new DeviceError('not_present', `${this.info.name} is not plugged in`);
    }
    let link: HidReportLink;
    try {
      const handle = this.hid().open(entry.path);
      link = new HidReportLink(handle, (reason) => this.lost(link, reason));
    } catch (error) {
      this.state = { health: 'unavailable', detail: `cannot open: ${(error as Error).message}` };
      throw new DeviceError('not_present', `cannot open ${this.info.name}: ${(error as Error).message}`, { cause: error });
    }
    this.link = link;
    this.state = { health: 'ok', detail: `connected (${entry.product ?? 'no product name'})` };
    return link;
  }

  private lost(link: HidReportLink, reason: DeviceError): void {
    if (this.link !== link) return;
    this.link = null;
    if (!this.closed) this.state = { health: 'unavailable', detail: reason.message };
  }

  /** Opens a reader that appeared, and drops the link of one that vanished from the list. */
  private checkPresence(): void {
    if (this.closed) return;
    try {
      if (!this.link) {
        this.connect();
        return;
      }
      if (!this.find()) this.link.close(new DeviceError('not_present', `${this.info.name} was unplugged`));
    } catch {
      // connect() and find() already recorded why in the health detail; the next call says it too.
    }
  }
}

function decodeCandidate(candidate: Uint8Array, index: number): MinutiaeTemplate {
  try {
    return decodeTemplate(candidate);
  } catch (error) {
    if (error instanceof TemplateFormatError) throw new TemplateFormatError(error.code, `candidate ${index}: ${error.message}`);
    throw error;
  }
}
