// The one-time setup code that creates a fresh terminal's first admin, so no terminal ships with
// a default password. `devpay provision --setup-code` prints it at central; the terminal checks it
// against its own sync key (both derive it), so the check needs no link, and it is accepted once:
// after the admin exists the terminal answers setup_code_invalid to every code.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const encoder = new TextEncoder();
/** 12 Crockford base32 characters: 60 bits, shown as three groups of four. */
const codeCharacters = 12;

export function setupCodeFor(syncKey: Uint8Array, terminalId: string): string {
  const mac = hmac(sha256, syncKey, encoder.encode(`devpay-setup-code-v1\u0000${terminalId}`));
  let bits = 0n;
  for (const byte of mac.subarray(0, 8)) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let index = 0; index < codeCharacters; index += 1) {
    code += alphabet[Number((bits >> BigInt(59 - index * 5)) & 31n)];
  }
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** A typed code read leniently: case, spaces and dashes ignored, O read as 0, I and L as 1. */
export function normaliseSetupCode(typed: string): string {
  const plain = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return plain.length === codeCharacters ? `${plain.slice(0, 4)}-${plain.slice(4, 8)}-${plain.slice(8)}` : plain;
}
