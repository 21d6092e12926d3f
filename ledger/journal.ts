// The journal: pages of transactions, newest first, filtered by non-PII facts, over both sides
// of the store. The cold store answers through its indexes and decrypts only the page it
// returns; the hot set (what central has not decided, a bounded few) is filtered in memory;
// rows staged by units still committing are merged in, so a transaction moving from hot to cold
// is never missing from a page. Each source gives at most limit + 1 rows past the cursor, so the
// merged page is exact and the cursor continues it without gaps or repeats.
import {
  compareNewestFirst,
  decodeJournalCursor,
  encodeJournalCursor,
  journalFactsOf,
  matchesJournalQuery,
  type JournalQuery,
} from '../core/ledger/journal.js';
import type { LedgerDatabase } from './ledger-database.js';
import type { TransactionDocument } from './schemas.js';
import type { TransactionStore } from './transaction-store.js';
import { coldTransactionsTable } from './durable/cold-tables.js';

export interface JournalPage {
  transactions: TransactionDocument[];
  /** Continues after the last transaction of this page; null when there is nothing more. */
  nextCursor: string | null;
}

export class Journal {
  constructor(
    private readonly database: LedgerDatabase,
    private readonly transactions: TransactionStore,
  ) {}

  async list(query: JournalQuery): Promise<JournalPage> {
    const fetch = query.limit + 1;
    const byId = new Map<string, TransactionDocument>();
    // Lowest precedence first: a transaction seen hot and cold at once is being moved, and its
    // cold (final) form wins; a staged row is newer than the committed one.
    for (const transaction of await this.transactions.hot()) if (matchesJournalQuery(journalFactsOf(transaction), query)) byId.set(transaction.id, transaction);
    for (const transaction of this.coldPage(query, fetch)) byId.set(transaction.id, transaction);
    for (const write of this.database.store.cold.stagedOf(coldTransactionsTable)) {
      if (write.json === null) continue;
      const transaction = JSON.parse(write.json) as TransactionDocument;
      if (matchesJournalQuery(journalFactsOf(transaction), query)) byId.set(transaction.id, transaction);
    }
    const merged = [...byId.values()].sort(compareNewestFirst);
    const page = merged.slice(0, query.limit);
    const last = page.at(-1);
    return { transactions: page, nextCursor: merged.length > query.limit && last ? encodeJournalCursor(last) : null };
  }

  private coldPage(query: JournalQuery, limit: number): TransactionDocument[] {
    const where: string[] = [];
    const parameters: unknown[] = [];
    const add = (clause: string, ...values: unknown[]): void => {
      where.push(clause);
      parameters.push(...values);
    };
    if (query.fromMs !== undefined) add('created_at_ms >= ?', query.fromMs);
    if (query.toMs !== undefined) add('created_at_ms < ?', query.toMs);
    if (query.states) add(`state IN (${query.states.map(() => '?').join(', ')})`, ...query.states);
    if (query.kinds) add(`kind IN (${query.kinds.map(() => '?').join(', ')})`, ...query.kinds);
    if (query.currency) add('currency = ?', query.currency);
    if (query.minAmountMinor !== undefined) add('amount_minor >= ?', BigInt(query.minAmountMinor));
    if (query.maxAmountMinor !== undefined) add('amount_minor <= ?', BigInt(query.maxAmountMinor));
    if (query.last4) add('last4 = ?', query.last4);
    if (query.paymentId) add('(id = ? OR references_id = ?)', query.paymentId, query.paymentId);
    if (query.cursor) {
      const cursor = decodeJournalCursor(query.cursor);
      add('(created_at_ms, id) < (?, ?)', cursor.createdAtMs, cursor.id);
    }
    const { cold } = this.database.store;
    const rows = cold.query<{ id: string; body: Buffer }>(
      `SELECT id, body FROM ${coldTransactionsTable} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at_ms DESC, id DESC LIMIT ?`,
      [...parameters, limit],
    );
    // Only the page is decrypted.
    return rows.map((row) => JSON.parse(cold.open(coldTransactionsTable, row.id, row.body)) as TransactionDocument);
  }
}
