// Wire messages between terminals and central. Each carries the protocol version and, for
// request/response, a correlation id inside the payload: the embedded aedes broker speaks MQTT
// 3.1.1 only, so MQTT 5's correlation data and response topic are set as well where the broker
// speaks 5 but are never the only copy.
import { z } from 'zod';
import { terminalIdPattern, wireProtocolVersion } from './topics.js';

export const maxWirePayloadBytes = 256 * 1024;

const correlationIdSchema = z.string().regex(/^[0-9a-f]{32}$/);

export const heartbeatRequestSchema = z
  .object({
    v: z.literal(wireProtocolVersion),
    kind: z.literal('heartbeat'),
    correlationId: correlationIdSchema,
    sentAtMs: z.number().int().nonnegative(),
  })
  .strict();
export type HeartbeatRequest = z.infer<typeof heartbeatRequestSchema>;

/**
 * Central's time, signed like every other answer (HMAC under the terminal's key, core/wire/
 * auth-tag.ts): the terminal measures its clock offset and its last contact from it, so a
 * broker or a client holding central's broker password must not be able to fake it. The
 * terminal accepts an answer only if the tag checks and it names this terminal.
 */
export const heartbeatResponseSchema = z
  .object({
    v: z.literal(wireProtocolVersion),
    kind: z.literal('heartbeat'),
    correlationId: correlationIdSchema,
    terminalId: z.string().regex(terminalIdPattern),
    centralTimeMs: z.number().int().nonnegative(),
    // Optional here so that a missing tag is refused as bad_tag, like a wrong one, by the check.
    tag: z.string().max(128).optional(),
  })
  .strict();
export type HeartbeatResponse = z.infer<typeof heartbeatResponseSchema>;

/** What every answer from central has in common; the waiting request checks the rest. */
export const responseEnvelopeSchema = z.object({ v: z.literal(wireProtocolVersion), kind: z.string().max(32), correlationId: correlationIdSchema });

export const presenceSchema = z.object({ v: z.literal(wireProtocolVersion), online: z.boolean() }).strict();
export type Presence = z.infer<typeof presenceSchema>;

export type WireDecodeError = { ok: false; reason: 'oversize' | 'malformed_json' | 'unsupported_version' | 'invalid_schema'; detail: string };

/** Parses a wire payload against a schema, naming why it was refused. Never throws. */
export function decodeWire<T>(schema: z.ZodType<T>, payload: Uint8Array): { ok: true; value: T } | WireDecodeError {
  if (payload.length > maxWirePayloadBytes) return { ok: false, reason: 'oversize', detail: `${payload.length} bytes` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    return { ok: false, reason: 'malformed_json', detail: 'payload is not UTF-8 JSON' };
  }
  if (typeof parsed === 'object' && parsed !== null && 'v' in parsed && parsed.v !== wireProtocolVersion) {
    return { ok: false, reason: 'unsupported_version', detail: `version ${String(parsed.v)}` };
  }
  const result = schema.safeParse(parsed);
  if (!result.success) return { ok: false, reason: 'invalid_schema', detail: result.error.issues[0]?.message ?? 'invalid' };
  return { ok: true, value: result.data };
}
