// The virtual card's PIN: VERIFY with a sealed PIN under a single-use challenge (SELECT's for the
// first try, GET CHALLENGE's after), the try counter
// (three wrong in a row block it, a right one resets it, a blocked card stays blocked and its
// clone too), the CVM result that GENERATE reports and binds into the cryptogram and the session
// token, and the status words of GET CHALLENGE and VERIFY.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromHex, seededRandom, toHex } from '../../core/clock.js';
import { computeCryptogram, cryptogramInput, deriveCardKey, terminalIdHash, type TerminalData } from '../../core/card/card-crypto.js';
import { sealPin } from '../../core/card/pin-encipherment.js';
import { sessionTokenValid } from '../../core/card/offline-checks.js';
import { encodeTerminalData, generateCommand, parseGenerateResponse, parseSelectResponse, selectCommand, type CardSelection } from '../../device/devpay-card-apdu.js';
import { getChallengeCommand, parseChallengeResponse, parseVerifyResponse, verifyCommand, type VerifyResult } from '../../device/devpay-card-verify.js';
import { DevpayCard } from './devpay-card.js';
import { simCardPin } from './devpay-card-pin.js';

const masterKey = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const cardId = fromHex('0011223344556677');
const cardKey = deriveCardKey(masterKey, cardId);
const pin = simCardPin(cardKey);
const wrongPin = pin === '0000' ? '1111' : '0000';
const random = seededRandom(7);
const terminalData: TerminalData = { amountMinor: 25000n, currency: 'USD', terminalIdHash: terminalIdHash('t-alpha001'), unpredictableNumber: fromHex('a1b2c3d4'), date: '250314' };

function select(card: DevpayCard): CardSelection {
  return parseSelectResponse(card.respond(selectCommand()));
}

/** VERIFY with `digits` sealed as the PIN pad would, under `challenge`. */
function verifyUnder(card: DevpayCard, selection: CardSelection, challenge: Uint8Array, digits: string): VerifyResult {
  return parseVerifyResponse(card.respond(verifyCommand(sealPin(digits, selection.pinKey, challenge, (length) => random.bytes(length)))));
}

/** A retry, as the terminal makes it: GET CHALLENGE, then VERIFY under the new challenge. */
function enter(card: DevpayCard, selection: CardSelection, digits: string): VerifyResult {
  return verifyUnder(card, selection, parseChallengeResponse(card.respond(getChallengeCommand())), digits);
}

function generate(card: DevpayCard): ReturnType<typeof parseGenerateResponse> {
  return parseGenerateResponse(card.respond(generateCommand(terminalData)), cardId);
}

test("the simulator's PIN is four digits derived from the card key, the same every time", () => {
  assert.match(pin, /^\d{4}$/);
  assert.equal(pin, '9582', 'pinned for the worked example card');
  assert.equal(simCardPin(cardKey), pin);
});

test('the right PIN: VERIFY 9000, GENERATE reports card_pin under the cryptogram and the session token', () => {
  const card = new DevpayCard(cardId, cardKey);
  const selection = select(card);
  assert.equal(selection.pinTriesLeft, 3);
  assert.deepEqual(verifyUnder(card, selection, selection.pinChallenge, pin), { result: 'verified' }, 'the first try under SELECT’s challenge');
  const tap = generate(card);
  assert.equal(tap.cvm, 'card_pin');
  const sent = encodeTerminalData(terminalData);
  assert.equal(toHex(tap.cryptogram), toHex(computeCryptogram(cardKey, cryptogramInput(cardId, tap.atc, tap.pan, tap.cvv, sent, 'card_pin'))));
  assert.ok(sessionTokenValid(tap, sent));
  // Claiming no PIN (or a PIN where none was) breaks the session token.
  assert.ok(!sessionTokenValid({ ...tap, cvm: 'none' }, sent));
  // The verification is for one GENERATE: the next reports none.
  assert.equal(generate(card).cvm, 'none');
  // And a new selection forgets it.
  const next = select(card);
  assert.deepEqual(verifyUnder(card, next, next.pinChallenge, pin), { result: 'verified' });
  assert.equal(select(card).pinTriesLeft, 3);
  assert.equal(generate(card).cvm, 'none');
});

test('wrong, wrong, right: 63C2, 63C1, then 9000 resets the counter', () => {
  const card = new DevpayCard(cardId, cardKey);
  const changes: number[] = [];
  card.pin.onTriesChanged = (triesLeft) => changes.push(triesLeft);
  const selection = select(card);
  assert.deepEqual(verifyUnder(card, selection, selection.pinChallenge, wrongPin), { result: 'wrong', triesLeft: 2 });
  assert.deepEqual(enter(card, selection, wrongPin), { result: 'wrong', triesLeft: 1 });
  assert.equal(select(card).pinTriesLeft, 1, 'the counter is the card’s, across selections');
  assert.deepEqual(enter(card, selection, pin), { result: 'verified' });
  assert.equal(card.pin.triesLeft, 3);
  assert.deepEqual(changes, [2, 1, 3]);
  assert.equal(generate(card).cvm, 'card_pin');
});

test('three wrong PINs block the card for good; its clone and a restored card are blocked too', () => {
  const card = new DevpayCard(cardId, cardKey);
  const selection = select(card);
  assert.deepEqual(enter(card, selection, wrongPin), { result: 'wrong', triesLeft: 2 });
  assert.deepEqual(enter(card, selection, wrongPin), { result: 'wrong', triesLeft: 1 });
  assert.deepEqual(enter(card, selection, wrongPin), { result: 'blocked' });
  assert.equal(generate(card).cvm, 'none', 'a blocked card still answers GENERATE, without a PIN');
  const again = select(card);
  assert.equal(again.pinTriesLeft, 0);
  assert.deepEqual(enter(card, again, pin), { result: 'blocked' }, 'even the right PIN');
  assert.equal(select(card.clone()).pinTriesLeft, 0);
  const restored = new DevpayCard(cardId, cardKey, card.atc, { pinTriesLeft: card.pin.triesLeft });
  assert.deepEqual(enter(restored, select(restored), pin), { result: 'blocked' });
});

test('a challenge is single use; VERIFY without one is 6985 and counts no try', () => {
  const card = new DevpayCard(cardId, cardKey);
  const selection = select(card);
  const challenge = parseChallengeResponse(card.respond(getChallengeCommand()));
  const envelope = sealPin(pin, selection.pinKey, challenge, (length) => random.bytes(length));
  assert.equal(toHex(card.respond(verifyCommand(envelope))), '9000');
  assert.equal(toHex(card.respond(verifyCommand(envelope))), '6985', 'the same envelope again: the challenge is spent');
  // A new challenge makes an old envelope useless (it is sealed under the old one).
  card.respond(getChallengeCommand());
  assert.equal(toHex(card.respond(verifyCommand(envelope))), '6a80');
  assert.equal(card.pin.triesLeft, 3, 'neither counted a try');
  // SELECT replaces an issued challenge with its own.
  const fresh = parseChallengeResponse(card.respond(getChallengeCommand()));
  const reselected = select(card);
  assert.notEqual(toHex(reselected.pinChallenge), toHex(fresh));
  assert.equal(toHex(card.respond(verifyCommand(sealPin(pin, selection.pinKey, fresh, (length) => random.bytes(length))))), '6a80');
  assert.equal(toHex(card.respond(verifyCommand(sealPin(pin, selection.pinKey, reselected.pinChallenge, (length) => random.bytes(length))))), '6985', 'that VERIFY spent SELECT’s challenge');
  assert.equal(card.pin.triesLeft, 3);
});

test('SELECT’s challenge: fresh at each selection, single use, replaced by GET CHALLENGE, dropped by a reset', () => {
  const challenges = [0x11, 0x22, 0x33, 0x44, 0x55].map((byte) => new Uint8Array(8).fill(byte));
  const card = new DevpayCard(cardId, cardKey, 0, { randomBytes: () => challenges.shift()! });
  const first = select(card);
  assert.equal(toHex(first.pinChallenge), '11'.repeat(8));
  const second = select(card);
  assert.equal(toHex(second.pinChallenge), '22'.repeat(8), 'each SELECT issues a new challenge');
  assert.deepEqual(verifyUnder(card, second, first.pinChallenge, pin), { result: 'envelope_refused' }, 'the previous selection’s challenge is void');
  assert.deepEqual(verifyUnder(card, second, second.pinChallenge, pin), { result: 'no_challenge' }, 'and that VERIFY spent this one');
  const third = select(card);
  const replacement = parseChallengeResponse(card.respond(getChallengeCommand()));
  assert.equal(toHex(replacement), '44'.repeat(8));
  assert.deepEqual(verifyUnder(card, third, third.pinChallenge, pin), { result: 'envelope_refused' }, 'GET CHALLENGE replaced SELECT’s');
  const fourth = select(card);
  card.reset();
  assert.deepEqual(verifyUnder(card, fourth, fourth.pinChallenge, pin), { result: 'no_challenge' }, 'a reset drops it (and deselects)');
  assert.equal(card.pin.triesLeft, 3, 'none of these counted a try');
  assert.equal(card.pin.verifiedInSelection(), false);
});

test('GET CHALLENGE and VERIFY status words', () => {
  const envelopeHex = '00'.repeat(80);
  const selectHex = toHex(selectCommand());
  const table: Array<[string, string[], string]> = [
    ['GET CHALLENGE before SELECT', ['0084000008'], '6985'],
    ['VERIFY before SELECT', [`0020008850${envelopeHex}`], '6985'],
    ['GET CHALLENGE with P1 01', [selectHex, '0084010008'], '6a80'],
    ['GET CHALLENGE for 4 bytes', [selectHex, '0084000004'], '6700'],
    ['GET CHALLENGE with data', [selectHex, '008400000800'], '6700'],
    ['VERIFY with P2 80 (plain PIN)', [selectHex, `0020008050${envelopeHex}`], '6a80'],
    ['VERIFY with Lc 79', [selectHex, `002000884f${envelopeHex.slice(2)}`], '6700'],
    ['VERIFY truncated', [selectHex, `0020008850${envelopeHex.slice(2)}`], '6700'],
    ['VERIFY of garbage under SELECT’s challenge', [selectHex, `0020008850${envelopeHex}`], '6a80'],
    ['VERIFY with no challenge (SELECT’s spent)', [selectHex, `0020008850${envelopeHex}`, `0020008850${envelopeHex}`], '6985'],
    ['VERIFY of garbage under a challenge', [selectHex, '0084000008', `0020008850${envelopeHex}`], '6a80'],
    ['VERIFY under CLA 80', [selectHex, `8020008850${envelopeHex}`], '6d00'],
  ];
  for (const [what, commands, expected] of table) {
    const card = new DevpayCard(cardId, cardKey, 7);
    const responses = commands.map((hex) => card.respond(fromHex(hex)));
    assert.equal(toHex(responses.at(-1)!).slice(-4), expected, what);
    assert.equal(card.pin.triesLeft, 3, `${what}: counts no try`);
    assert.equal(card.atc, 7, `${what}: does not move the ATC`);
  }
});
