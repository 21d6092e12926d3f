// Where a transaction lives. While central has not decided it (approved offline or online) it is
// hot: in RxDB's memory over the sealed SQLite file, where the outbox, the sync and the screens
// react to it. Once final (settled, rejected, or posted final from the start: settlements,
// reversals, test payments) it is cold: only in the sealed SQLite table, read by id or by page.
// A transaction moves from hot to cold in the unit of work that settles or rejects it, so a
// crash leaves it in exactly one place. Reads see both, earlier units' uncommitted writes
// included; writes happen only inside the posting engine's units.
import { normalizeMangoQuery, prepareQuery, type RxDocumentData } from 'rxdb';
import { journalFactsOf } from '../core/ledger/journal.js';
import type { TransactionState } from '../core/ledger/transaction.js';
import type { LedgerDatabase } from './ledger-database.js';
import type { TransactionDocument } from './schemas.js';
import { readCurrent, writeInserts, writeUpdates } from './storage-writes.js';
import { coldTransactionsTable, type ColdTransactionColumns, type ColdWrite } from './durable/cold-tables.js';
import { withoutMeta } from './engine-results.js';

const finalStates: ReadonlySet<TransactionState> = new Set(['settled', 'rejected', 'posted']);

export function isFinalState(state: TransactionState): boolean {
  return finalStates.has(state);
}

export function coldTransactionWrite(transaction: TransactionDocument): ColdWrite {
  const facts = journalFactsOf(transaction);
  const columns: ColdTransactionColumns = [facts.createdAtMs, facts.state, facts.kind, facts.currency, facts.amountMinor, facts.last4, facts.referencesId];
  return { table: coldTransactionsTable, id: transaction.id, json: JSON.stringify(transaction), columns };
}

export class TransactionStore {
  constructor(private readonly database: LedgerDatabase) {}

  /** A transaction by id, hot or cold, as the ledger holds it now. */
  async get(id: string): Promise<TransactionDocument | null> {
    const [hot] = await readCurrent(this.database.collections.transactions, [id]);
    if (hot) return withoutMeta(hot);
    return this.getCold(id);
  }

  /** The hot document (with RxDB's metadata, for an update) or null when it is cold or absent. */
  async getHot(id: string): Promise<RxDocumentData<TransactionDocument> | null> {
    return (await readCurrent(this.database.collections.transactions, [id]))[0] ?? null;
  }

  getCold(id: string): TransactionDocument | null {
    const json = this.database.store.cold.read(coldTransactionsTable, id);
    return json === null ? null : (JSON.parse(json) as TransactionDocument);
  }

  /** The transactions of these ids that exist, by id. */
  async getMany(ids: readonly string[]): Promise<Map<string, TransactionDocument>> {
    const found = new Map<string, TransactionDocument>();
    for (const hot of await readCurrent(this.database.collections.transactions, [...ids])) found.set(hot.id, withoutMeta(hot));
    for (const id of ids) {
      if (found.has(id)) continue;
      const cold = this.getCold(id);
      if (cold) found.set(id, cold);
    }
    return found;
  }

  /**
   * How many transactions the ledger holds, hot and cold. A staged cold row is forgotten in the
   * same turn as its commit, and a cold transaction is written once, so a staged row is never
   * also counted on disk.
   */
  async count(): Promise<number> {
    // The hot set as the storage holds it now, like the staged rows (RxDB's cached count follows
    // change events, which lag until commit).
    const hot = (await this.hot()).length;
    const [cold] = this.database.store.cold.query<{ count: number }>(`SELECT count(*) AS count FROM ${coldTransactionsTable}`);
    const staged = this.database.store.cold.stagedOf(coldTransactionsTable).filter((write) => write.json !== null).length;
    return hot + (cold?.count ?? 0) + staged;
  }

  /**
   * The hot set: what central has not decided yet, as the storage holds it now. Read through the
   * storage, not RxDB's query cache, which follows change events held back until commit and so
   * would disagree with the cold store's overlay of staged rows.
   */
  async hot(): Promise<TransactionDocument[]> {
    const { schema, storageInstance } = this.database.collections.transactions;
    const query = prepareQuery(schema.jsonSchema, normalizeMangoQuery(schema.jsonSchema, { selector: { _deleted: { $eq: false } } as never }));
    return (await storageInstance.query(query)).documents.map((document) => withoutMeta(document));
  }

  /** Every transaction, hot then cold (tests, tools; a large ledger wants the journal's pages). */
  async all(): Promise<TransactionDocument[]> {
    const hot = await this.hot();
    return [...hot, ...[...this.cold()].map((row) => row.transaction)];
  }

  /**
   * Every cold transaction on disk, one at a time (verify). Synchronous on purpose: the SQLite
   * connection is busy while the cursor is open, so no commit may run until it is drained.
   */
  *cold(): Generator<{ transaction: TransactionDocument; columns: { state: string; kind: string; currency: string; createdAtMs: number } }> {
    const { cold } = this.database.store;
    for (const row of cold.iterate<{ id: string; state: string; kind: string; currency: string; created_at_ms: number; body: Buffer }>(
      `SELECT id, state, kind, currency, created_at_ms, body FROM ${coldTransactionsTable} ORDER BY id`,
    )) {
      yield { transaction: JSON.parse(cold.open(coldTransactionsTable, row.id, row.body)) as TransactionDocument, columns: { state: row.state, kind: row.kind, currency: row.currency, createdAtMs: row.created_at_ms } };
    }
  }

  /** Writes a new transaction inside the caller's unit: hot while undecided, else cold. */
  async insert(transaction: TransactionDocument): Promise<void> {
    if (isFinalState(transaction.state)) this.database.storage.addToUnit(coldTransactionWrite(transaction));
    else await writeInserts(this.database.collections.transactions, [transaction]);
  }

  /** Moves a hot transaction to cold with its final state, inside the caller's unit. */
  async finalize(previous: RxDocumentData<TransactionDocument>, change: { state: TransactionState; updatedAtMs: number }): Promise<void> {
    if (!isFinalState(change.state)) {
      await writeUpdates(this.database.collections.transactions, [{ previous, change }]);
      return;
    }
    // Cold first: a reader between the two steps sees it in both places (and prefers cold),
    // never in neither.
    this.database.storage.addToUnit(coldTransactionWrite({ ...withoutMeta(previous), ...change }));
    await writeUpdates(this.database.collections.transactions, [{ previous, change: { _deleted: true } as Partial<RxDocumentData<TransactionDocument>> }]);
  }
}
