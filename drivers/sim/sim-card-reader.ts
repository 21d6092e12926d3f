// A simulated contactless reader: virtual cards are tapped onto it (from the simulator panel or
// a test) and removed again. Exchanges take a seeded latency and may fail with seeded faults.
import {
  DeviceError,
  withDeadline,
  type CallOptions,
  type CardEvent,
  type CardReader,
  type HealthReport,
} from '../../device/capabilities.js';
import { drawFault, drawLatencyMs, sleep, type SimBehaviour } from './seeded-latency.js';
import type { VirtualCard } from './virtual-card.js';

export class SimCardReader implements CardReader {
  readonly info;
  private card: VirtualCard | null = null;
  private readonly listeners = new Set<(event: CardEvent) => void>();

  constructor(
    private readonly behaviour: SimBehaviour,
    index = 0,
  ) {
    this.info = { descriptor: `sim:card-reader/${index}`, kind: 'card_reader', name: `Simulated NFC reader ${index}` } as const;
  }

  tap(card: VirtualCard): void {
    this.card = card;
    card.reset();
    this.emit({ type: 'card_present', atr: card.atr });
  }

  removeCard(): void {
    if (!this.card) return;
    this.card = null;
    this.emit({ type: 'card_removed' });
  }

  health(): HealthReport {
    return { health: 'ok', detail: this.card ? 'card in field' : 'ready, no card' };
  }

  hasCard(): boolean {
    return this.card !== null;
  }

  onCard(listener: (event: CardEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async transmit(commandApdu: Uint8Array, options: CallOptions): Promise<Uint8Array> {
    const card = this.card;
    if (!card) throw new DeviceError('not_present', 'no card in the field');
    const exchange = (async () => {
      await sleep(drawLatencyMs(this.behaviour));
      if (this.card !== card) throw new DeviceError('card_removed', 'card left the field during the exchange');
      if (drawFault(this.behaviour)) throw new DeviceError('transport_failed', 'simulated RF fault');
      return card.respond(commandApdu);
    })();
    return withDeadline(exchange, options, 'APDU exchange');
  }

  private emit(event: CardEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.card = null;
  }
}
