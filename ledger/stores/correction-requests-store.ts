// The corrections a caller asked for, by the payment and the caller's client id, kept in the
// terminal's ledger settings under `correction/<payment id>/<client id>`: the id the refund or
// void got (made and saved before central is asked, so a crash and a retry use the same id and
// central counts it once), what was asked, and how far it went. The same client id for the same
// payment is the same correction; with other content it is refused. Read and written inside the
// caller's engine unit.
import { z } from 'zod';
import { currencyCodes } from '../../core/currency.js';
import type { Ledger } from '../ledger.js';
import { readCurrent, upsertDocuments } from '../storage-writes.js';
import { parseStoredJson } from './stored-value.js';

export const correctionRequestSchema = z
  .object({
    kind: z.enum(['refund', 'void']),
    originalId: z.string(),
    clientId: z.string(),
    transactionId: z.string(),
    amountMinor: z.string().regex(/^[1-9]\d{0,18}$/),
    currency: z.enum(currencyCodes),
    /** pending: saved, central not yet answered; posted: in the ledger; declined: refused (a retry asks again). */
    state: z.enum(['pending', 'posted', 'declined']),
    mode: z.enum(['online', 'offline']).nullable(),
    createdAtMs: z.number().int().nonnegative(),
    /** The operator who asked for it, recorded on the refund or void it posts. */
    operatorId: z.string().optional(),
  })
  .strict();
export type CorrectionRequest = z.infer<typeof correctionRequestSchema>;

const prefix = 'correction/';
const keyOf = (originalId: string, clientId: string): string => `${prefix}${originalId}/${clientId}`;

export class CorrectionRequestsStore {
  constructor(private readonly ledger: Ledger) {}

  /** The request saved under this payment and client id, inside the caller's unit. */
  async read(originalId: string, clientId: string): Promise<CorrectionRequest | null> {
    const key = keyOf(originalId, clientId);
    const [stored] = await readCurrent(this.ledger.database.collections.settings, [key]);
    return stored ? parseStoredJson(key, stored.value, correctionRequestSchema) : null;
  }

  /** Saves (or replaces) a request inside the caller's unit. */
  async write(request: CorrectionRequest): Promise<void> {
    const checked = correctionRequestSchema.parse(request);
    await upsertDocuments(this.ledger.database.collections.settings, [{ key: keyOf(checked.originalId, checked.clientId), value: JSON.stringify(checked) }], 'key');
  }

  /** Requests still waiting for central's answer (a crash came between asking and posting). */
  async pending(): Promise<CorrectionRequest[]> {
    const stored = await this.ledger.database.collections.settings.find({ selector: { key: { $regex: `^${prefix}` } } }).exec();
    return stored.map(({ key, value }) => parseStoredJson(key, value, correctionRequestSchema)).filter((request) => request.state === 'pending');
  }
}
