// The checks every signed terminal request gets at central before it is acted on: it parses
// against its schema, names the terminal whose topic it came on, and carries that terminal's
// tag. Returns the request and the terminal's key, or the named reason it was refused.
import type { z } from 'zod';
import { deriveTerminalSyncKey, verifyMessage } from '../core/wire/auth-tag.js';
import { decodeWire } from '../core/wire/messages.js';

export type Authenticated<T> = { ok: true; request: T; key: Uint8Array } | { ok: false; reason: string; detail: string };

export function authenticateRequest<T extends { terminalId: string }>(schema: z.ZodType<T>, terminalId: string, payload: Uint8Array, masterKey: Uint8Array): Authenticated<T> {
  const decoded = decodeWire(schema, payload);
  if (!decoded.ok) return { ok: false, reason: decoded.reason, detail: decoded.detail };
  const request = decoded.value;
  if (request.terminalId !== terminalId) return { ok: false, reason: 'terminal_mismatch', detail: `payload names ${request.terminalId}` };
  const key = deriveTerminalSyncKey(masterKey, terminalId);
  if (!verifyMessage(key, request as unknown as Record<string, unknown>)) return { ok: false, reason: 'bad_tag', detail: 'forged or altered request' };
  return { ok: true, request, key };
}
