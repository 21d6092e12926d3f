// Wire messages of corrections between a terminal and central: the online authorization of a
// refund. Like card authorization they name the terminal and carry its authentication tag (the
// terminal's sync key); central answers on the terminal's own response topic. The refund id is
// the idempotency key: the same id asked again with the same original and amount is answered
// approved again, with other content `refund_client_id_conflict`. A request's kind is its topic's
// (requests/refund), as the link sends every request; the answer's is `refund_result`.
import { z } from 'zod';
import { currencyCodes } from '../currency.js';
import { ulidPattern } from '../ids.js';
import { correctionDeclineReasonCodes } from '../ledger/corrections.js';
import { terminalIdPattern, wireProtocolVersion } from './topics.js';
import { correlationIdSchema, tagSchema } from './sync-messages.js';

export const refundAuthorizeRequestSchema = z
  .object({
    v: z.literal(wireProtocolVersion),
    kind: z.literal('refund'),
    correlationId: correlationIdSchema,
    terminalId: z.string().regex(terminalIdPattern),
    /** The refund transaction's id, made and saved by the terminal before it asks. */
    refundId: z.string().regex(ulidPattern),
    /** The payment it refunds. */
    originalId: z.string().regex(ulidPattern),
    amountMinor: z.string().regex(/^[1-9]\d{0,18}$/),
    currency: z.enum(currencyCodes),
    tag: tagSchema,
  })
  .strict();
export type RefundAuthorizeRequest = z.infer<typeof refundAuthorizeRequestSchema>;

export const refundAuthorizeResultSchema = z
  .object({
    v: z.literal(wireProtocolVersion),
    kind: z.literal('refund_result'),
    correlationId: correlationIdSchema,
    terminalId: z.string().regex(terminalIdPattern),
    refundId: z.string().regex(ulidPattern),
    outcome: z.enum(['approved', 'declined']),
    reason: z.enum(correctionDeclineReasonCodes).nullable(),
    /** What is still refundable on the payment after this answer, minor units. */
    remainingMinor: z.string().regex(/^(0|[1-9]\d{0,18})$/),
    tag: tagSchema,
  })
  .strict();
export type RefundAuthorizeResult = z.infer<typeof refundAuthorizeResultSchema>;
