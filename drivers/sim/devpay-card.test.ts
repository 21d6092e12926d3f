// Tests of the virtual DevPay card: its ATC, clones, every status word it answers and when, and,
// as properties, that every altered byte of a genuine GENERATE answer is caught at the terminal
// (by the parser or the session token, and, when more than the token changed, by the commitment,
// PAN/CVV or cryptogram checks as well), and that an alteration resealed with the revealed secret
// passes the session token but not the commitment/PAN/CVV checks (nor, but for the secret, the
// cryptogram).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fromHex, toHex } from '../../core/clock.js';
import {
  commitmentOf,
  computeCryptogram,
  computeSessionToken,
  cryptogramInput,
  deriveAtcSecret,
  deriveCardKey,
  equalBytes,
  maxAtc,
  oneTimeCvv,
  oneTimePan,
  sessionTokenBytes,
  terminalIdHash,
  type TerminalData,
} from '../../core/card/card-crypto.js';
import { luhnCheckDigit } from '../../core/card/luhn.js';
import { sessionTokenValid } from '../../core/card/offline-checks.js';
import {
  CardProtocolError,
  encodeTerminalData,
  generateCommand,
  parseGenerateResponse,
  parseSelectResponse,
  selectCommand,
} from '../../device/devpay-card-apdu.js';
import { DevpayCard, replayingCard } from './devpay-card.js';
import { devpayAtr } from './virtual-card.js';

const masterKey = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const cardId = fromHex('0011223344556677');
const cardKey = deriveCardKey(masterKey, cardId);
const terminalData: TerminalData = {
  amountMinor: 1250n,
  currency: 'USD',
  terminalIdHash: terminalIdHash('t-alpha001'),
  unpredictableNumber: fromHex('a1b2c3d4'),
  date: '250314',
};

function statusOf(response: Uint8Array): string {
  return toHex(response.slice(-2));
}

function tap(card: DevpayCard, data: TerminalData = terminalData): ReturnType<typeof parseGenerateResponse> {
  const selected = parseSelectResponse(card.respond(selectCommand()));
  return parseGenerateResponse(card.respond(generateCommand(data)), selected.cardId);
}

test('the worked example: SELECT and GENERATE answer the documented bytes', () => {
  // The worked example fixes the card's random PIN challenge, as the recorded transcript does.
  const card = new DevpayCard(cardId, cardKey, 0, { randomBytes: () => fromHex('0f1e2d3c4b5a6978') });
  assert.equal(toHex(card.atr), toHex(devpayAtr));
  assert.equal(
    toHex(card.respond(selectCommand())),
    'c00102c1080011223344556677c92025e11eb0e2815a27c9b86311dfe2eee22e0d6e22d816795a63e76a49eb892001ca0103cb080f1e2d3c4b5a69789000',
  );
  assert.equal(
    toHex(card.respond(generateCommand(terminalData))),
    'c1080011223344556677c20400000001c3088991003655506580c402092fc5108c1ad575dbf81a51be0a9a4b9306e7ae' +
      'c6205cbb0b1495778435e6b4f7277f59beb921efc21645c5f2c8dae9c32ea5b534dc' +
      'c80100' +
      'c7102ab18ab68f9bf4529be0cf315b69bb49' +
      '9000',
  );
});

test('the session token holds for the data sent and fails for any other terminal data', () => {
  const card = new DevpayCard(cardId, cardKey);
  const parsed = tap(card);
  const sent = encodeTerminalData(terminalData);
  assert.equal(
    toHex(parsed.sessionToken),
    toHex(computeSessionToken(parsed.atcSecret, cryptogramInput(cardId, 1, parsed.pan, parsed.cvv, sent), parsed.cryptogram)),
  );
  assert.equal(parsed.sessionToken.length, sessionTokenBytes);
  assert.ok(sessionTokenValid(parsed, sent));
  // A verbatim replay to a terminal that drew another unpredictable number, or charges another amount.
  assert.ok(!sessionTokenValid(parsed, encodeTerminalData({ ...terminalData, unpredictableNumber: fromHex('a1b2c3d5') })));
  assert.ok(!sessionTokenValid(parsed, encodeTerminalData({ ...terminalData, amountMinor: 1251n })));
});

test('each GENERATE advances the ATC and reveals that ATC’s secret', () => {
  const card = new DevpayCard(cardId, cardKey);
  assert.equal(card.atc, 0);
  for (let expected = 1; expected <= 5; expected += 1) {
    const data = tap(card);
    assert.equal(data.atc, expected);
    assert.equal(card.atc, expected);
    assert.equal(toHex(data.atcSecret), toHex(deriveAtcSecret(cardKey, expected)));
    assert.equal(data.pan, oneTimePan(data.atcSecret));
    assert.equal(data.cvv, oneTimeCvv(data.atcSecret));
  }
  // Two GENERATEs after one SELECT are two ATCs as well.
  card.respond(selectCommand());
  const first = parseGenerateResponse(card.respond(generateCommand(terminalData)), cardId);
  const second = parseGenerateResponse(card.respond(generateCommand(terminalData)), cardId);
  assert.deepEqual([first.atc, second.atc], [6, 7]);
});

test('a clone shares key and ATC, so it can spend the same ATC once more', () => {
  const card = new DevpayCard(cardId, cardKey);
  tap(card);
  tap(card);
  const clone = card.clone();
  assert.equal(clone.atc, 2);
  assert.equal(clone.cardIdHex, card.cardIdHex);
  const [original, copy] = [tap(card), tap(clone)];
  assert.equal(original.atc, 3);
  assert.equal(copy.atc, 3);
  assert.equal(copy.pan, original.pan);
  assert.equal(toHex(copy.atcSecret), toHex(original.atcSecret));
  assert.equal(toHex(copy.cryptogram), toHex(original.cryptogram));
  // From then on the two counters move apart.
  tap(clone);
  assert.deepEqual([card.atc, clone.atc], [3, 4]);
});

test('status words: each refusal and when the card gives it', () => {
  const generate = toHex(generateCommand(terminalData));
  const badData = toHex(generateCommand(terminalData)).replace('55534420', '75736420');
  const table: Array<[string, string[], string]> = [
    ['GENERATE before SELECT', [generate], '6985'],
    ['SELECT of another AID', ['00a4040007a0000000041010'], '6a82'],
    ['GENERATE after SELECT of another AID', ['00a4040008f04445565041590100', '00a4040007a0000000041010', generate], '6985'],
    ['command of 3 bytes', ['00a404'], '6700'],
    ['SELECT without Lc', ['00a40400'], '6700'],
    ['SELECT with Lc past the end', ['00a4040009f044455650415901'], '6700'],
    ['GENERATE with Lc 26', ['00a4040008f04445565041590100', generate.replace('80ae00001b', '80ae00001a')], '6700'],
    ['GENERATE truncated', ['00a4040008f04445565041590100', generate.slice(0, -6)], '6700'],
    ['CLA 84', ['84ae00001b'], '6e00'],
    ['CLA ff', ['ffa4040000'], '6e00'],
    ['INS b0 (READ BINARY)', ['00b0000000'], '6d00'],
    ['INS a4 under CLA 80', ['80a4040000'], '6d00'],
    ['INS ae under CLA 00', ['00ae00001b'], '6d00'],
    ['SELECT with P1 00', ['00a4000008f04445565041590100'], '6a80'],
    ['SELECT with P2 0c', ['00a4040c08f04445565041590100'], '6a80'],
    ['GENERATE with lower-case currency', ['00a4040008f04445565041590100', badData], '6a80'],
    ['GENERATE with amount 0', ['00a4040008f04445565041590100', generate.replace('80ae00001b00000000000004e2', '80ae00001b0000000000000000')], '6a80'],
  ];
  for (const [what, commands, expected] of table) {
    const card = new DevpayCard(cardId, cardKey, 7);
    const responses = commands.map((hex) => card.respond(fromHex(hex)));
    assert.equal(toHex(responses.at(-1)!), expected, what);
    assert.equal(card.atc, 7, `${what}: a refusal does not move the ATC`);
  }
});

test('an exhausted card answers 6983 and stays at the last ATC', () => {
  const card = new DevpayCard(cardId, cardKey, maxAtc - 1);
  assert.equal(tap(card).atc, maxAtc);
  card.respond(selectCommand());
  const response = card.respond(generateCommand(terminalData));
  assert.equal(statusOf(response), '6983');
  assert.equal(card.atc, maxAtc);
});

test('reset drops the selected application', () => {
  const card = new DevpayCard(cardId, cardKey);
  card.respond(selectCommand());
  card.reset();
  assert.equal(statusOf(card.respond(generateCommand(terminalData))), '6985');
});

test('a replaying card answers its recorded responses in order, whatever is asked', () => {
  const card = new DevpayCard(cardId, cardKey);
  const recorded = [card.respond(selectCommand()), card.respond(generateCommand(terminalData))];
  const replayer = replayingCard(recorded);
  assert.equal(toHex(replayer.respond(fromHex('00b0000000'))), toHex(recorded[0]!));
  assert.equal(toHex(replayer.respond(fromHex('00b0000000'))), toHex(recorded[1]!));
  assert.equal(toHex(replayer.respond(fromHex('00b0000000'))), toHex(recorded[1]!));
  replayer.reset();
  assert.equal(toHex(replayer.respond(selectCommand())), toHex(recorded[0]!));
  assert.equal(toHex(replayingCard([]).respond(selectCommand())), '6d00');
});

const dataArb = fc.record({
  amountMinor: fc.bigInt({ min: 1n, max: 10n ** 12n }),
  currency: fc.constantFrom('IRR', 'TRY', 'USD', 'EUR', 'USDT'),
  terminalIdHash: fc.uint8Array({ minLength: 8, maxLength: 8 }),
  unpredictableNumber: fc.uint8Array({ minLength: 4, maxLength: 4 }),
  date: fc.constantFrom('250314', '991231', '000229'),
});

test('property: every altered answer fails parsing or the session token at the terminal; past the token it fails the other checks too', () => {
  const editsArb = fc.array(fc.record({ position: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }), { minLength: 1, maxLength: 3 });
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.uint8Array({ minLength: 8, maxLength: 8 }),
      fc.integer({ min: 0, max: maxAtc - 1 }),
      dataArb,
      editsArb,
      (master, id, startAtc, generated, edits) => {
        const data: TerminalData = { ...generated };
        const key = deriveCardKey(master, id);
        const card = new DevpayCard(id, key, startAtc);
        card.respond(selectCommand());
        const genuine = card.respond(generateCommand(data));
        const sent = encodeTerminalData(data);
        const original = parseGenerateResponse(genuine, id);
        assert.ok(sessionTokenValid(original, sent), 'the genuine answer passes its session token');
        // What the terminal's reserve token holds for this ATC.
        const tokenCommitment = commitmentOf(id, original.atc, original.atcSecret);
        const altered = Uint8Array.from(genuine);
        const first = edits[0]!.position % altered.length;
        for (const [index, edit] of edits.entries()) {
          // The first edit is a real change; later ones may land on the same byte and undo nothing.
          const position = index === 0 ? first : edit.position % altered.length;
          altered[position]! ^= edit.mask;
        }
        fc.pre(toHex(altered) !== toHex(genuine));
        let parsed: ReturnType<typeof parseGenerateResponse>;
        try {
          parsed = parseGenerateResponse(altered, id);
        } catch (error) {
          assert.ok(error instanceof CardProtocolError, String(error));
          return;
        }
        // The terminal's first check after parsing: an answer altered by chance fails here.
        assert.ok(!sessionTokenValid(parsed, sent), `altered ${toHex(altered)} still parses and passes its session token`);
        const commitmentHolds = equalBytes(commitmentOf(parsed.cardId, parsed.atc, parsed.atcSecret), tokenCommitment);
        const panCvvHold = oneTimePan(parsed.atcSecret) === parsed.pan && oneTimeCvv(parsed.atcSecret) === parsed.cvv;
        const expectedCryptogram = computeCryptogram(key, cryptogramInput(parsed.cardId, parsed.atc, parsed.pan, parsed.cvv, sent));
        const cryptogramHolds = equalBytes(parsed.cryptogram, expectedCryptogram);
        // Only the session token itself altered leaves the rest genuine, so the other checks pass;
        // anything else altered fails the offline checks or the cryptogram as well.
        const restGenuine = (['cardId', 'cryptogram', 'atcSecret'] as const).every((name) => equalBytes(parsed[name], original[name])) &&
          parsed.atc === original.atc && parsed.pan === original.pan && parsed.cvv === original.cvv;
        if (!restGenuine) assert.ok(!(commitmentHolds && panCvvHold && cryptogramHolds), `altered ${toHex(altered)} passed every check but the session token`);
      },
    ),
    { numRuns: 500 },
  );
});

test('property: an alteration resealed with the revealed secret passes the session token but not the offline checks', () => {
  // The session token's key is the ATC secret the same answer reveals, so whoever alters an answer
  // can compute a valid token for it: the token catches corruption and a verbatim replay to other
  // terminal data, not a deliberate change. The commitment/PAN/CVV checks and central's cryptogram do.
  const valueArb = fc.record({
    field: fc.constantFrom('atc', 'pan', 'cvv', 'cryptogram', 'atcSecret'),
    flip: fc.nat(),
    mask: fc.integer({ min: 1, max: 255 }),
  });
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: maxAtc - 2 }), dataArb, valueArb, (master, id, startAtc, generated, change) => {
      const data: TerminalData = { ...generated };
      const sent = encodeTerminalData(data);
      const key = deriveCardKey(master, id);
      const card = new DevpayCard(id, key, startAtc);
      card.respond(selectCommand());
      const genuine = parseGenerateResponse(card.respond(generateCommand(data)), id);
      const tokenCommitment = commitmentOf(id, genuine.atc, genuine.atcSecret);
      const forged = { ...genuine, atcSecret: Uint8Array.from(genuine.atcSecret), cryptogram: Uint8Array.from(genuine.cryptogram) };
      if (change.field === 'atc') forged.atc = genuine.atc + 1;
      if (change.field === 'pan') {
        // Another PAN in the BIN with a valid Luhn digit, so it would parse.
        const body = genuine.pan.slice(0, 6) + String((Number(genuine.pan[6]) + 1) % 10) + genuine.pan.slice(7, 15);
        forged.pan = body + luhnCheckDigit(body);
      }
      if (change.field === 'cvv') forged.cvv = String((Number(genuine.cvv) + 1) % 1000).padStart(3, '0');
      if (change.field === 'cryptogram') forged.cryptogram[change.flip % forged.cryptogram.length]! ^= change.mask;
      if (change.field === 'atcSecret') forged.atcSecret[change.flip % forged.atcSecret.length]! ^= change.mask;
      forged.sessionToken = computeSessionToken(forged.atcSecret, cryptogramInput(forged.cardId, forged.atc, forged.pan, forged.cvv, sent), forged.cryptogram);
      assert.ok(sessionTokenValid(forged, sent), 'a resealed answer passes the session token');
      const commitmentHolds = forged.atc === genuine.atc && equalBytes(commitmentOf(forged.cardId, forged.atc, forged.atcSecret), tokenCommitment);
      const panCvvHold = oneTimePan(forged.atcSecret) === forged.pan && oneTimeCvv(forged.atcSecret) === forged.cvv;
      const cryptogramHolds = equalBytes(forged.cryptogram, computeCryptogram(key, cryptogramInput(forged.cardId, forged.atc, forged.pan, forged.cvv, sent)));
      // Offline, a forged ATC, PAN, CVV or secret fails the commitment or PAN/CVV check; a forged
      // cryptogram passes them (the terminal cannot check it) and is left to central. The secret is
      // not under the cryptogram: central derives its own, so only the offline check needs it.
      if (change.field === 'cryptogram') assert.ok(commitmentHolds && panCvvHold, 'an altered cryptogram passes every offline check');
      else assert.ok(!(commitmentHolds && panCvvHold), `resealed ${change.field} passed the offline checks`);
      assert.equal(cryptogramHolds, change.field === 'atcSecret', `resealed ${change.field}: cryptogram check`);
    }),
    { numRuns: 300 },
  );
});
