// The terminal's reserve tokens: batches from central checked and stored, tokens spent in the
// same unit that posts their payment, and the ATCs this terminal has seen approved online kept
// as spent markers, so one ATC is never approved twice here, whatever the order of taps,
// retries and restarts. Batch headers and signatures are kept once per batch in the settings
// collection; the tokens themselves live only on disk (reserve-token-table.ts) and are read by
// id when a card presents its ATC; the per-card count of available tokens is kept in memory for
// replenishment.
import type { RxDocumentData } from 'rxdb';
import { openReserveBatch, reserveTokenId, type BatchHeader, type ReserveVerifyFailure, type StoredReserveToken } from '../core/card/reserve-token.js';
import type { Ledger } from './ledger.js';
import type { ReserveTokenDocument, SettingDocument } from './schemas.js';
import { readCurrent, writeInserts, writeUpdates } from './storage-writes.js';
import { ReserveTokenTable } from './reserve-token-table.js';
import { z } from 'zod';
import { parseStoredJson } from './stores/stored-value.js';

const batchSettingPrefix = 'reserve_batch/';

interface StoredBatch {
  header: BatchHeader;
  root: string;
  signature: string;
}

const storedBatchSchema: z.ZodType<StoredBatch> = z
  .object({
    header: z.object({ batchId: z.string().max(40), terminalId: z.string(), issuedAtMs: z.number().int().nonnegative(), tokenCount: z.number().int().positive() }).strict(),
    root: z.string().regex(/^[0-9a-f]{64}$/),
    signature: z.string().regex(/^[0-9a-f]{128}$/),
  })
  .strict();

export type IngestResult = { ok: true; inserted: number; known: number } | { ok: false; reason: ReserveVerifyFailure };

export class ReserveStore {
  private readonly batches = new Map<string, StoredBatch>();
  private readonly availableByCard = new Map<string, number>();
  readonly tokens: ReserveTokenTable;

  constructor(
    private readonly ledger: Ledger,
    private readonly publicKey: Uint8Array | null,
  ) {
    this.tokens = new ReserveTokenTable(ledger.database);
  }

  get centralPublicKey(): Uint8Array | null {
    return this.publicKey;
  }

  async load(): Promise<void> {
    const { collections } = this.ledger.database;
    for (const setting of await collections.settings.find({ selector: { key: { $regex: `^${batchSettingPrefix}` } } }).exec()) {
      this.batches.set(setting.key.slice(batchSettingPrefix.length), parseStoredJson(setting.key, setting.value, storedBatchSchema));
    }
    for (const { cardId, count } of this.tokens.availableByCard()) this.countAvailable(cardId, count);
  }

  availableFor(cardIdHex: string): number {
    return this.availableByCard.get(cardIdHex) ?? 0;
  }

  totalAvailable(): number {
    let total = 0;
    for (const count of this.availableByCard.values()) total += count;
    return total;
  }

  /**
   * Checks a batch from central (signature, terminal) and stores its tokens: new ones, and fresher
   * copies of available ones (a later expiry, as central reissues a quiet card's window). Spent
   * tokens are never touched. The batch's header is kept only if a token refers to it.
   */
  ingest(batch: unknown): Promise<IngestResult> {
    if (!this.publicKey) return Promise.resolve({ ok: false, reason: 'bad_signature' });
    const opened = openReserveBatch(this.publicKey, batch, this.ledger.owner);
    if (!opened.ok) return Promise.resolve(opened);
    const tokens = opened.tokens;
    return this.ledger.engine.guarded(async () => {
      const { collections } = this.ledger.database;
      const ids = tokens.map((token) => reserveTokenId(token.cardId, token.atc));
      const existing = this.tokens.getMany(ids);
      const fresh = tokens.filter((token, index) => !existing.has(ids[index]!));
      const refreshed = tokens.filter((token, index) => {
        const held = existing.get(ids[index]!);
        return held !== undefined && held.state === 'available' && token.expiresAtMs > held.expiresAtMs;
      });
      const header = tokens[0]!.header;
      if ((fresh.length > 0 || refreshed.length > 0) && !this.batches.has(header.batchId)) {
        const stored: StoredBatch = { header, root: tokens[0]!.root, signature: tokens[0]!.signature };
        await writeInserts<SettingDocument>(collections.settings, [{ key: `${batchSettingPrefix}${header.batchId}`, value: JSON.stringify(stored) }]);
        this.batches.set(header.batchId, stored);
      }
      for (const token of [...fresh, ...refreshed]) this.tokens.put(toDocument(token));
      for (const token of fresh) this.countAvailable(token.cardId, 1);
      return { ok: true as const, inserted: fresh.length, known: tokens.length - fresh.length };
    });
  }

  /**
   * Drops available tokens of a card's ATCs up to one central has seen used (elsewhere, or by an
   * online tap): a genuine card has moved past them, so only a clone or a replay could present
   * them. Looks back a bounded window, as central issues a window of a few ATCs at a time.
   */
  retireThrough(cardIdHex: string, usedThroughAtc: number, windowAtcs = 64): Promise<number> {
    const ids: string[] = [];
    for (let atc = Math.max(1, usedThroughAtc - windowAtcs + 1); atc <= usedThroughAtc; atc += 1) ids.push(reserveTokenId(cardIdHex, atc));
    if (ids.length === 0) return Promise.resolve(0);
    return this.retireIds(ids);
  }

  private async retireIds(ids: string[]): Promise<number> {
    // Most refreshes find nothing to retire: look first, and only then take a unit.
    const candidates = [...this.tokens.getMany(ids).values()].filter((document) => document.state === 'available');
    if (candidates.length === 0) return 0;
    return this.ledger.engine.guarded(async () => {
      const held = [...this.tokens.getMany(ids).values()].filter((document) => document.state === 'available');
      for (const document of held) {
        this.tokens.remove(document.id);
        this.countAvailable(document.cardId, -1);
      }
      return held.length;
    });
  }

  /** Reads a token inside the caller's unit, with its batch, as verifyStoredToken wants it. */
  async readToken(cardIdHex: string, atc: number): Promise<{ document: ReserveTokenDocument; token: StoredReserveToken | null } | null> {
    const document = this.tokens.get(reserveTokenId(cardIdHex, atc));
    if (!document) return null;
    const batch = this.batches.get(document.batchId);
    if (!batch) return { document, token: null };
    const proof = document.proof.match(/.{64}/g) ?? [];
    const token: StoredReserveToken = {
      cardId: document.cardId,
      atc: document.atc,
      commitment: document.commitment,
      capMinor: document.capMinor,
      currency: document.currency as StoredReserveToken['currency'],
      expiresAtMs: document.expiresAtMs,
      header: batch.header,
      root: batch.root,
      signature: batch.signature,
      leafIndex: document.leafIndex,
      proof,
    };
    return { document, token };
  }

  /**
   * Marks (card, ATC) spent by a payment inside the caller's unit: the token if held, else a
   * spent marker. Answers the payment that already spent it, if another did.
   */
  async markSpent(cardIdHex: string, atc: number, paymentId: string): Promise<{ ok: true } | { ok: false; spentBy: string | null }> {
    const document = this.tokens.get(reserveTokenId(cardIdHex, atc));
    if (document?.state === 'spent') return document.spentByPaymentId === paymentId ? { ok: true } : { ok: false, spentBy: document.spentByPaymentId ?? null };
    if (document) {
      this.tokens.put({ ...document, state: 'spent', spentByPaymentId: paymentId });
      this.countAvailable(cardIdHex, -1);
      return { ok: true };
    }
    this.tokens.put({ id: reserveTokenId(cardIdHex, atc), cardId: cardIdHex, atc, commitment: '', capMinor: '0', currency: '', expiresAtMs: 0, batchId: '', leafIndex: 0, proof: '', state: 'spent', spentByPaymentId: paymentId });
    return { ok: true };
  }

  /** Whether (card, ATC) was already spent here, read outside any unit (a quick early decline). */
  async isSpent(cardIdHex: string, atc: number): Promise<boolean> {
    return this.tokens.get(reserveTokenId(cardIdHex, atc))?.state === 'spent';
  }

  /**
   * Drops tokens that can no longer matter, so the store does not grow for ever: available tokens
   * past their expiry, and spent ones whose payment central has settled or rejected (central's
   * ATC claim guards that ATC from then on, and it never issues it again). Spent tokens of
   * payments still awaiting central stay: they are what declines a replay here at once.
   */
  async purge(nowMs: number, chunkSize = 500): Promise<{ expired: number; settled: number }> {
    const expired = this.tokens.expiredIds(nowMs);
    const spent = this.tokens.spent();
    const paymentIds = [...new Set(spent.flatMap((token) => (token.spentBy ? [token.spentBy] : [])))];
    const payments = await this.ledger.engine.transactions.getMany(paymentIds);
    const decided = spent.filter((token) => {
      const state = token.spentBy ? payments.get(token.spentBy)?.state : undefined;
      return state === 'settled' || state === 'rejected';
    });
    const decidedIds = new Set(decided.map((token) => token.id));
    const ids = [...expired, ...decidedIds];
    for (let start = 0; start < ids.length; start += chunkSize) {
      await this.ledger.engine.guarded(async () => {
        // Re-read inside the unit: a token spent since the query is kept.
        const current = [...this.tokens.getMany(ids.slice(start, start + chunkSize)).values()];
        const removable = current.filter((document) => (document.state === 'available' ? document.expiresAtMs < nowMs : decidedIds.has(document.id)));
        for (const document of removable) {
          this.tokens.remove(document.id);
          if (document.state === 'available') this.countAvailable(document.cardId, -1);
        }
      });
    }
    await this.dropUnreferencedBatches();
    return { expired: expired.length, settled: decided.length };
  }

  /** Batch headers no stored token refers to any more are dropped with the tokens. */
  private async dropUnreferencedBatches(): Promise<void> {
    const { collections } = this.ledger.database;
    // Inside the unit, so a batch whose tokens an earlier unit is still committing counts.
    await this.ledger.engine.guarded(async () => {
      const referenced = this.tokens.referencedBatchIds();
      const unreferenced = [...this.batches.keys()].filter((batchId) => !referenced.has(batchId));
      if (unreferenced.length === 0) return;
      const rows = await readCurrent(collections.settings, unreferenced.map((batchId) => `${batchSettingPrefix}${batchId}`));
      await writeUpdates(collections.settings, rows.map((row) => ({ previous: row, change: { _deleted: true } as Partial<RxDocumentData<SettingDocument>> })));
      for (const batchId of unreferenced) this.batches.delete(batchId);
    });
  }

  private countAvailable(cardIdHex: string, delta: number): void {
    const next = (this.availableByCard.get(cardIdHex) ?? 0) + delta;
    if (next <= 0) this.availableByCard.delete(cardIdHex);
    else this.availableByCard.set(cardIdHex, next);
  }
}

function toDocument(token: StoredReserveToken): ReserveTokenDocument {
  return {
    id: reserveTokenId(token.cardId, token.atc),
    cardId: token.cardId,
    atc: token.atc,
    commitment: token.commitment,
    capMinor: token.capMinor,
    currency: token.currency,
    expiresAtMs: token.expiresAtMs,
    batchId: token.header.batchId,
    leafIndex: token.leafIndex,
    proof: token.proof.join(''),
    state: 'available',
  };
}
