// The sync exchange between a terminal and central: the terminal pushes transactions from its
// durable outbox; central answers each with a verdict. Both messages name the terminal and carry
// its authentication tag; central answers on the terminal's own response topic.
import { z } from 'zod';
import { postingSchema, fxDetailsSchema, cardDetailsSchema, transactionKinds, transactionStates } from '../ledger/transaction.js';
import { ulidPattern } from '../ids.js';
import { terminalIdPattern, wireProtocolVersion } from './topics.js';

export const maxPushBatch = 200;

export const correlationIdSchema = z.string().regex(/^[0-9a-f]{32}$/);
export const tagSchema = z.string().regex(/^[0-9a-f]{64}$/);

export const wireTransactionSchema = z
  .object({
    id: z.string().regex(ulidPattern),
    kind: z.enum(transactionKinds),
    state: z.enum(transactionStates),
    postings: z.array(postingSchema).min(2).max(16),
    referencesId: z.string().regex(ulidPattern).optional(),
    fx: fxDetailsSchema.optional(),
    memo: z.string().max(200).optional(),
    card: cardDetailsSchema.optional(),
    /** The terminal's operator who made it: the terminal's word, kept for the audit trail (central cannot prove it). */
    operatorId: z.string().regex(ulidPattern).optional(),
    createdAtMs: z.number().int().nonnegative(),
  })
  .strict();
export type WireTransaction = z.infer<typeof wireTransactionSchema>;

export const pushRequestSchema = z
  .object({
    v: z.literal(wireProtocolVersion),
    kind: z.literal('push'),
    correlationId: correlationIdSchema,
    terminalId: z.string().regex(terminalIdPattern),
    sentAtMs: z.number().int().nonnegative(),
    transactions: z.array(wireTransactionSchema).min(1).max(maxPushBatch),
    tag: tagSchema,
  })
  .strict();
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const verdictOutcomes = ['settled', 'rejected'] as const;

/**
 * Why central answered a pushed transaction as it did: a closed list, so a terminal (and its
 * merchant's alert) never meets a reason it cannot name. `settled` is the one reason of a
 * settlement; every other is a rejection, per transaction, the rest of the batch answered.
 */
export const verdictReasons = [
  'settled',
  // Not money central can prove: outside the closed set of kinds, or not the kind's shape.
  'kind_not_accepted',
  'shape_invalid',
  'foreign_account',
  'amount_out_of_range',
  'conflicting_content',
  'rejected_earlier',
  'insufficient_funds',
  // Card payments: the card's proof.
  'card_details_missing',
  'not_a_card_payment',
  'card_unknown',
  'card_blocked',
  'wrong_currency',
  'cryptogram_invalid',
  'not_authorized_online',
  'double_spend',
  'double_spend_online',
  // An offline card payment above the offline CVM limit without the PIN the card verified.
  'cvm_missing',
  // Wallet top-ups: the agent's float.
  'float_exceeded',
  // Refunds: a settled original at central.
  'original_not_found',
  'original_not_settled',
  'refund_exceeds_original',
  // Refunds and voids (issue 12): the original voided (or rejected) already, the void too late or
  // after a refund, a refund in another currency than its payment.
  'original_reversed',
  'void_window_passed',
  'void_after_refund',
  'refund_currency_mismatch',
] as const;
export type VerdictReason = (typeof verdictReasons)[number];

export const pushResultSchema = z
  .object({
    v: z.literal(wireProtocolVersion),
    kind: z.literal('push_result'),
    correlationId: correlationIdSchema,
    terminalId: z.string().regex(terminalIdPattern),
    results: z
      .array(
        z
          .object({
            id: z.string().regex(ulidPattern),
            outcome: z.enum(verdictOutcomes),
            reason: z.enum(verdictReasons),
          })
          .strict(),
      )
      .max(maxPushBatch),
    tag: tagSchema,
  })
  .strict();
export type PushResult = z.infer<typeof pushResultSchema>;

/** Where a pull stopped: central's documents are ordered by (updatedAtMs, key). */
export const pullCheckpointSchema = z.object({ updatedAtMs: z.number().int().nonnegative(), key: z.string().max(100) }).strict();
export type PullCheckpoint = z.infer<typeof pullCheckpointSchema>;

export const pullRequestSchema = z
  .object({
    v: z.literal(wireProtocolVersion),
    kind: z.literal('pull'),
    correlationId: correlationIdSchema,
    terminalId: z.string().regex(terminalIdPattern),
    checkpoint: pullCheckpointSchema.nullable(),
    batchSize: z.number().int().min(1).max(maxPushBatch),
    tag: tagSchema,
  })
  .strict();

export const pulledDocumentSchema = z
  .object({ key: z.string().max(100), value: z.string().max(64 * 1024), updatedAtMs: z.number().int().nonnegative(), deleted: z.boolean() })
  .strict();
export type PulledDocument = z.infer<typeof pulledDocumentSchema>;

export const pullResultSchema = z
  .object({
    v: z.literal(wireProtocolVersion),
    kind: z.literal('pull_result'),
    correlationId: correlationIdSchema,
    terminalId: z.string().regex(terminalIdPattern),
    documents: z.array(pulledDocumentSchema).max(maxPushBatch),
    checkpoint: pullCheckpointSchema.nullable(),
    tag: tagSchema,
  })
  .strict();

/** A hint from central that something changed; it carries no data, so forging one only causes a pull. */
export const notifySchema = z.object({ v: z.literal(wireProtocolVersion), kind: z.literal('notify'), terminalId: z.string().regex(terminalIdPattern) }).strict();
