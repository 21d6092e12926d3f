// A node-hid device handle served in process: what the host writes goes to a callback, reports
// are delivered to its listeners, and a failure or close ends it as node-hid's would (no report
// after either). The simulated reader and the replayed transcripts both hand these to the driver.
import type { HidHandle } from './hid-api.js';

export class InMemoryHidHandle implements HidHandle {
  private readonly dataListeners: ((report: Uint8Array) => void)[] = [];
  private readonly errorListeners: ((error: Error) => void)[] = [];
  private open = true;

  constructor(
    private readonly toDevice: (report: Uint8Array) => void,
    private readonly onClose: () => void,
  ) {}

  write(report: Uint8Array): void {
    if (!this.open) throw new Error('Cannot write to hid device');
    this.toDevice(report.slice());
  }

  on(event: 'data' | 'error', listener: ((report: Uint8Array) => void) | ((error: Error) => void)): void {
    if (event === 'data') this.dataListeners.push(listener as (report: Uint8Array) => void);
    else this.errorListeners.push(listener as (error: Error) => void);
  }

  deliver(report: Uint8Array): void {
    if (this.open) for (const listener of this.dataListeners) listener(report.slice());
  }

  fail(error: Error): void {
    if (!this.open) return;
    this.open = false;
    for (const listener of this.errorListeners) listener(error);
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.onClose();
  }
}
