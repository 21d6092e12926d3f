// A CardReader that wraps another and records every exchange it completes into a transcript,
// as hw-transport-mocker's createTransportRecorder does: tap a real or simulated card through
// it once, save the text, and replay it with ReplayCardReader from then on. It changes nothing
// on the way through; a failed exchange is not an exchange, so it is kept only as a comment.
import { toHex } from '../../core/clock.js';
import { DeviceError, type CallOptions, type CardEvent, type CardReader, type DeviceInfo, type HealthReport } from '../../device/capabilities.js';
import { serializeTranscript, type Transcript, type TranscriptExchange } from './transcript.js';

export class RecordingCardReader implements CardReader {
  readonly info: DeviceInfo;
  private readonly exchanges: TranscriptExchange[] = [];
  private pendingComments: string[] = [];

  constructor(private readonly inner: CardReader) {
    this.info = inner.info;
  }

  /** Adds a comment line before the next recorded exchange (or at the end, if none follows). */
  comment(text: string): void {
    this.pendingComments.push(...text.split(/\r?\n/));
  }

  async transmit(commandApdu: Uint8Array, options: CallOptions): Promise<Uint8Array> {
    // Copies, so that a caller reusing its buffers cannot change what was recorded.
    const command = commandApdu.slice();
    let response: Uint8Array;
    try {
      response = await this.inner.transmit(commandApdu, options);
    } catch (error) {
      const reason = error instanceof DeviceError ? error.code : error instanceof Error ? error.name : 'error';
      this.pendingComments.push(`=> ${toHex(command)} failed (${reason})`);
      throw error;
    }
    this.exchanges.push({ comments: this.pendingComments, command, response: response.slice() });
    this.pendingComments = [];
    return response;
  }

  /** What was recorded so far. */
  transcript(): Transcript {
    return {
      exchanges: this.exchanges.map((exchange) => ({ ...exchange, comments: [...exchange.comments] })),
      trailingComments: [...this.pendingComments],
    };
  }

  /** What was recorded so far, as transcript text. */
  text(): string {
    return serializeTranscript(this.transcript());
  }

  /** Whether a card is in the field, when the wrapped reader can tell. */
  hasCard(): boolean {
    return this.inner.hasCard?.() ?? false;
  }

  health(): HealthReport {
    return this.inner.health();
  }

  onCard(listener: (event: CardEvent) => void): () => void {
    return this.inner.onCard(listener);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
