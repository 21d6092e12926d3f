import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { seededRandom } from '../../core/clock.js';
import { SealedBodyError, SealedCodec } from './sealed-codec.js';

const key = Uint8Array.from({ length: 32 }, (_, index) => index * 7 + 1);

test('sealed bodies are exactly XChaCha20-Poly1305, readable by @noble/ciphers and back', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 500 }), fc.string({ minLength: 1, maxLength: 40 }), fc.integer(), (plaintext, location, seed) => {
      const codec = new SealedCodec(key, seededRandom(seed));
      const sealed = codec.seal(location, plaintext);
      const nonce = sealed.subarray(0, 24);
      const aad = new TextEncoder().encode(location);
      assert.equal(new TextDecoder().decode(xchacha20poly1305(key, nonce, aad).decrypt(sealed.subarray(24))), plaintext);
      const nobleSealed = new Uint8Array([...nonce, ...xchacha20poly1305(key, nonce, aad).encrypt(new TextEncoder().encode(plaintext))]);
      assert.equal(codec.open(location, nobleSealed), plaintext);
      return true;
    }),
    { numRuns: 300 },
  );
});

test('any flipped bit, another row, or another key fails authentication by name', () => {
  const codec = new SealedCodec(key, seededRandom(5));
  const sealed = codec.seal('transactions\u0000A', '{"amountMinor":"1250"}');
  for (let bit = 0; bit < sealed.length * 8; bit += 7) {
    const altered = Uint8Array.from(sealed);
    altered[bit >> 3] = altered[bit >> 3]! ^ (1 << (bit & 7));
    assert.throws(() => codec.open('transactions\u0000A', altered), SealedBodyError);
  }
  assert.throws(() => codec.open('transactions\u0000B', sealed), SealedBodyError);
  assert.throws(() => new SealedCodec(new Uint8Array(32), seededRandom(1)).open('transactions\u0000A', sealed), SealedBodyError);
  assert.throws(() => codec.open('transactions\u0000A', sealed.subarray(0, 30)), SealedBodyError);
});
