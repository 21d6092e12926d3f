// Reserve tokens on disk only: a terminal may hold a hundred thousand, and none of them needs to
// be in memory until a card presents its ATC. Each token is a sealed row of the ledger file's
// reserve_tokens table, with its card, state, expiry, batch and spending payment in clear
// columns for the reserve's housekeeping (card ids are not PII: they are already ids on disk).
// Reads see earlier units' uncommitted writes; writes happen inside the engine's units only.
import type { LedgerDatabase } from './ledger-database.js';
import type { ReserveTokenDocument } from './schemas.js';
import { reserveTokensTable, type ReserveTokenColumns, type ColdWrite } from './durable/cold-tables.js';
import { StoredValueInvalidError } from './stores/stored-value.js';

export function reserveTokenWrite(token: ReserveTokenDocument): ColdWrite {
  const columns: ReserveTokenColumns = [token.cardId, token.state, token.expiresAtMs, token.batchId, token.spentByPaymentId ?? null];
  return { table: reserveTokensTable, id: token.id, json: JSON.stringify(token), columns };
}

export class ReserveTokenTable {
  constructor(private readonly database: LedgerDatabase) {}

  get(id: string): ReserveTokenDocument | null {
    const json = this.database.store.cold.read(reserveTokensTable, id);
    if (json === null) return null;
    const token = JSON.parse(json) as ReserveTokenDocument;
    if (token.id !== id || (token.state !== 'available' && token.state !== 'spent')) throw new StoredValueInvalidError(`${reserveTokensTable}/${id}`, 'not a reserve token');
    return token;
  }

  getMany(ids: readonly string[]): Map<string, ReserveTokenDocument> {
    const found = new Map<string, ReserveTokenDocument>();
    for (const id of ids) {
      const token = this.get(id);
      if (token) found.set(id, token);
    }
    return found;
  }

  /** Inserts or replaces a token inside the caller's unit of work. */
  put(token: ReserveTokenDocument): void {
    this.database.storage.addToUnit(reserveTokenWrite(token));
  }

  /** Deletes a token inside the caller's unit of work. */
  remove(id: string): void {
    this.database.storage.addToUnit({ table: reserveTokensTable, id, json: null, columns: null });
  }

  /** Available tokens per card, as committed (read at open, before any unit runs). */
  availableByCard(): Array<{ cardId: string; count: number }> {
    return this.database.store.cold.query<{ cardId: string; count: number }>(`SELECT card_id AS cardId, count(*) AS count FROM ${reserveTokensTable} WHERE state = 'available' GROUP BY card_id`);
  }

  /** Ids of available tokens past their expiry: candidates, rechecked inside the unit that drops them. */
  expiredIds(nowMs: number): string[] {
    return this.database.store.cold.query<{ id: string }>(`SELECT id FROM ${reserveTokensTable} WHERE state = 'available' AND expires_at_ms < ?`, [nowMs]).map((row) => row.id);
  }

  /** Spent tokens with the payment that spent each. */
  spent(): Array<{ id: string; spentBy: string | null }> {
    return this.database.store.cold.query<{ id: string; spentBy: string | null }>(`SELECT id, spent_by AS spentBy FROM ${reserveTokensTable} WHERE state = 'spent'`);
  }

  /** Batches some held token refers to, staged writes included (run it inside a unit). */
  referencedBatchIds(): Set<string> {
    const { cold } = this.database.store;
    const referenced = new Set(cold.query<{ batchId: string }>(`SELECT DISTINCT batch_id AS batchId FROM ${reserveTokensTable}`).map((row) => row.batchId));
    for (const write of cold.stagedOf(reserveTokensTable)) if (write.json !== null) referenced.add((JSON.parse(write.json) as ReserveTokenDocument).batchId);
    return referenced;
  }

  /** Every token on disk with its clear columns, one at a time (verify; drain it before any commit). */
  *all(): Generator<{ token: ReserveTokenDocument; columns: { cardId: string; state: string; batchId: string } }> {
    const { cold } = this.database.store;
    for (const row of cold.iterate<{ id: string; cardId: string; state: string; batchId: string; body: Buffer }>(`SELECT id, card_id AS cardId, state, batch_id AS batchId, body FROM ${reserveTokensTable} ORDER BY id`)) {
      yield { token: JSON.parse(cold.open(reserveTokensTable, row.id, row.body)) as ReserveTokenDocument, columns: { cardId: row.cardId, state: row.state, batchId: row.batchId } };
    }
  }

  /** How many tokens are held (optionally in one state), as committed. */
  count(state?: ReserveTokenDocument['state']): number {
    const [row] = state
      ? this.database.store.cold.query<{ count: number }>(`SELECT count(*) AS count FROM ${reserveTokensTable} WHERE state = ?`, [state])
      : this.database.store.cold.query<{ count: number }>(`SELECT count(*) AS count FROM ${reserveTokensTable}`);
    return row?.count ?? 0;
  }
}
