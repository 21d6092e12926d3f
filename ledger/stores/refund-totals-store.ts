// How much of each payment central has refunded, kept in central's ledger under
// `refunded/<payment id>` and read by key, so checking a refund never scans the history. Read
// and written inside the engine unit that posts the refund, so two refunds of one payment see
// each other.
import { parseMinorUnits } from '../../core/money.js';
import type { Ledger } from '../ledger.js';
import { readCurrent, upsertDocuments } from '../storage-writes.js';
import { StoredValueInvalidError } from './stored-value.js';

const refundedKey = (originalId: string): string => `refunded/${originalId}`;

export class RefundTotalsStore {
  constructor(private readonly ledger: Ledger) {}

  /** The refunded total of a payment inside the caller's unit (0 if none). */
  async refundedMinor(originalId: string): Promise<bigint> {
    const key = refundedKey(originalId);
    const [stored] = await readCurrent(this.ledger.database.collections.settings, [key]);
    if (!stored) return 0n;
    try {
      return parseMinorUnits(stored.value);
    } catch {
      throw new StoredValueInvalidError(key, 'not a minor-unit amount');
    }
  }

  /** Adds a refund to its payment's total inside the caller's unit. */
  async add(originalId: string, amountMinor: bigint): Promise<void> {
    const total = (await this.refundedMinor(originalId)) + amountMinor;
    await upsertDocuments(this.ledger.database.collections.settings, [{ key: refundedKey(originalId), value: total.toString() }], 'key');
  }
}
