// The outbox as sync sees it: which transactions wait for central, oldest first, the
// transactions themselves in the form they were posted, and a signal after each committed
// change. Entries are written with their transaction and removed with central's verdict by the
// posting engine; this store only reads them.
import type { Ledger } from '../ledger.js';
import type { TransactionDocument } from '../schemas.js';

export type { TransactionDocument };

export class OutboxStore {
  constructor(private readonly ledger: Ledger) {}

  /** Up to `limit` waiting transaction ids, oldest first, leaving out those in `skip` (in flight). */
  async oldest(limit: number, skip: ReadonlySet<string>): Promise<string[]> {
    const entries = await this.ledger.database.collections.outbox.find({ sort: [{ id: 'asc' }], limit: limit + skip.size }).exec();
    return entries.map((entry) => entry.transactionId).filter((id) => !skip.has(id)).slice(0, limit);
  }

  /** The transactions of these ids that exist, in the order asked. */
  async transactions(ids: string[]): Promise<TransactionDocument[]> {
    const found = await this.ledger.transactions.getMany(ids);
    return ids.flatMap((id) => {
      const document = found.get(id);
      return document ? [document] : [];
    });
  }

  /** Every waiting entry with its transaction, for the backlog summary. */
  async backlog(): Promise<Array<{ createdAtMs: number; transaction: TransactionDocument | null }>> {
    const entries = await this.ledger.database.collections.outbox.find().exec();
    const found = await this.ledger.transactions.getMany(entries.map((entry) => entry.transactionId));
    return entries.map((entry) => ({ createdAtMs: entry.createdAtMs, transaction: found.get(entry.transactionId) ?? null }));
  }

  count(): Promise<number> {
    return this.ledger.database.collections.outbox.count().exec();
  }

  /** Calls `listener` after each committed new entry; returns the unsubscribe. */
  onInsert(listener: () => void): () => void {
    const subscription = this.ledger.database.collections.outbox.insert$.subscribe(() => listener());
    return () => subscription.unsubscribe();
  }

  /** Calls `listener` after each committed change of the outbox; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    const subscription = this.ledger.database.collections.outbox.$.subscribe(() => listener());
    return () => subscription.unsubscribe();
  }
}

/** How many transactions the ledger holds, for the technician's summary. */
export function countTransactions(ledger: Ledger): Promise<number> {
  return ledger.transactions.count();
}
