// One open HID fingerprint reader: encodes and writes host reports, decodes input reports into an
// inbox, and hands them to the one call waiting. The device may speak without being asked (a
// finger lifted, the tail of a cancelled capture), so reports queue until read and a call drops
// what was left before it starts. A report that does not decode reaches the waiting call as a
// named malformed_response, so the call fails where the bytes went wrong. A handle 'error' (the
// device unplugged, as node-hid reports it) or a failed write ends the link: the waiting call
// fails not_present and the owner is told, so the next call rediscovers the device.
import { DeviceError } from '../../device/capabilities.js';
import { decodeDeviceReport, encodeHostReport, HidReportError, type DeviceReport, type HostReport } from '../../device/fingerprint/hid-report-codec.js';
import type { HidHandle } from './hid-api.js';

type InboxItem = { report: DeviceReport } | { error: HidReportError };

export class HidReportLink {
  private readonly inbox: InboxItem[] = [];
  private waiter: { resolve: (item: InboxItem) => void; reject: (error: Error) => void } | null = null;
  private failure: DeviceError | null = null;
  private undecodableCount = 0;

  constructor(
    private readonly handle: HidHandle,
    private readonly onEnded: (reason: DeviceError) => void,
  ) {
    handle.on('data', (bytes) => this.arrive(bytes));
    // Unheard, node-hid's 'error' would end the whole runtime; here it ends only this link.
    handle.on('error', (error) => this.end(new DeviceError('not_present', `the fingerprint reader went away: ${error.message}`, { cause: error })));
  }

  get ended(): boolean {
    return this.failure !== null;
  }

  /** Input reports that did not decode since the link opened. */
  get undecodableReports(): number {
    return this.undecodableCount;
  }

  send(report: HostReport): void {
    if (this.failure) throw this.failure;
    try {
      this.handle.write(encodeHostReport(report));
    } catch (error) {
      const reason = new DeviceError('not_present', `writing to the fingerprint reader failed: ${(error as Error).message}`, { cause: error });
      this.end(reason);
      throw reason;
    }
  }

  /** Drops reports left over from an earlier call. */
  drain(): void {
    this.inbox.length = 0;
  }

  /** The next input report; a report that did not decode rejects as malformed_response. */
  async receive(signal: AbortSignal): Promise<DeviceReport> {
    const item = await this.nextItem(signal);
    if ('report' in item) return item.report;
    throw new DeviceError('malformed_response', `the fingerprint reader sent a bad report: ${item.error.message}`, { cause: item.error });
  }

  private nextItem(signal: AbortSignal): Promise<InboxItem> {
    if (this.failure) return Promise.reject(this.failure);
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    if (this.waiter) return Promise.reject(new DeviceError('transport_failed', 'two reads of the fingerprint reader at once'));
    return new Promise<InboxItem>((resolve, reject) => {
      const onAbort = (): void => {
        this.waiter = null;
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiter = {
        resolve: (item) => {
          signal.removeEventListener('abort', onAbort);
          resolve(item);
        },
        reject: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
    });
  }

  private arrive(bytes: Uint8Array): void {
    let item: InboxItem;
    try {
      item = { report: decodeDeviceReport(bytes) };
    } catch (error) {
      if (!(error instanceof HidReportError)) throw error;
      this.undecodableCount += 1;
      item = { error };
    }
    const waiter = this.waiter;
    if (!waiter) {
      this.inbox.push(item);
      return;
    }
    this.waiter = null;
    waiter.resolve(item);
  }

  private end(reason: DeviceError): void {
    if (this.failure) return;
    this.failure = reason;
    this.inbox.length = 0;
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.reject(reason);
    this.closeHandle();
    this.onEnded(reason);
  }

  /** Closes the handle; the link answers not_present from now on. */
  close(reason = new DeviceError('not_present', 'the fingerprint reader link was closed')): void {
    this.end(reason);
  }

  private closeHandle(): void {
    try {
      this.handle.close();
    } catch {
      // Closing a handle whose device is already gone may throw; there is nothing left to free.
    }
  }
}
