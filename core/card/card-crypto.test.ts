// Known-answer and property tests of the card's cryptography. The vectors were generated once
// from this code and pinned (docs/card-protocol.md prints the same ones); a second test
// recomputes them with node:crypto from the formulas the document states, so the code, the
// document and the vectors cannot drift apart unnoticed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { fromHex, toHex } from '../clock.js';
import {
  atcBytes,
  commitmentOf,
  computeCryptogram,
  cryptogramInput,
  cvvDigits,
  deriveAtcSecret,
  deriveCardKey,
  devpayBin,
  equalBytes,
  maxAtc,
  oneTimeCvv,
  oneTimePan,
  packDigits,
  panDigits,
  terminalIdHash,
} from './card-crypto.js';
import { isLuhnValid } from './luhn.js';

const masterKey = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const cardId = fromHex('0011223344556677');
const cardKeyHex = '3abb2ee21b7b51b41f690d1a6c1ae54fcc9d573f1a9ab4b4e2853eaaa3209d9f';
// The terminal data of the worked example: 12.50 USD at t-alpha001, UN a1b2c3d4, 14 March 2025.
const terminalDataHex = '00000000000004e255534420e67cbb511d92b1c9a1b2c3d4250314';

/** ATC, secret, commitment, PAN, CVV. */
const vectors: Array<[number, string, string, string, string]> = [
  [1, '5cbb0b1495778435e6b4f7277f59beb921efc21645c5f2c8dae9c32ea5b534dc', '2c9cc4ccccc2d964071cfbb415d1cb23fa1009c7ac6c2d45a1f26d32016857fd', '8991003655506580', '092'],
  [2, '50fc6e51cf37f3d40910cab8f30331be67931de769f7972329ec7944627aefc0', '1fcedc2d7d0fb062fa4f90704060b117ce00a8482a62f72180e1a6312c2f1824', '8991000394635993', '543'],
  [1000, '0308791a394a1932cb6deba6184bafd3f546d13dcb65cd2c1abb24da09b90cf2', '862b52d40ecebec0a299e83f8fd7ac8298056ef4cc9ee01f2acb610e0022e36b', '8991000599498478', '796'],
  [maxAtc, '3f3c6af61797cb76b5388885ec1a0b98c9f85bd779a8a1527d73823232726596', 'f91f3ea1c2775db930792d6f1ed0ec5a3430c795e1895533d6f940e516d66d9a', '8991004629963196', '136'],
];

test('known answers: card key, per-ATC secret, commitment, PAN, CVV', () => {
  const cardKey = deriveCardKey(masterKey, cardId);
  assert.equal(toHex(cardKey), cardKeyHex);
  assert.equal(toHex(deriveCardKey(fromHex('ff'.repeat(32)), fromHex('8000000000000001'))), 'a08d5137835955b993620a69eee90ed6f689f31c4950638809f7c8f971d70549');
  for (const [atc, secretHex, commitmentHex, pan, cvv] of vectors) {
    const secret = deriveAtcSecret(cardKey, atc);
    assert.equal(toHex(secret), secretHex, `secret of ATC ${atc}`);
    assert.equal(toHex(commitmentOf(cardId, atc, secret)), commitmentHex, `commitment of ATC ${atc}`);
    assert.equal(oneTimePan(secret), pan, `PAN of ATC ${atc}`);
    assert.equal(oneTimeCvv(secret), cvv, `CVV of ATC ${atc}`);
  }
});

test('known answers: terminal id hash, cryptogram input and cryptogram', () => {
  assert.equal(toHex(terminalIdHash('t-alpha001')), 'e67cbb511d92b1c9');
  assert.equal(toHex(terminalIdHash('kiosk-7')), 'dc2ef3d3671101fd');
  const input = cryptogramInput(cardId, 1, '8991003655506580', '092', fromHex(terminalDataHex));
  assert.equal(
    toHex(input),
    '6465767061792d61632d7632' + '0011223344556677' + '00000001' + '8991003655506580' + '092f' + terminalDataHex + '00',
  );
  assert.equal(toHex(computeCryptogram(fromHex(cardKeyHex), input)), '8c1ad575dbf81a51be0a9a4b9306e7ae');
  // The same tap with the PIN verified by the card: only the last byte differs, and the cryptogram with it.
  const withPin = cryptogramInput(cardId, 1, '8991003655506580', '092', fromHex(terminalDataHex), 'card_pin');
  assert.equal(toHex(withPin), toHex(input).slice(0, -2) + '01');
  assert.equal(toHex(computeCryptogram(fromHex(cardKeyHex), withPin)), '031c1170803712360b812952703b8e3f');
});

test('the vectors follow from the documented formulas (recomputed with node:crypto)', () => {
  const hmacHex = (key: Uint8Array, ...parts: Array<string | Uint8Array>): Buffer => {
    const mac = createHmac('sha256', key);
    for (const part of parts) mac.update(part);
    return mac.digest();
  };
  const cardKey = hmacHex(masterKey, 'devpay-card-key-v1', cardId);
  assert.equal(cardKey.toString('hex'), cardKeyHex);
  for (const [atc, secretHex, commitmentHex, pan, cvv] of vectors) {
    const secret = hmacHex(cardKey, 'devpay-atc-secret-v1', atcBytes(atc));
    assert.equal(secret.toString('hex'), secretHex);
    const commitment = createHash('sha256').update('devpay-commit-v1').update(cardId).update(atcBytes(atc)).update(secret).digest('hex');
    assert.equal(commitment, commitmentHex);
    // PAN: BIN, then each of the first nine MAC bytes mod 10, then the Luhn digit; CVV: three bytes mod 10.
    const panMac = hmacHex(secret, 'devpay-pan-v1');
    assert.equal(pan.slice(0, 15), devpayBin + [...panMac.subarray(0, 9)].map((byte) => byte % 10).join(''));
    const cvvMac = hmacHex(secret, 'devpay-cvv-v1');
    assert.equal(cvv, [...cvvMac.subarray(0, 3)].map((byte) => byte % 10).join(''));
  }
  const input = Buffer.concat([Buffer.from('devpay-ac-v2'), cardId, atcBytes(1), fromHex('8991003655506580092f'), fromHex(terminalDataHex), Uint8Array.of(0)]);
  assert.equal(toHex(input), toHex(cryptogramInput(cardId, 1, '8991003655506580', '092', fromHex(terminalDataHex))));
  assert.equal(hmacHex(cardKey, input).subarray(0, 16).toString('hex'), '8c1ad575dbf81a51be0a9a4b9306e7ae');
  assert.equal(createHash('sha256').update('t-alpha001').digest('hex').slice(0, 16), 'e67cbb511d92b1c9');
});

test('every one-time PAN is 16 digits in BIN 899100 with a valid Luhn digit; every CVV is 3 digits', () => {
  const cardKey = deriveCardKey(masterKey, cardId);
  const pans = new Set<string>();
  for (let atc = 1; atc <= 3000; atc += 1) {
    const secret = deriveAtcSecret(cardKey, atc);
    const pan = oneTimePan(secret);
    const cvv = oneTimeCvv(secret);
    assert.match(pan, /^899100\d{10}$/, `ATC ${atc}`);
    assert.equal(pan.length, panDigits);
    assert.ok(isLuhnValid(pan), `ATC ${atc}: ${pan}`);
    assert.match(cvv, /^\d{3}$/, `ATC ${atc}`);
    assert.equal(cvv.length, cvvDigits);
    pans.add(pan);
  }
  // Nine free digits: among 3000 PANs a collision is possible but (p ≈ 0.5%) unlikely; pinned by the key.
  assert.equal(pans.size, 3000);
});

test('for any key, different ATCs give different secrets, commitments, PANs and cryptograms', () => {
  const key = fc.uint8Array({ minLength: 32, maxLength: 32 });
  const atc = fc.integer({ min: 0, max: maxAtc });
  fc.assert(
    fc.property(key, fc.uint8Array({ minLength: 8, maxLength: 8 }), atc, atc, (master, id, left, right) => {
      fc.pre(left !== right);
      const cardKey = deriveCardKey(master, id);
      const [one, two] = [deriveAtcSecret(cardKey, left), deriveAtcSecret(cardKey, right)];
      assert.notEqual(toHex(one), toHex(two));
      assert.notEqual(toHex(commitmentOf(id, left, one)), toHex(commitmentOf(id, right, two)));
      assert.match(oneTimePan(one), /^899100\d{10}$/);
      assert.ok(isLuhnValid(oneTimePan(one)));
      assert.match(oneTimeCvv(one), /^\d{3}$/);
      // PAN and CVV together carry about 39 bits: a whole-pair collision would be a 1-in-10^12 event.
      assert.notEqual(oneTimePan(one) + oneTimeCvv(one), oneTimePan(two) + oneTimeCvv(two));
      const terminalData = fromHex(terminalDataHex);
      const cryptogramOne = computeCryptogram(cardKey, cryptogramInput(id, left, oneTimePan(one), oneTimeCvv(one), terminalData));
      const cryptogramTwo = computeCryptogram(cardKey, cryptogramInput(id, right, oneTimePan(two), oneTimeCvv(two), terminalData));
      assert.notEqual(toHex(cryptogramOne), toHex(cryptogramTwo));
    }),
    { numRuns: 200 },
  );
});

test('card keys differ per card and per master key', () => {
  const first = deriveCardKey(masterKey, cardId);
  assert.notEqual(toHex(first), toHex(deriveCardKey(masterKey, fromHex('0011223344556678'))));
  assert.notEqual(toHex(first), toHex(deriveCardKey(fromHex('01' + '00'.repeat(31)), cardId)));
});

test('ATC bytes are 4 bytes big-endian; anything outside 0..2^32-1 is a RangeError', () => {
  const table: Array<[number, string]> = [
    [0, '00000000'],
    [1, '00000001'],
    [0x0102_0304, '01020304'],
    [maxAtc, 'ffffffff'],
  ];
  for (const [atc, hex] of table) assert.equal(toHex(atcBytes(atc)), hex, String(atc));
  for (const atc of [-1, maxAtc + 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => atcBytes(atc), RangeError, String(atc));
});

test('digits pack as BCD, F-padded on the right', () => {
  const table: Array<[string, number, string]> = [
    ['8991003655506580', 8, '8991003655506580'],
    ['092', 2, '092f'],
    ['250314', 3, '250314'],
    ['7', 2, '7fff'],
    ['', 1, 'ff'],
  ];
  for (const [digits, byteCount, hex] of table) assert.equal(toHex(packDigits(digits, byteCount)), hex, digits);
});

test('equalBytes compares contents and lengths', () => {
  const table: Array<[string, string, boolean]> = [
    ['', '', true],
    ['00', '00', true],
    ['0011', '0011', true],
    ['0011', '0012', false],
    ['0011', '001100', false],
    ['80', '00', false],
  ];
  for (const [left, right, equal] of table) assert.equal(equalBytes(fromHex(left), fromHex(right)), equal, `${left} ${right}`);
});
