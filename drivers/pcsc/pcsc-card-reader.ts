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
      (response) => new Uint8Array(response),
      (error: unknown) => {
        if (!this.cardPresent) throw new DeviceError('card_removed', 'card left the field during the exchange', { cause: error });
        throw new DeviceError('transport_failed', 'PC/SC transmit failed', { cause: error });
      },
    );
    return withDeadline(exchange, options, 'APDU exchange');
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
