// The corrections part of the API contract: refunds and voids of a payment, and the detail of a
// payment the journal screen shows before correcting it (every related transaction, what is left
// to refund, whether a void is still possible). A correction carries a client id chosen by the
// caller (a screen makes one per refund or void it offers): the same client id for the same
// payment is the same correction, so a retry, a double press or a crash never refunds twice.
import { z } from 'zod';
import { currencyCodes } from '../currency.js';
import { ulidPattern } from '../ids.js';
import { correctionDeclineReasonCodes } from '../ledger/corrections.js';
import { journalEntrySchema } from './journal.js';

const minorString = z.string().regex(/^[1-9]\d{0,17}$/);
/** A caller's idempotency key: a ULID or any 8–64 letters, digits, '-' or '_'. */
export const clientIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
const paymentIdSchema = z.string().regex(ulidPattern);

export const correctionResultSchema = z.object({
  kind: z.enum(['refund', 'void']),
  outcome: z.enum(['approved', 'declined']),
  originalId: z.string(),
  /** The refund's or void's transaction id when approved (also for a repeated request). */
  transactionId: z.string().nullable(),
  /** online: central approved it; offline: within the offline refund limits, central decides at sync. */
  mode: z.enum(['online', 'offline']).nullable(),
  reason: z.enum(correctionDeclineReasonCodes).nullable(),
  /** The merchant-facing text of the reason (English; screens use their catalogues). */
  message: z.string().nullable(),
  amountMinor: z.string(),
  currency: z.enum(currencyCodes),
  /** What is left to refund on the original after this answer. */
  remainingMinor: z.string(),
  /** True when this answers a request already decided under the same client id. */
  repeated: z.boolean(),
});
export type CorrectionResult = z.infer<typeof correctionResultSchema>;

/** The sync state of one transaction as a merchant reads it. */
export const syncStates = ['pending', 'settled', 'reversed', 'rejected', 'local'] as const;

export const paymentDetailSchema = z.object({
  payment: journalEntrySchema,
  /** The payment and everything that refers to it, oldest first: settlement, refunds, void, reversals. */
  related: z.array(journalEntrySchema.extend({ syncState: z.enum(syncStates) })),
  syncState: z.enum(syncStates),
  refundedMinor: z.string(),
  remainingMinor: z.string(),
  /** Whether a void is possible now, and if not why (a refund may still be). */
  voidable: z.boolean(),
  voidRefusal: z.enum(correctionDeclineReasonCodes).nullable(),
  refundable: z.boolean(),
  refundRefusal: z.enum(correctionDeclineReasonCodes).nullable(),
});
export type PaymentDetail = z.infer<typeof paymentDetailSchema>;

export const correctionCommandSchemas = {
  /** A full or partial refund of a payment; online when central answers, else within offline limits. */
  'refund.start': {
    params: z.object({ originalId: paymentIdSchema, amountMinor: minorString, currency: z.enum(currencyCodes), clientId: clientIdSchema }).strict(),
    result: correctionResultSchema,
  },
  /** Voids a card payment not yet settled, or settled the same day; beyond that, refund it. */
  'void.start': {
    params: z.object({ originalId: paymentIdSchema, clientId: clientIdSchema }).strict(),
    result: correctionResultSchema,
  },
  /** A payment with its related transactions and what may still be done with it. */
  'journal.detail': {
    params: z.object({ paymentId: paymentIdSchema }).strict(),
    result: paymentDetailSchema,
  },
} as const;
