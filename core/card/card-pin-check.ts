// What a DevPay card keeps of its PIN, and the simulator's PINs. A card holds a check value (an
// HMAC of the PIN under its own key), never the PIN, and compares a presented PIN's check value
// in constant time. The simulator's cards get their PIN from their key, so the simulator, its
// tests and its panel agree without the PIN being stored anywhere.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

const encoder = new TextEncoder();

export function pinCheckValue(cardKey: Uint8Array, pin: string): Uint8Array {
  return hmac(sha256, cardKey, encoder.encode(`devpay-pin-check-v1:${pin}`));
}

/**
 * The PIN of a simulated card: four digits, digit i is byte i mod 10 of HMAC(card key,
 * "devpay-sim-pin-v1"). A real card's PIN is chosen at personalisation; this derivation exists
 * only for the simulator's cards.
 */
export function simCardPin(cardKey: Uint8Array): string {
  const mac = hmac(sha256, cardKey, encoder.encode('devpay-sim-pin-v1'));
  return Array.from(mac.subarray(0, 4), (byte) => String(byte % 10)).join('');
}
