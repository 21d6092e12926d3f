// Wire messages of card payments between a terminal and central: online authorization of a tap
// and the replenishment of reserve tokens. Like sync's messages they name the terminal and carry
// its authentication tag; reserve batches also carry central's Ed25519 signature, which is what a
// terminal trusts for offline approval.
import { z } from 'zod';
import { cardDetailsSchema } from '../ledger/transaction.js';
import { currencyCodes } from '../currency.js';
import { ulidPattern } from '../ids.js';
import { declineReasonCodes } from '../card/decline-reasons.js';
import { reserveBatchSchema } from '../card/reserve-token.js';
import { terminalIdPattern, wireProtocolVersion } from './topics.js';
import { correlationIdSchema, tagSchema } from './sync-messages.js';

const cardIdSchema = z.string().regex(/^[0-9a-f]{16}$/);

export const authorizeRequestSchema = z
  .object({
    v: z.literal(wireProtocolVersion),
    kind: z.literal('authorize'),
    correlationId: correlationIdSchema,
    terminalId: z.string().regex(terminalIdPattern),
    paymentId: z.string().regex(ulidPattern),
    amountMinor: z.string().regex(/^[1-9]\d{0,18}$/),
    currency: z.enum(currencyCodes),
    card: cardDetailsSchema,
    tag: tagSchema,
  })
  .strict();
export type AuthorizeRequest = z.infer<typeof authorizeRequestSchema>;

export const authorizeResultSchema = z
  .object({
    v: z.literal(wireProtocolVersion),
    kind: z.literal('authorize_result'),
    correlationId: correlationIdSchema,
    terminalId: z.string().regex(terminalIdPattern),
    paymentId: z.string().regex(ulidPattern),
    outcome: z.enum(['approved', 'declined']),
    reason: z.enum(declineReasonCodes).nullable(),
    tag: tagSchema,
  })
  .strict();
export type AuthorizeResult = z.infer<typeof authorizeResultSchema>;

export const reserveRequestSchema = z
  .object({
    v: z.literal(wireProtocolVersion),
    kind: z.literal('reserve'),
    correlationId: correlationIdSchema,
    terminalId: z.string().regex(terminalIdPattern),
    /** Cards are issued in card id order; the page starts after this one. */
    afterCardId: cardIdSchema.nullable(),
    /** Only these cards (a terminal topping up cards running low), or every active card when absent. */
    onlyCardIds: z.array(cardIdSchema).min(1).max(32).optional(),
    tag: tagSchema,
  })
  .strict();

export const reserveResultSchema = z
  .object({
    v: z.literal(wireProtocolVersion),
    kind: z.literal('reserve_result'),
    correlationId: correlationIdSchema,
    terminalId: z.string().regex(terminalIdPattern),
    batch: reserveBatchSchema.nullable(),
    /** For each card of the page, the highest ATC central has seen used: tokens up to it are void. */
    usedThrough: z.array(z.object({ cardId: cardIdSchema, atc: z.number().int().min(0).max(0xffff_ffff) }).strict()).max(256),
    /** The last card of this page, or null when this was the last page. */
    nextAfterCardId: cardIdSchema.nullable(),
    tag: tagSchema,
  })
  .strict();
export type ReserveResult = z.infer<typeof reserveResultSchema>;

/** The revocation list central publishes to every terminal (a setting named "revocations"). */
export const revocationListSchema = z
  .object({ cards: z.array(z.object({ cardId: cardIdSchema, reason: z.string().max(100), atMs: z.number().int().nonnegative() }).strict()).max(100_000) })
  .strict();
export type RevocationList = z.infer<typeof revocationListSchema>;
