// The cardholder's PIN on its way from the PIN pad to the card, never in clear in between. The
// PIN pad (the renderer's PIN screen) puts the PIN into an ISO 9564 format 2 block (as EMV's
// offline PIN uses), and seals it to the card's PIN key: an X25519 key the card derives from its
// own key, announced in the card's answer, with a fresh challenge from the card so a sealed PIN
// cannot be replayed. Sealing is ephemeral X25519, HKDF-SHA256 and XChaCha20-Poly1305; only the
// card can open it. The runtime carries the envelope in a VERIFY command and never sees the PIN.
import { x25519 } from '@noble/curves/ed25519.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';

export const pinKeyBytes = 32;
export const pinChallengeBytes = 8;
export const pinBlockBytes = 8;
const nonceBytes = 24;
const tagBytes = 16;
/** Ephemeral public key, nonce, sealed block: 32 + 24 + 8 + 16 bytes. */
export const pinEnvelopeBytes = pinKeyBytes + nonceBytes + pinBlockBytes + tagBytes;
export const minPinDigits = 4;
export const maxPinDigits = 12;

const encoder = new TextEncoder();

export class PinFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PinFormatError';
  }
}

/** ISO 9564 format 2: 0x2N, the N digits as nibbles, padded with F. */
export function pinBlockFormat2(pin: string): Uint8Array {
  if (!/^\d+$/.test(pin) || pin.length < minPinDigits || pin.length > maxPinDigits) {
    throw new PinFormatError(`a PIN is ${minPinDigits} to ${maxPinDigits} digits`);
  }
  const nibbles = `2${pin.length.toString(16)}${pin}`.padEnd(pinBlockBytes * 2, 'F');
  const block = new Uint8Array(pinBlockBytes);
  for (let index = 0; index < pinBlockBytes; index += 1) block[index] = Number.parseInt(nibbles.slice(index * 2, index * 2 + 2), 16);
  return block;
}

/** The digits of a format 2 block, or null if the block is not one. */
export function pinFromBlock(block: Uint8Array): string | null {
  if (block.length !== pinBlockBytes) return null;
  const nibbles = Array.from(block, (byte) => byte.toString(16).padStart(2, '0')).join('').toUpperCase();
  if (nibbles[0] !== '2') return null;
  const length = Number.parseInt(nibbles[1]!, 16);
  if (length < minPinDigits || length > maxPinDigits) return null;
  const digits = nibbles.slice(2, 2 + length);
  const padding = nibbles.slice(2 + length);
  return /^\d+$/.test(digits) && /^F*$/.test(padding) ? digits : null;
}

/** The card's PIN key pair, derived from the card's own key (so nothing more is stored on it). */
export function cardPinKeyPair(cardKey: Uint8Array): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const secretKey = hkdf(sha256, cardKey, undefined, encoder.encode('devpay-pin-key-v1'), pinKeyBytes);
  return { secretKey, publicKey: x25519.getPublicKey(secretKey) };
}

function envelopeKey(shared: Uint8Array, ephemeralPublicKey: Uint8Array, cardPublicKey: Uint8Array, challenge: Uint8Array): Uint8Array {
  const info = new Uint8Array([...encoder.encode('devpay-pin-envelope-v1'), ...ephemeralPublicKey, ...cardPublicKey]);
  return hkdf(sha256, shared, challenge, info, 32);
}

/**
 * Seals a PIN to the card's PIN key under its challenge. `randomBytes` is the PIN pad's CSPRNG
 * (crypto.getRandomValues in the renderer); the result is the VERIFY command's data.
 */
export function sealPin(pin: string, cardPublicKey: Uint8Array, challenge: Uint8Array, randomBytes: (length: number) => Uint8Array): Uint8Array {
  if (cardPublicKey.length !== pinKeyBytes) throw new PinFormatError(`the card's PIN key is ${pinKeyBytes} bytes`);
  if (challenge.length !== pinChallengeBytes) throw new PinFormatError(`the card's challenge is ${pinChallengeBytes} bytes`);
  const block = pinBlockFormat2(pin);
  const ephemeralSecret = randomBytes(pinKeyBytes);
  const ephemeralPublicKey = x25519.getPublicKey(ephemeralSecret);
  const key = envelopeKey(x25519.getSharedSecret(ephemeralSecret, cardPublicKey), ephemeralPublicKey, cardPublicKey, challenge);
  const nonce = randomBytes(nonceBytes);
  const sealed = xchacha20poly1305(key, nonce, challenge).encrypt(block);
  block.fill(0);
  const envelope = new Uint8Array(pinEnvelopeBytes);
  envelope.set(ephemeralPublicKey, 0);
  envelope.set(nonce, pinKeyBytes);
  envelope.set(sealed, pinKeyBytes + nonceBytes);
  return envelope;
}

/**
 * The card's side: opens an envelope sealed to its key under the challenge it issued. Null for
 * anything that is not one (wrong length, another challenge or key, altered bytes, not format 2).
 */
export function openPin(envelope: Uint8Array, cardSecretKey: Uint8Array, challenge: Uint8Array): string | null {
  if (envelope.length !== pinEnvelopeBytes || challenge.length !== pinChallengeBytes) return null;
  const ephemeralPublicKey = envelope.subarray(0, pinKeyBytes);
  const nonce = envelope.subarray(pinKeyBytes, pinKeyBytes + nonceBytes);
  const sealed = envelope.subarray(pinKeyBytes + nonceBytes);
  try {
    const cardPublicKey = x25519.getPublicKey(cardSecretKey);
    const key = envelopeKey(x25519.getSharedSecret(cardSecretKey, ephemeralPublicKey), ephemeralPublicKey, cardPublicKey, challenge);
    const block = xchacha20poly1305(key, nonce, challenge).decrypt(sealed);
    const pin = pinFromBlock(block);
    block.fill(0);
    return pin;
  } catch {
    return null;
  }
}
