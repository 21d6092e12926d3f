// Document bodies at rest: XChaCha20-Poly1305 with a fresh 24-byte nonce per write and the
// collection and document id as associated data, so a body cannot be read without the data key,
// altered without detection, or moved onto another row.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import type { Random } from '../../core/clock.js';

export const dataKeyBytes = 32;
const nonceBytes = 24;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class SealedBodyError extends Error {
  constructor(
    readonly location: string,
    options?: { cause?: unknown },
  ) {
    super(`sealed body of ${location} failed authentication: wrong data key or altered bytes`, options);
    this.name = 'SealedBodyError';
  }
}

export class SealedCodec {
  constructor(
    private readonly key: Uint8Array,
    private readonly random: Random,
  ) {
    if (key.length !== dataKeyBytes) throw new RangeError(`the data key must be ${dataKeyBytes} bytes`);
  }

  seal(location: string, plaintext: string): Uint8Array {
    const nonce = this.random.bytes(nonceBytes);
    const sealed = xchacha20poly1305(this.key, nonce, encoder.encode(location)).encrypt(encoder.encode(plaintext));
    const out = new Uint8Array(nonceBytes + sealed.length);
    out.set(nonce);
    out.set(sealed, nonceBytes);
    return out;
  }

  open(location: string, body: Uint8Array): string {
    if (body.length < nonceBytes + 16) throw new SealedBodyError(location);
    try {
      const plaintext = xchacha20poly1305(this.key, body.subarray(0, nonceBytes), encoder.encode(location)).decrypt(body.subarray(nonceBytes));
      return decoder.decode(plaintext);
    } catch (error) {
      throw new SealedBodyError(location, { cause: error });
    }
  }
}
