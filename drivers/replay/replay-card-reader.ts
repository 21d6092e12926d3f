// The `replay:` card reader: a CardReader that plays back a transcript instead of talking to a
// card. Each command the terminal sends must equal the transcript's next `=>` line, and is
// answered with the `<=` line after it; anything else is a DeviceError whose message names the
// transcript line, so a test fails where the terminal first did something new. assertDone()
// fails a test that stops before the transcript's end, as hw-transport-mocker's
// ensureQueueEmpty() does. A tap and a removal are driven by the test, like SimCardReader's.
import { toHex } from '../../core/clock.js';
import { deviceDescriptorSchema } from '../../core/api/status.js';
import { DeviceError, type CallOptions, type CardEvent, type CardReader, type DeviceInfo, type HealthReport } from '../../device/capabilities.js';
import { devpayAtr } from '../sim/virtual-card.js';
import { parseTranscript, serializeTranscript, TranscriptError, type ParsedExchange, type Transcript } from './transcript.js';

export class ReplayCardReader implements CardReader {
  readonly info: DeviceInfo;
  private readonly exchanges: ParsedExchange[];
  private readonly lastLine: number;
  private next = 0;
  private present = false;
  private readonly listeners = new Set<(event: CardEvent) => void>();

  /** Throws a TranscriptError naming the line when the text is not a well-formed transcript. */
  constructor(
    name: string,
    transcriptText: string,
    private readonly atr: Uint8Array = devpayAtr,
  ) {
    const descriptor = `replay:${name}`;
    if (!deviceDescriptorSchema.safeParse(descriptor).success) throw new RangeError(`not a device name: ${JSON.stringify(name)}`);
    this.info = { descriptor, kind: 'card_reader', name: `Replayed card reader ${name}` };
    const parsed = parseTranscript(transcriptText);
    this.exchanges = parsed.exchanges;
    this.lastLine = parsed.lastLine;
  }

  /** A replay of an in-memory transcript; line numbers refer to its canonical text. */
  static fromTranscript(name: string, transcript: Transcript, atr: Uint8Array = devpayAtr): ReplayCardReader {
    return new ReplayCardReader(name, serializeTranscript(transcript), atr);
  }

  /** How many recorded exchanges have not been replayed yet. */
  get remaining(): number {
    return this.exchanges.length - this.next;
  }

  tap(): void {
    this.present = true;
    this.emit({ type: 'card_present', atr: this.atr });
  }

  removeCard(): void {
    if (!this.present) return;
    this.present = false;
    this.emit({ type: 'card_removed' });
  }

  hasCard(): boolean {
    return this.present;
  }

  health(): HealthReport {
    return { health: 'ok', detail: `${this.next} of ${this.exchanges.length} exchanges replayed` };
  }

  onCard(listener: (event: CardEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async transmit(commandApdu: Uint8Array, options: CallOptions): Promise<Uint8Array> {
    const descriptor = this.info.descriptor;
    if (options.signal?.aborted) throw new DeviceError('aborted', 'APDU exchange was aborted');
    if (!this.present) throw new DeviceError('not_present', 'no card in the field');
    const sent = toHex(commandApdu);
    const exchange = this.exchanges[this.next];
    if (!exchange) {
      throw new DeviceError('transport_failed', `${descriptor}: the transcript ended at line ${this.lastLine}, but the terminal sent => ${sent}`);
    }
    const expected = toHex(exchange.command);
    if (sent !== expected) {
      throw new DeviceError('transport_failed', `${descriptor}: line ${exchange.commandLine} expects => ${expected}, but the terminal sent => ${sent}`);
    }
    // The cursor moves only on a match, so after a mismatch assertDone() still names that line.
    this.next += 1;
    return exchange.response.slice();
  }

  /** Throws unless every recorded exchange was replayed. */
  assertDone(): void {
    const exchange = this.exchanges[this.next];
    if (!exchange) return;
    throw new TranscriptError(
      'unfinished_transcript',
      `${this.info.descriptor}: ${this.remaining} exchange(s) not replayed, the next at line ${exchange.commandLine}`,
      exchange.commandLine,
    );
  }

  private emit(event: CardEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.present = false;
  }
}
