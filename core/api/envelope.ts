// The wire envelope shared by both transports. Every message is one JSON text of at most
// maxMessageBytes; the runtime answers each call exactly once, with a result or a named error.
import { z } from 'zod';

export const apiProtocolVersion = 1;
export const maxMessageBytes = 64 * 1024;

/** Error codes the runtime can answer with; each names what was wrong, never a generic failure. */
export const apiErrorCodes = [
  'message_too_large',
  'malformed_json',
  'invalid_envelope',
  'unsupported_version',
  'unknown_method',
  'invalid_params',
  'handler_failed',
  'runtime_unavailable',
  'timeout',
  'payment_in_progress',
  /** No operator is signed in (or the session locked or ended): sign in first. */
  'not_signed_in',
  /** The signed-in operator's role does not hold the permission the call needs (named in the message). */
  'permission_denied',
  /** A sensitive action: the operator must authenticate again (or a supervisor override) first. */
  'reauth_required',
] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];

export const callIdSchema = z.string().min(1).max(64);

export const callEnvelopeSchema = z
  .object({
    v: z.literal(apiProtocolVersion),
    type: z.literal('call'),
    id: callIdSchema,
    method: z.string().min(1).max(100),
    params: z.unknown(),
  })
  .strict();
export type CallEnvelope = z.infer<typeof callEnvelopeSchema>;

export const apiErrorSchema = z.object({
  code: z.enum(apiErrorCodes),
  message: z.string(),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

export const resultEnvelopeSchema = z.discriminatedUnion('ok', [
  z.object({ v: z.literal(apiProtocolVersion), type: z.literal('result'), id: callIdSchema.nullable(), ok: z.literal(true), result: z.unknown() }),
  z.object({ v: z.literal(apiProtocolVersion), type: z.literal('result'), id: callIdSchema.nullable(), ok: z.literal(false), error: apiErrorSchema }),
]);
export type ResultEnvelope = z.infer<typeof resultEnvelopeSchema>;

export const eventEnvelopeSchema = z.object({
  v: z.literal(apiProtocolVersion),
  type: z.literal('event'),
  name: z.string(),
  payload: z.unknown(),
});
export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

export const serverEnvelopeSchema = z.union([resultEnvelopeSchema, eventEnvelopeSchema]);

/** An error answered by the runtime, carried to the caller with its code. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
