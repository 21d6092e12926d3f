// An in-memory byte link to the simulated R30x module, so simulator mode runs the real codec and
// driver: requests go into the module's byte stream, its acks come back as bytes and complete an
// exchange when the protocol's ReplyLength says so, as on a serial line. Bytes with no exchange
// waiting (a late ack after a timeout) are dropped at the next exchange, as serial-line.ts does.
import { DeviceError, withDeadline, type CallOptions } from '../../device/capabilities.js';
import type { ReplyLength } from '../serial/serial-line.js';
import type { FingerprintLink } from '../fingerprint/fingerprint-link.js';
import type { SimR30xModule } from './sim-r30x-module.js';

export class SimR30xLink implements FingerprintLink {
  private buffered = new Uint8Array(0);
  private waiting: { replyLength: ReplyLength; resolve: (reply: Uint8Array) => void } | null = null;
  private readonly feed: (chunk: Uint8Array) => void;
  private open = true;

  constructor(module: SimR30xModule) {
    this.feed = module.stream((bytes) => this.receive(bytes));
  }

  exchange(request: Uint8Array, replyLength: ReplyLength, options: CallOptions): Promise<Uint8Array> {
    if (!this.open) return Promise.reject(new DeviceError('transport_failed', 'the simulated link is closed'));
    if (this.waiting) return Promise.reject(new DeviceError('transport_failed', 'an exchange is already in progress'));
    this.buffered = new Uint8Array(0);
    const reply = new Promise<Uint8Array>((resolve) => {
      this.waiting = { replyLength, resolve };
    });
    this.feed(request.slice());
    return withDeadline(reply, options, 'simulated fingerprint exchange').finally(() => {
      this.waiting = null;
    });
  }

  async close(): Promise<void> {
    this.open = false;
  }

  private receive(bytes: Uint8Array): void {
    if (!this.open) return;
    const joined = new Uint8Array(this.buffered.length + bytes.length);
    joined.set(this.buffered);
    joined.set(bytes, this.buffered.length);
    this.buffered = joined;
    const waiting = this.waiting;
    if (!waiting) return;
    const length = waiting.replyLength(this.buffered);
    if (length < 0 || length > this.buffered.length) return;
    const reply = this.buffered.slice(0, length);
    this.buffered = new Uint8Array(0);
    waiting.resolve(reply);
  }
}
