// The sync exchange between a terminal and central: the terminal pushes transactions from its
// durable outbox; central answers each with a verdict. Both messages name the terminal and carry
// its authentication tag; central answers on the terminal's own response topic.
import { z } from 'zod';
import { postingSchema, fxDetailsSchema, transactionKinds, transactionStates } from '../ledger/transaction.js';
import { ulidPattern } from '../ids.js';
import { terminalIdPattern, wireProtocolVersion } from './topics.js';

export const maxPushBatch = 200;

const correlationIdSchema = z.string().regex(/^[0-9a-f]{32}$/);
const tagSchema = z.string().regex(/^[0-9a-f]{64}$/);

export const wireTransactionSchema = z
  .object({
    id: z.string().regex(ulidPattern),
    kind: z.enum(transactionKinds),
    state: z.enum(transactionStates),
    postings: z.array(postingSchema).min(2).max(16),
    referencesId: z.string().regex(ulidPattern).optional(),
    fx: fxDetailsSchema.optional(),
    memo: z.string().max(200).optional(),
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
            reason: z.string().max(200),
          })
          .strict(),
      )
      .max(maxPushBatch),
    tag: tagSchema,
  })
  .strict();
export type PushResult = z.infer<typeof pushResultSchema>;
