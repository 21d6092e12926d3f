// The simulator's virtual DevPay cards: personalised from the embedded central's card master key
// (the same ids central issued), shown on the panel, tapped on the simulated reader. Each card's
// ATC and PIN try counter are kept in sim-cards.json beside the ledger, written as they move, so a
// restarted simulator never replays an ATC a card has already used and a blocked PIN stays
// blocked. The file holds no PIN: each card's PIN is derived from its key (simCardPin), as the
// card itself knows it.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toHex } from '../../core/clock.js';
import { deriveCardKey } from '../../core/card/card-crypto.js';
import { DevpayCard } from '../../drivers/sim/devpay-card.js';
import { simCardPin } from '../../drivers/sim/devpay-card-pin.js';
import { simCardCurrency } from '../../central/central-node.js';
import { simCardId } from '../../central/central-cards.js';
import type { CurrencyCode } from '../../core/currency.js';

export interface SimCardEntry {
  card: DevpayCard;
  label: string;
  currency: CurrencyCode;
  /** The card's PIN, for the simulator's panel and tests; never written anywhere. */
  pin: string;
}

/** One card's saved state: its ATC, or (since the PIN) its ATC and PIN tries left. */
type SavedCard = number | { atc: number; pinTriesLeft: number };

export class SimCardWallet {
  readonly entries: SimCardEntry[] = [];
  private readonly file: string;

  /**
   * `onSaveError` hears of an ATC that could not be saved (a full disk): the tap goes on, as a
   * real card's would, and a restarted simulator may replay that ATC, which central refuses.
   */
  constructor(dataDir: string, cardMasterKey: Uint8Array, count: number, private readonly onSaveError: (error: Error) => void = () => {}) {
    this.file = join(dataDir, 'sim-cards.json');
    const saved = existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, SavedCard>) : {};
    for (let index = 0; index < count; index += 1) {
      const cardId = simCardId(cardMasterKey, index);
      const cardKey = deriveCardKey(cardMasterKey, cardId);
      const state = saved[toHex(cardId)];
      const card = typeof state === 'object' ? new DevpayCard(cardId, cardKey, state.atc, { pinTriesLeft: state.pinTriesLeft }) : new DevpayCard(cardId, cardKey, state ?? 0);
      card.onAtcAdvanced = () => this.save();
      card.pin.onTriesChanged = () => this.save();
      const currency = simCardCurrency(index);
      this.entries.push({ card, currency, label: `Card ${index + 1} (${currency}) …${toHex(cardId).slice(-4)}`, pin: simCardPin(cardKey) });
    }
  }

  private save(): void {
    const atcs = Object.fromEntries(this.entries.map((entry): [string, SavedCard] => [entry.card.cardIdHex, { atc: entry.card.atc, pinTriesLeft: entry.card.pin.triesLeft }]));
    try {
      writeFileSync(`${this.file}.tmp`, JSON.stringify(atcs));
      renameSync(`${this.file}.tmp`, this.file);
    } catch (error) {
      this.onSaveError(error as Error);
    }
  }
}
