// Table tests and a seeded fuzz of the PIN codecs: GET CHALLENGE and VERIFY command bytes, each
// status word VERIFY may answer and its named result, and, for 10,000 random answers each, that
// the parsers give a named result or a CardProtocolError and nothing else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fromHex, toHex } from '../core/clock.js';
import { pinEnvelopeBytes } from '../core/card/pin-encipherment.js';
import { CardProtocolError, type CardProtocolErrorCode } from './devpay-card-apdu.js';
import { getChallengeCommand, parseChallengeResponse, parseVerifyResponse, verifyCommand } from './devpay-card-verify.js';

function rejects(parse: () => unknown, code: CardProtocolErrorCode, what: string): void {
  assert.throws(parse, (error: unknown) => error instanceof CardProtocolError && error.code === code, what);
}

test('GET CHALLENGE and VERIFY command bytes', () => {
  assert.equal(toHex(getChallengeCommand()), '0084000008');
  const envelope = new Uint8Array(pinEnvelopeBytes).fill(0xab);
  assert.equal(toHex(verifyCommand(envelope)), '0020008850' + 'ab'.repeat(80));
  assert.throws(() => verifyCommand(new Uint8Array(79)), RangeError);
  assert.throws(() => verifyCommand(new Uint8Array(81)), RangeError);
});

test('a challenge is exactly 8 bytes and 9000', () => {
  assert.equal(toHex(parseChallengeResponse(fromHex('01020304050607089000'))), '0102030405060708');
  rejects(() => parseChallengeResponse(fromHex('010203040506079000')), 'malformed_response', '7 bytes');
  rejects(() => parseChallengeResponse(fromHex('0102030405060708099000')), 'malformed_response', '9 bytes');
  rejects(() => parseChallengeResponse(fromHex('9000')), 'malformed_response', 'no challenge');
  rejects(() => parseChallengeResponse(fromHex('90')), 'malformed_response', 'one byte');
  rejects(() => parseChallengeResponse(fromHex('6985')), 'card_status', 'not selected');
  rejects(() => parseChallengeResponse(fromHex('01020304050607086985')), 'card_status', 'data before an error word');
});

test('VERIFY status words are named results; anything else is a named error', () => {
  assert.deepEqual(parseVerifyResponse(fromHex('9000')), { result: 'verified' });
  assert.deepEqual(parseVerifyResponse(fromHex('63c2')), { result: 'wrong', triesLeft: 2 });
  assert.deepEqual(parseVerifyResponse(fromHex('63c1')), { result: 'wrong', triesLeft: 1 });
  assert.deepEqual(parseVerifyResponse(fromHex('6983')), { result: 'blocked' });
  assert.deepEqual(parseVerifyResponse(fromHex('6985')), { result: 'no_challenge' });
  assert.deepEqual(parseVerifyResponse(fromHex('6a80')), { result: 'envelope_refused' });
  const table: Array<[string, string, CardProtocolErrorCode]> = [
    ['63C0 (a last wrong try is 6983)', '63c0', 'malformed_response'],
    ['63C3 (no wrong try leaves 3)', '63c3', 'malformed_response'],
    ['63CF', '63cf', 'malformed_response'],
    ['6700', '6700', 'card_status'],
    ['6d00', '6d00', 'card_status'],
    ['6300 (no counter)', '6300', 'card_status'],
    ['63d2', '63d2', 'card_status'],
    ['data before 9000', '009000', 'malformed_response'],
    ['empty', '', 'malformed_response'],
    ['one byte', '90', 'malformed_response'],
  ];
  for (const [what, hex, code] of table) rejects(() => parseVerifyResponse(fromHex(hex)), code, what);
});

test('fuzz: 10,000 random answers each to GET CHALLENGE and VERIFY parse to a result or a CardProtocolError', () => {
  // Mostly short answers, often ending in a word the card really uses, so the branches are reached.
  const words = ['9000', '63c1', '63c2', '63c0', '6983', '6985', '6a80', '6700'].map(fromHex);
  const answer = fc.oneof(
    fc.uint8Array({ maxLength: 24 }),
    fc.tuple(fc.uint8Array({ maxLength: 12 }), fc.constantFrom(...words)).map(([data, word]) => Uint8Array.from([...data, ...word])),
    fc.tuple(fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0, max: 0xff })).map(([high, low]) => Uint8Array.of(high, low)),
  );
  const counts = { verifyResults: 0, verifyErrors: 0, challenges: 0, challengeErrors: 0 };
  fc.assert(
    fc.property(answer, (bytes) => {
      try {
        const result = parseVerifyResponse(bytes);
        counts.verifyResults += 1;
        assert.equal(bytes.length, 2, 'only a bare status word is a VERIFY result');
        if (result.result === 'wrong') assert.ok(result.triesLeft === 1 || result.triesLeft === 2);
      } catch (error) {
        if (!(error instanceof CardProtocolError)) throw error;
        counts.verifyErrors += 1;
      }
      try {
        const challenge = parseChallengeResponse(bytes);
        counts.challenges += 1;
        assert.equal(challenge.length, 8);
        assert.equal(toHex(bytes), toHex(challenge) + '9000');
      } catch (error) {
        if (!(error instanceof CardProtocolError)) throw error;
        counts.challengeErrors += 1;
      }
    }),
    { seed: 13, numRuns: 10_000 },
  );
  assert.equal(counts.verifyResults + counts.verifyErrors, 10_000);
  assert.equal(counts.challenges + counts.challengeErrors, 10_000);
  assert.ok(counts.verifyResults > 100 && counts.verifyErrors > 1000, JSON.stringify(counts));
  assert.ok(counts.challenges > 0, JSON.stringify(counts));
});
