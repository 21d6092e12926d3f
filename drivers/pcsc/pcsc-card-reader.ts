// One PC/SC reader seen through nfc-pcsc, as a CardReader. A card leaving the field during an
// exchange surfaces as the named error card_removed, so a payment in flight posts nothing.
import type { Reader as NfcReader, NfcCard } from 'nfc-pcsc';
import {
  DeviceError,
  withDeadline,
  type CallOptions,
  type CardEvent,
  type CardReader,
  type HealthReport,
} from '../../device/capabilities.js';

const maxResponseBytes = 258;
/** How long a failed exchange waits to learn whether the card left (pcscd polls about every 400 ms). */
const removalGraceMs = 450;

export class PcscCardReader implements CardReader {
  readonly info;
  private cardPresent = false;
  private readonly listeners = new Set<(event: CardEvent) => void>();

  constructor(
    private readonly reader: NfcReader,
    private readonly onHealthChange: () => void,
  ) {
    this.info = {
      descriptor: `pcsc:${encodeURIComponent(reader.name)}`,
      kind: 'card_reader',
      name: reader.name,
    } as const;
    reader.on('card', (card: NfcCard) => {
      this.cardPresent = true;
      this.emit({ type: 'card_present', atr: new Uint8Array(card.atr ?? []) });
    });
    reader.on('card.off', () => {
      this.cardPresent = false;
      this.emit({ type: 'card_removed' });
    });
  }

  health(): HealthReport {
    return { health: 'ok', detail: this.cardPresent ? 'card in field' : 'ready, no card' };
  }

  hasCard(): boolean {
    return this.cardPresent;
  }

  onCard(listener: (event: CardEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async transmit(commandApdu: Uint8Array, options: CallOptions): Promise<Uint8Array> {
    if (!this.cardPresent) throw new DeviceError('not_present', 'no card in the field');
    const exchange = this.reader.transmit(Buffer.from(commandApdu), maxResponseBytes).then(
      async (response) => {
        // Every response APDU ends in SW1 SW2. vpcd answers an exchange the card left mid-way
        // with no bytes, a few hundred milliseconds before pcscd reports the card gone.
        if (response.length >= 2) return new Uint8Array(response);
        if (await this.leavesWithin(removalGraceMs)) throw new DeviceError('card_removed', 'card left the field during the exchange');
        throw new DeviceError('transport_failed', `PC/SC answered ${response.length} bytes, without a status word`);
      },
      async (error: unknown) => {
        if (await this.leavesWithin(removalGraceMs)) throw new DeviceError('card_removed', 'card left the field during the exchange', { cause: error });
        throw new DeviceError('transport_failed', 'PC/SC transmit failed', { cause: error });
      },
    );
    return withDeadline(exchange, options, 'APDU exchange');
  }

  /** Whether the card is gone, or goes within the grace period (pcscd polls for removal). */
  private leavesWithin(withinMs: number): Promise<boolean> {
    if (!this.cardPresent) return Promise.resolve(true);
    return new Promise((resolve) => {
      const listener = (event: CardEvent): void => {
        if (event.type !== 'card_removed') return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        resolve(false);
      }, withinMs);
      this.listeners.add(listener);
    });
  }

  private emit(event: CardEvent): void {
    this.onHealthChange();
    for (const listener of this.listeners) listener(event);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    try {
      this.reader.close();
    } catch {
      // The reader may already be gone with pcscd.
    }
  }
}
