// The transactions of a time range, for the day reports, read efficiently over both sides of
// the store. Cold rows are found through the clear created_at_ms and kind columns (the
// cold_by_kind index, one range per kind) and only those rows are decrypted: a day's few
// thousand, whatever years of history lie around them. The hot set (what central has not
// decided) is read from storage and filtered in memory, every kind, since all of it is the
// period's unsynced work; rows staged by units still committing are merged in, and a transaction
// seen on several sides (moving hot to cold) is given once, in its newest form, as the journal
// does. Memo and card mode live only inside the sealed body, so the figures' rows are opened;
// adding clear columns for them would need a migration of the cold table, which has none.
import { dayFigureKinds, inPeriod, type DayPeriod } from '../core/ledger/day-report.js';
import type { TransactionKind } from '../core/ledger/transaction.js';
import type { Ledger } from './ledger.js';
import type { TransactionDocument } from './schemas.js';
import { coldTransactionsTable } from './durable/cold-tables.js';

export class DayFacts {
  constructor(private readonly ledger: Ledger) {}

  /**
   * The period's transactions of the given kinds (the merchant's figures by default) and every
   * undecided one of the period, each once. Read inside an engine unit it is a consistent
   * snapshot: every earlier unit's writes are visible, no later one's.
   */
  async period(period: DayPeriod, kinds: readonly TransactionKind[] = dayFigureKinds): Promise<TransactionDocument[]> {
    const byId = new Map<string, TransactionDocument>();
    for (const transaction of await this.ledger.transactions.hot()) if (inPeriod(transaction, period)) byId.set(transaction.id, transaction);
    if (kinds.length > 0 && period.toMs > period.fromMs) {
      const { cold } = this.ledger.database.store;
      const rows = cold.query<{ id: string; body: Buffer }>(
        `SELECT id, body FROM ${coldTransactionsTable} WHERE kind IN (${kinds.map(() => '?').join(', ')}) AND created_at_ms >= ? AND created_at_ms < ?`,
        [...kinds, period.fromMs, period.toMs],
      );
      for (const row of rows) byId.set(row.id, JSON.parse(cold.open(coldTransactionsTable, row.id, row.body)) as TransactionDocument);
      for (const write of cold.stagedOf(coldTransactionsTable)) {
        if (write.json === null) continue;
        const transaction = JSON.parse(write.json) as TransactionDocument;
        if (inPeriod(transaction, period) && kinds.includes(transaction.kind)) byId.set(transaction.id, transaction);
      }
    }
    return [...byId.values()];
  }

  /** The period's undecided transactions (the hot set within it). */
  async undecided(period: DayPeriod): Promise<TransactionDocument[]> {
    return (await this.ledger.transactions.hot()).filter((transaction) => inPeriod(transaction, period));
  }

  /** When the ledger's first transaction was made, or null for an empty ledger: where the first period starts. */
  async firstCreatedAtMs(): Promise<number | null> {
    const { cold } = this.ledger.database.store;
    const [coldFirst] = cold.query<{ first: number | null }>(`SELECT min(created_at_ms) AS first FROM ${coldTransactionsTable}`);
    let first = coldFirst?.first ?? null;
    const consider = (createdAtMs: number): void => {
      if (first === null || createdAtMs < first) first = createdAtMs;
    };
    for (const transaction of await this.ledger.transactions.hot()) consider(transaction.createdAtMs);
    for (const write of cold.stagedOf(coldTransactionsTable)) if (write.json !== null) consider((JSON.parse(write.json) as TransactionDocument).createdAtMs);
    return first;
  }
}
