// Records a HID transcript (hid-transcript.ts) at node-hid's API boundary: wraps a HidApi whose
// device can say when it is unplugged and replugged (the simulated reader), writes a `=>` line
// for each report the host writes, a `<=` line for each report the device sends, and `! unplug`
// / `! replug` as the cable comes and goes. The text is what ReplayHidApi plays back.
import type { HidApi, HidDeviceEntry, HidHandle } from '../hid/hid-api.js';
import { serializeHidTranscript, type HidTranscriptEvent } from './hid-transcript.js';

export interface PluggableHidApi extends HidApi {
  onPresenceChange(listener: (present: boolean) => void): () => void;
}

export class RecordingHidApi implements HidApi {
  private readonly events: (HidTranscriptEvent & { comments: string[] })[] = [];
  private pendingComments: string[] = [];

  constructor(private readonly inner: PluggableHidApi) {
    inner.onPresenceChange((present) => this.log({ type: present ? 'replug' : 'unplug' }));
  }

  /** A comment written just before the next recorded event. */
  comment(text: string): void {
    this.pendingComments.push(text);
  }

  devices(): HidDeviceEntry[] {
    return this.inner.devices();
  }

  open(path: string): HidHandle {
    const handle = this.inner.open(path);
    handle.on('data', (report) => this.log({ type: 'device_report', bytes: report.slice() }));
    return {
      write: (report) => {
        this.log({ type: 'host_report', bytes: report.slice() });
        handle.write(report);
      },
      on: (event: 'data' | 'error', listener: ((report: Uint8Array) => void) | ((error: Error) => void)) => {
        if (event === 'data') handle.on('data', listener as (report: Uint8Array) => void);
        else handle.on('error', listener as (error: Error) => void);
      },
      close: () => handle.close(),
    };
  }

  text(): string {
    return serializeHidTranscript(this.events);
  }

  private log(event: HidTranscriptEvent): void {
    this.events.push({ ...event, comments: this.pendingComments });
    this.pendingComments = [];
  }
}
