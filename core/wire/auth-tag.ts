// Per-terminal authentication of sync messages. Central holds a master sync key; each
// terminal's key is derived from it and the terminal id (HMAC-SHA256), so central can check any
// terminal's messages and a terminal holds only its own key. Every sync message carries a tag:
// HMAC-SHA256 under the terminal's key over the canonical JSON of the message without its tag.
// A broker, or a neighbour with valid broker credentials, cannot forge or alter one.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { canonicalJson } from '../canonical-json.js';
import { fromHex } from '../clock.js';

const encoder = new TextEncoder();

export function deriveTerminalSyncKey(masterKey: Uint8Array, terminalId: string): Uint8Array {
  return hmac(sha256, masterKey, encoder.encode(`devpay-sync-v1:${terminalId}`));
}

export function signMessage<T extends Record<string, unknown>>(key: Uint8Array, message: T): T & { tag: string } {
  const tag = bytesToHex(hmac(sha256, key, encoder.encode(canonicalJson(message))));
  return { ...message, tag };
}

/** Constant-time check of a message's tag; false for a missing, malformed or wrong tag. */
export function verifyMessage(key: Uint8Array, message: Record<string, unknown>): boolean {
  const { tag, ...rest } = message;
  if (typeof tag !== 'string' || !/^[0-9a-f]{64}$/.test(tag)) return false;
  const expected = hmac(sha256, key, encoder.encode(canonicalJson(rest)));
  const offered = fromHex(tag);
  let difference = 0;
  for (let index = 0; index < expected.length; index += 1) difference |= expected[index]! ^ offered[index]!;
  return difference === 0;
}
