// The PIN hash with its real parameters: the right PIN verifies and a wrong one does not, each
// operator's salt makes the same PIN hash differently, the parameters travel with the hash (an
// older, cheaper hash still verifies), new hashes carry the tuned parameters, and the event loop
// keeps turning while a hash runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../core/clock.js';
import { constantTimeEqual, defaultPinHashParameters, hashPin, verifyPin } from './pin-hash.js';

test('a PIN verifies against its own salted hash and no other PIN does', async () => {
  const random = seededRandom(7);
  const first = await hashPin('482915', random);
  const second = await hashPin('482915', random);
  assert.deepEqual([first.algorithm, first.N, first.r, first.p], ['scrypt', defaultPinHashParameters.N, 8, 1]);
  assert.equal(first.salt.length, 32, '16 bytes of salt');
  assert.notEqual(first.hash, second.hash, 'the same PIN hashes differently under another salt');
  assert.equal(await verifyPin('482915', first), true);
  assert.equal(await verifyPin('482916', first), false);
  assert.equal(await verifyPin('48291', first), false);
  const cheaper = await hashPin('1234', random, { N: 1024, r: 8, p: 1 });
  assert.equal(await verifyPin('1234', cheaper), true, 'a hash is checked with the parameters stored beside it');
  assert.equal(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3])), false);
});

test('a new hash carries the tuned parameters, and hashing yields to the event loop while it runs', async () => {
  // The cost itself is measured by `npm run bench -- operators` (pin_hash_ms), not here.
  const stored = await hashPin('1234', seededRandom(3));
  assert.deepEqual({ N: stored.N, r: stored.r, p: stored.p }, defaultPinHashParameters);
  let ranDuringHash = false;
  const hashing = hashPin('5678', seededRandom(4)).then(() => ranDuringHash);
  setImmediate(() => (ranDuringHash = true));
  assert.equal(await hashing, true, 'a task queued after the hash began ran before it ended');
});
