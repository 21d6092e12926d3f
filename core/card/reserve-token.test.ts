// Tests of reserve token batches: a signed batch opens into stored tokens that each verify alone
// through their Merkle proof, for every batch size and leaf; and, as properties, any altered
// byte or character of a stored token or of a batch makes the check fail.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fromHex, toHex } from '../clock.js';
import { currencyCodes } from '../currency.js';
import {
  deriveReserveSigningKey,
  maxReserveBatchTokens,
  openReserveBatch,
  reservePublicKey,
  reserveTokenId,
  signReserveBatch,
  verifyStoredToken,
  type ReserveBatch,
  type ReserveTokenFields,
  type StoredReserveToken,
} from './reserve-token.js';

const signingKey = deriveReserveSigningKey(fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'));
const publicKey = reservePublicKey(signingKey);
const terminalId = 't-alpha001';

function tokensFor(count: number, firstAtc = 1): ReserveTokenFields[] {
  return Array.from({ length: count }, (_, index) => ({
    cardId: '0011223344556677',
    atc: firstAtc + index,
    commitment: toHex(fromHex((index + 1).toString(16).padStart(64, '0'))),
    capMinor: '5000',
    currency: 'USD' as const,
    expiresAtMs: 1_742_169_600_000,
  }));
}

function signed(tokens: ReserveTokenFields[], batchId = 'rb-0001-example'): ReserveBatch {
  return signReserveBatch(signingKey, { batchId, terminalId, issuedAtMs: 1_741_910_400_000 }, tokens);
}

function open(batch: unknown): StoredReserveToken[] {
  const opened = openReserveBatch(publicKey, batch, terminalId);
  assert.ok(opened.ok, JSON.stringify(opened));
  return opened.tokens;
}

test('known answer: the worked example of docs/card-protocol.md', () => {
  assert.equal(toHex(publicKey), '5b974fa3d4887e6c84b8f3d8be740df4045a68e62130411f229050f55018964e');
  const commitments = [
    '2c9cc4ccccc2d964071cfbb415d1cb23fa1009c7ac6c2d45a1f26d32016857fd',
    '1fcedc2d7d0fb062fa4f90704060b117ce00a8482a62f72180e1a6312c2f1824',
    '4bb356b11d96853cac6538f98cadf26343598cb33df02c2a639b8afc79a79157',
  ];
  const batch = signed(tokensFor(3).map((token, index) => ({ ...token, commitment: commitments[index]! })));
  assert.equal(batch.root, 'b3f9bc7de455057bb51d908c3fde37c0c9684be2cf7d3a8741b0d1ddda1caa74');
  const stored = open(batch);
  assert.deepEqual(stored[0]!.proof, ['0a91581d8bafe4f10fb423b1f3ca3e145df5ea346fbeab2fa551b6b0ed9b237a', '1d2d250a0ff3e75524117ccafda0a3fd9885191e7ace7ca5550516ca95980e72']);
  assert.deepEqual(stored[2]!.proof, ['d792dcec6a664a1e2901a7306e1c384a0071e3327d6d31ba33a5a248c994209e']);
});

test('round trip: sign, open, store as JSON, verify each token alone', () => {
  const batch = signed(tokensFor(5));
  const stored = open(JSON.parse(JSON.stringify(batch)));
  assert.equal(stored.length, 5);
  for (const [index, token] of stored.entries()) {
    assert.equal(token.leafIndex, index);
    assert.deepEqual(token.header, { batchId: batch.batchId, terminalId, issuedAtMs: batch.issuedAtMs, tokenCount: 5 });
    assert.equal(reserveTokenId(token.cardId, token.atc), `0011223344556677:${index + 1}`);
    assert.ok(verifyStoredToken(publicKey, JSON.parse(JSON.stringify(token)) as StoredReserveToken));
  }
});

test('batches of 1 to 40 tokens verify for every leaf, and no proof fits another leaf', () => {
  for (let size = 1; size <= 40; size += 1) {
    const stored = open(signed(tokensFor(size)));
    for (const token of stored) assert.ok(verifyStoredToken(publicKey, token), `size ${size} leaf ${token.leafIndex}`);
    if (size > 1) {
      const [first, last] = [stored[0]!, stored.at(-1)!];
      assert.equal(verifyStoredToken(publicKey, { ...first, proof: last.proof }), false, `size ${size}`);
      assert.equal(verifyStoredToken(publicKey, { ...first, leafIndex: last.leafIndex }), false, `size ${size}`);
    }
  }
});

test('a batch for another terminal is wrong_terminal; another key is bad_signature', () => {
  const batch = signed(tokensFor(2));
  assert.deepEqual(openReserveBatch(publicKey, batch, 't-bravo002'), { ok: false, reason: 'wrong_terminal' });
  const otherKey = reservePublicKey(deriveReserveSigningKey(fromHex('ff'.repeat(32))));
  assert.deepEqual(openReserveBatch(otherKey, batch, terminalId), { ok: false, reason: 'bad_signature' });
  for (const token of open(batch)) assert.equal(verifyStoredToken(otherKey, token), false);
});

test('malformed batches are named', () => {
  const batch = signed(tokensFor(2));
  const table: Array<[string, unknown]> = [
    ['null', null],
    ['empty object', {}],
    ['no signature', { ...batch, signature: undefined }],
    ['extra field', { ...batch, note: 'x' }],
    ['no tokens', { ...batch, tokens: [] }],
    ['too many tokens', { ...batch, tokens: tokensFor(maxReserveBatchTokens + 1) }],
    ['token with extra field', { ...batch, tokens: [{ ...batch.tokens[0], extra: 1 }, batch.tokens[1]] }],
    ['ATC 0', { ...batch, tokens: [{ ...batch.tokens[0], atc: 0 }, batch.tokens[1]] }],
    ['cap 0', { ...batch, tokens: [{ ...batch.tokens[0], capMinor: '0' }, batch.tokens[1]] }],
    ['upper-case root', { ...batch, root: batch.root.toUpperCase() }],
  ];
  for (const [name, input] of table) assert.deepEqual(openReserveBatch(publicKey, input, terminalId), { ok: false, reason: 'malformed_batch' }, name);
});

// Arbitrary batches: distinct ATCs, random fields within the schema.
const tokenFieldsArb = fc.record({
  cardId: fc.uint8Array({ minLength: 8, maxLength: 8 }).map(toHex),
  commitment: fc.uint8Array({ minLength: 32, maxLength: 32 }).map(toHex),
  capMinor: fc.bigInt({ min: 1n, max: 10n ** 18n }).map(String),
  currency: fc.constantFrom(...currencyCodes),
  expiresAtMs: fc.integer({ min: 0, max: 2 ** 42 }),
});
const batchArb = fc
  .record({
    fields: fc.array(tokenFieldsArb, { minLength: 1, maxLength: 12 }),
    firstAtc: fc.integer({ min: 1, max: 1_000_000 }),
    batchId: fc.stringMatching(/^[0-9A-Za-z-]{8,40}$/),
    issuedAtMs: fc.integer({ min: 0, max: 2 ** 42 }),
  })
  .map(({ fields, firstAtc, batchId, issuedAtMs }) =>
    signReserveBatch(signingKey, { batchId, terminalId, issuedAtMs }, fields.map((token, index) => ({ ...token, atc: firstAtc + index }))),
  );

const alphabet = '0123456789abcdefABCDEF-_: xé';
interface Edit {
  position: number;
  character: number;
  delta: number;
}
const editArb: fc.Arbitrary<Edit> = fc.record({
  position: fc.nat(),
  character: fc.nat({ max: alphabet.length - 1 }),
  delta: fc.oneof(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: -1_000_000, max: -1 })),
});

/** One character of the string replaced by a different one. */
function editString(value: string, edit: Edit): string {
  const index = edit.position % value.length;
  let replacement = alphabet[edit.character]!;
  if (replacement === value[index]) replacement = alphabet[(edit.character + 1) % alphabet.length]!;
  return value.slice(0, index) + replacement + value.slice(index + 1);
}

const storedFields = ['cardId', 'atc', 'commitment', 'capMinor', 'currency', 'expiresAtMs', 'root', 'signature', 'leafIndex', 'proof'] as const;
const headerFields = ['batchId', 'terminalId', 'issuedAtMs', 'tokenCount'] as const;
const storedTargets = [...storedFields, ...headerFields.map((name) => `header.${name}` as const)];

function alterStored(original: StoredReserveToken, target: (typeof storedTargets)[number], edit: Edit): StoredReserveToken {
  const token = structuredClone(original);
  const record = token as unknown as Record<string, unknown>;
  const header = token.header as unknown as Record<string, unknown>;
  const [holder, name] = target.startsWith('header.') ? [header, target.slice('header.'.length)] : [record, target];
  const value = holder[name];
  if (name === 'proof') {
    const proof = token.proof;
    if (proof.length === 0 || edit.delta % 5 === 0) proof.push('00'.repeat(32));
    else if (edit.delta % 7 === 0) proof.splice(edit.position % proof.length, 1);
    else proof[edit.position % proof.length] = editString(proof[edit.position % proof.length]!, edit);
  } else if (typeof value === 'number') holder[name] = value + edit.delta;
  else holder[name] = editString(value as string, edit);
  return token;
}

test('property: any altered character of any field of a stored token fails verifyStoredToken', () => {
  fc.assert(
    fc.property(batchArb, fc.nat(), fc.constantFrom(...storedTargets), editArb, (batch, leaf, target, edit) => {
      const stored = open(batch);
      const token = stored[leaf % stored.length]!;
      assert.ok(verifyStoredToken(publicKey, token));
      const altered = alterStored(token, target, edit);
      assert.notDeepEqual(altered, token);
      assert.equal(verifyStoredToken(publicKey, altered), false, `${target}: ${JSON.stringify(altered)}`);
    }),
    { numRuns: 300 },
  );
});

const batchTargets = ['batchId', 'terminalId', 'issuedAtMs', 'root', 'signature', 'token', 'drop', 'duplicate', 'swap'] as const;

function alterBatch(original: ReserveBatch, target: (typeof batchTargets)[number], edit: Edit): ReserveBatch {
  const batch = structuredClone(original);
  const tokens = batch.tokens;
  const index = edit.position % tokens.length;
  if (target === 'issuedAtMs') batch.issuedAtMs += edit.delta;
  else if (target === 'drop') tokens.splice(index, 1);
  else if (target === 'duplicate') tokens.splice(index, 0, structuredClone(tokens[index]!));
  else if (target === 'swap') tokens.reverse();
  else if (target === 'token') {
    const token = tokens[index] as unknown as Record<string, unknown>;
    const name = (['cardId', 'atc', 'commitment', 'capMinor', 'currency', 'expiresAtMs'] as const)[Math.abs(edit.delta) % 6]!;
    const value = token[name];
    token[name] = typeof value === 'number' ? value + edit.delta : editString(value as string, edit);
  } else batch[target] = editString(batch[target], edit);
  return batch;
}

test('property: any altered batch (tokens, header, root, signature) fails openReserveBatch', () => {
  fc.assert(
    fc.property(batchArb, fc.constantFrom(...batchTargets), editArb, (batch, target, edit) => {
      fc.pre(target !== 'swap' || batch.tokens.length > 1);
      const altered = alterBatch(batch, target, edit);
      const result = openReserveBatch(publicKey, altered, terminalId);
      assert.equal(result.ok, false, `${target}: ${JSON.stringify(altered)}`);
    }),
    { numRuns: 300 },
  );
});
