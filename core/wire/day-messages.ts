// Wire messages of the day close's reconciliation: a terminal asks central what its books hold
// for transactions of the terminal's period (by id, a page at a time) and compares. Like every
// terminal request they name the terminal and carry its authentication tag; central answers
// only for transactions whose accounts are all this terminal's, and says `unknown` for any other
// id, so asking about another terminal's payment learns nothing (not even that it exists).
import { z } from 'zod';
import { currencyCodes } from '../currency.js';
import { ulidPattern } from '../ids.js';
import { transactionKinds } from '../ledger/transaction.js';
import { terminalIdPattern, wireProtocolVersion } from './topics.js';
import { correlationIdSchema, tagSchema } from './sync-messages.js';

/** The most ids one request may carry; an answer for as many stays under the wire's size cap. */
export const maxDayTotalsIds = 2000;

export const dayTotalsRequestSchema = z
  .object({
    v: z.literal(wireProtocolVersion),
    kind: z.literal('day_totals'),
    correlationId: correlationIdSchema,
    terminalId: z.string().regex(terminalIdPattern),
    ids: z.array(z.string().regex(ulidPattern)).min(1).max(maxDayTotalsIds),
    tag: tagSchema,
  })
  .strict();
export type DayTotalsRequest = z.infer<typeof dayTotalsRequestSchema>;

export const dayTotalsEntrySchema = z
  .object({
    id: z.string().regex(ulidPattern),
    /** settled or rejected in central's books; unknown when central holds nothing for this terminal under the id. */
    state: z.enum(['settled', 'rejected', 'unknown']),
    /** Null when unknown. */
    kind: z.enum(transactionKinds).nullable(),
    currency: z.enum(currencyCodes).nullable(),
    /** What the transaction moves in central's books (the sum of its credits), as minor units; null when unknown. */
    amountMinor: z.string().regex(/^\d{1,20}$/).nullable(),
  })
  .strict();
export type DayTotalsEntry = z.infer<typeof dayTotalsEntrySchema>;

export const dayTotalsResultSchema = z
  .object({
    v: z.literal(wireProtocolVersion),
    kind: z.literal('day_totals_result'),
    correlationId: correlationIdSchema,
    terminalId: z.string().regex(terminalIdPattern),
    entries: z.array(dayTotalsEntrySchema).max(maxDayTotalsIds),
    tag: tagSchema,
  })
  .strict();
export type DayTotalsResult = z.infer<typeof dayTotalsResultSchema>;
