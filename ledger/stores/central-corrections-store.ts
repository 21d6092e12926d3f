// Central's record of corrections, kept in its ledger's settings and read by key, so judging a
// refund or a void never scans the history: per refund id its claim (`refund_claim/<refund>`:
// the payment, the amount and whether central approved it online or took it offline), per
// payment the refunded total (`refunded/<payment>`, a minor-unit string, as central has always
// kept it) and its void (`voided/<payment>`: the void's id). A claim and the total it adds to
// are written together. Every read and write runs inside the engine unit that judges the
// correction, so two refunds of one payment (or a refund and a void) see each other.
import { z } from 'zod';
import { parseMinorUnits } from '../../core/money.js';
import type { Ledger } from '../ledger.js';
import { readCurrent, upsertDocuments } from '../storage-writes.js';
import { parseStoredJson, StoredValueInvalidError } from './stored-value.js';

const ulidPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const refundClaimSchema = z
  .object({
    originalId: z.string().regex(ulidPattern),
    amountMinor: z.string().regex(/^[1-9]\d{0,18}$/),
    /** online: central approved it (refund_authorize); offline: taken at settlement of an offline refund. */
    mode: z.enum(['online', 'offline']),
  })
  .strict();
export type RefundClaim = z.infer<typeof refundClaimSchema>;

const claimKey = (refundId: string): string => `refund_claim/${refundId}`;
const refundedKey = (originalId: string): string => `refunded/${originalId}`;
const voidedKey = (originalId: string): string => `voided/${originalId}`;

export class CentralCorrectionsStore {
  constructor(private readonly ledger: Ledger) {}

  /** The claim recorded for a refund id, or null. */
  async claimOf(refundId: string): Promise<RefundClaim | null> {
    const value = await this.read(claimKey(refundId));
    return value === null ? null : parseStoredJson(claimKey(refundId), value, refundClaimSchema);
  }

  /** The refunded total of a payment (0 if none). */
  async refundedMinor(originalId: string): Promise<bigint> {
    const key = refundedKey(originalId);
    const value = await this.read(key);
    if (value === null) return 0n;
    try {
      const total = parseMinorUnits(value);
      if (total < 0n) throw new Error('negative');
      return total;
    } catch {
      throw new StoredValueInvalidError(key, 'not a minor-unit amount');
    }
  }

  /** The id of the void recorded for a payment, or null. */
  async voidOf(originalId: string): Promise<string | null> {
    const key = voidedKey(originalId);
    const value = await this.read(key);
    if (value !== null && !ulidPattern.test(value)) throw new StoredValueInvalidError(key, 'not a void id');
    return value;
  }

  /** Records a refund's claim and adds it to its payment's total, together. */
  async recordRefund(refundId: string, claim: RefundClaim): Promise<void> {
    const checked = refundClaimSchema.parse(claim);
    const total = (await this.refundedMinor(checked.originalId)) + BigInt(checked.amountMinor);
    await upsertDocuments(
      this.ledger.database.collections.settings,
      [
        { key: claimKey(refundId), value: JSON.stringify(checked) },
        { key: refundedKey(checked.originalId), value: total.toString() },
      ],
      'key',
    );
  }

  /** Records the void of a payment. */
  async recordVoid(originalId: string, voidId: string): Promise<void> {
    if (!ulidPattern.test(voidId)) throw new StoredValueInvalidError(voidedKey(originalId), 'not a void id');
    await upsertDocuments(this.ledger.database.collections.settings, [{ key: voidedKey(originalId), value: voidId }], 'key');
  }

  private async read(key: string): Promise<string | null> {
    const [stored] = await readCurrent(this.ledger.database.collections.settings, [key]);
    return stored ? stored.value : null;
  }
}
