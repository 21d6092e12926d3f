// Central's card registry and ATC claims, kept in central's ledger settings: each issued card
// (its currency, offline cap, state and the highest ATC seen used) under `card/<id>`, and which
// payment claimed each ATC under `atc/<card>/<atc>`. The only reader and writer of those
// documents. Writers named `write…` run inside an engine unit the caller holds, so a block
// commits with the revocation list; the others open their own unit.
import { z } from 'zod';
import { currencyCodes } from '../../core/currency.js';
import type { Ledger } from '../ledger.js';
import { upsertDocuments } from '../storage-writes.js';
import { parseStoredJson, StoredValueInvalidError } from './stored-value.js';

export const issuedCardSchema = z
  .object({
    cardId: z.string().regex(/^[0-9a-f]{16}$/),
    currency: z.enum(currencyCodes),
    /** The most one offline payment of this card may be, minor units. */
    offlineCapMinor: z.string().regex(/^(0|[1-9]\d{0,18})$/),
    state: z.enum(['active', 'blocked']),
    usedThroughAtc: z.number().int().nonnegative(),
    blockedReason: z.string().max(200).optional(),
    blockedAtMs: z.number().int().nonnegative().optional(),
  })
  .strict();
export type IssuedCard = z.infer<typeof issuedCardSchema>;

const cardKeyPrefix = 'card/';
const claimKeyPrefix = 'atc/';
const paymentIdPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export class CardRegistryStore {
  constructor(private readonly ledger: Ledger) {}

  /** Every card and claim as stored; one that fails its schema is a StoredValueInvalidError. */
  async loadAll(): Promise<{ cards: IssuedCard[]; claims: Array<{ cardIdHex: string; atc: number; paymentId: string }> }> {
    const stored = await this.ledger.database.collections.settings.find({ selector: { key: { $regex: '^(card|atc)/' } } }).exec();
    const cards: IssuedCard[] = [];
    const claims: Array<{ cardIdHex: string; atc: number; paymentId: string }> = [];
    for (const { key, value } of stored) {
      if (key.startsWith(cardKeyPrefix)) {
        cards.push(parseStoredJson(key, value, issuedCardSchema));
        continue;
      }
      const [cardIdHex, atcText] = key.slice(claimKeyPrefix.length).split('/');
      const atc = Number(atcText);
      if (!cardIdHex || !Number.isSafeInteger(atc) || atc < 1 || !paymentIdPattern.test(value)) throw new StoredValueInvalidError(key, 'not a claim of an ATC by a payment id');
      claims.push({ cardIdHex, atc, paymentId: value });
    }
    return { cards, claims };
  }

  /** Saves a card in a unit of its own. */
  saveCard(card: IssuedCard): Promise<void> {
    return this.ledger.engine.guarded(() => this.writeCard(card));
  }

  /** Saves a claim, and the card whose highest used ATC it moved, in a unit of its own; resolves at commit. */
  saveClaim(cardIdHex: string, atc: number, paymentId: string, movedCard: IssuedCard | null): Promise<void> {
    return this.ledger.engine.guarded(async () => {
      await upsertDocuments(this.ledger.database.collections.settings, [{ key: `${claimKeyPrefix}${cardIdHex}/${atc}`, value: paymentId }], 'key');
      if (movedCard) await this.writeCard(movedCard);
    });
  }

  /** Writes a card inside the caller's unit. */
  async writeCard(card: IssuedCard): Promise<void> {
    const checked = issuedCardSchema.parse(card);
    await upsertDocuments(this.ledger.database.collections.settings, [{ key: `${cardKeyPrefix}${checked.cardId}`, value: JSON.stringify(checked) }], 'key');
  }
}
