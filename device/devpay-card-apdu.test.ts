// Table tests of the DevPay card APDU codecs: command bytes, the terminal data layout, and the
// strict parsing of SELECT and GENERATE responses (eight fields, the session token last), where
// every way a response can be wrong is a CardProtocolError with a named code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fromHex, toHex } from '../core/clock.js';
import { terminalIdHash, type TerminalData } from '../core/card/card-crypto.js';
import {
  CardProtocolError,
  cardStatusWords,
  decodeTerminalData,
  encodeTerminalData,
  generateCommand,
  parseGenerateResponse,
  parseSelectResponse,
  selectCommand,
  transactionDate,
  type CardProtocolErrorCode,
} from './devpay-card-apdu.js';

// The worked example of docs/card-protocol.md: card 0011223344556677, ATC 1, 12.50 USD.
const cardId = fromHex('0011223344556677');
const exampleData: TerminalData = {
  amountMinor: 1250n,
  currency: 'USD',
  terminalIdHash: terminalIdHash('t-alpha001'),
  unpredictableNumber: fromHex('a1b2c3d4'),
  date: '250314',
};
const genuineFields: Array<[string, string]> = [
  ['c1', '0011223344556677'],
  ['c2', '00000001'],
  ['c3', '8991003655506580'],
  ['c4', '092f'],
  ['c5', '8c1ad575dbf81a51be0a9a4b9306e7ae'],
  ['c6', '5cbb0b1495778435e6b4f7277f59beb921efc21645c5f2c8dae9c32ea5b534dc'],
  ['c8', '00'],
  ['c7', '2ab18ab68f9bf4529be0cf315b69bb49'],
];
const pinKeyHex = '25e11eb0e2815a27c9b86311dfe2eee22e0d6e22d816795a63e76a49eb892001';

/** Tag-length-value fields with their true lengths, then a status word. */
function response(fields: Array<[string, string]>, statusWordHex = '9000'): Uint8Array {
  return fromHex(fields.map(([tag, value]) => tag + (value.length / 2).toString(16).padStart(2, '0') + value).join('') + statusWordHex);
}

function replaced(tag: string, value: string): Array<[string, string]> {
  return genuineFields.map(([name, old]) => [name, name === tag ? value : old]);
}

function without(tag: string): Array<[string, string]> {
  return genuineFields.filter(([name]) => name !== tag);
}

function rejects(parse: () => unknown, code: CardProtocolErrorCode, what: string, statusWord?: number): void {
  assert.throws(
    parse,
    (error: unknown) => error instanceof CardProtocolError && error.code === code && error.statusWord === statusWord,
    what,
  );
}

test('SELECT and GENERATE command bytes', () => {
  assert.equal(toHex(selectCommand()), '00a4040008f04445565041590100');
  assert.equal(toHex(generateCommand(exampleData)), '80ae00001b' + '00000000000004e255534420e67cbb511d92b1c9a1b2c3d4250314' + '00');
});

test('a genuine GENERATE response parses, in any field order', () => {
  for (const fields of [genuineFields, [...genuineFields].reverse()]) {
    const parsed = parseGenerateResponse(response(fields), cardId);
    assert.equal(toHex(parsed.cardId), '0011223344556677');
    assert.equal(parsed.atc, 1);
    assert.equal(parsed.pan, '8991003655506580');
    assert.equal(parsed.cvv, '092');
    assert.equal(toHex(parsed.cryptogram), '8c1ad575dbf81a51be0a9a4b9306e7ae');
    assert.equal(toHex(parsed.atcSecret), genuineFields[5]![1]);
    assert.equal(toHex(parsed.sessionToken), '2ab18ab68f9bf4529be0cf315b69bb49');
    assert.equal(parsed.cvm, 'none');
  }
  assert.equal(parseGenerateResponse(response(replaced('c2', 'ffffffff')), cardId).atc, 0xffff_ffff);
  assert.equal(parseGenerateResponse(response(replaced('c8', '01')), cardId).cvm, 'card_pin');
});

test('every status word but 9000 is card_status carrying the word', () => {
  const words = [...Object.values(cardStatusWords).filter((word) => word !== cardStatusWords.ok), 0x6f00, 0x6a86, 0x6100, 0x6c10, 0x9001, 0x0000];
  for (const word of words) {
    const hex = word.toString(16).padStart(4, '0');
    rejects(() => parseSelectResponse(fromHex(hex)), 'card_status', `SELECT ${hex}`, word);
    rejects(() => parseGenerateResponse(fromHex(hex), cardId), 'card_status', `GENERATE ${hex}`, word);
    // Data in front of an error status does not make it a success.
    rejects(() => parseGenerateResponse(response(genuineFields, hex), cardId), 'card_status', `GENERATE data + ${hex}`, word);
  }
});

test('malformed GENERATE responses are named', () => {
  const genuineHex = toHex(response(genuineFields)).slice(0, -4);
  const table: Array<[string, string, CardProtocolErrorCode]> = [
    ['empty', '', 'malformed_response'],
    ['one byte', '90', 'malformed_response'],
    ['no data', '9000', 'malformed_response'],
    ['truncated field header', genuineHex + 'c6' + '9000', 'malformed_response'],
    ['value runs past the end', genuineHex.slice(0, -2) + '9000', 'malformed_response'],
    ['repeated tag', toHex(response([...genuineFields, ['c2', '00000002']])), 'malformed_response'],
    ['unknown tag cb', toHex(response([...genuineFields, ['cb', '00']])), 'malformed_response'],
    ['SELECT tag c9 in GENERATE', toHex(response([...genuineFields, ['c9', pinKeyHex]])), 'malformed_response'],
    ['repeated session token', toHex(response([...genuineFields, ['c7', '2ab18ab68f9bf4529be0cf315b69bb49']])), 'malformed_response'],
    ['repeated CVM result', toHex(response([...genuineFields, ['c8', '00']])), 'malformed_response'],
    ['missing CVM result (the seven fields of version 1)', toHex(response(without('c8'))), 'malformed_response'],
    ['CVM result 02', toHex(response(replaced('c8', '02'))), 'malformed_response'],
    ['CVM result ff', toHex(response(replaced('c8', 'ff'))), 'malformed_response'],
    ['CVM result of 2 bytes', toHex(response(replaced('c8', '0001'))), 'malformed_response'],
    ['SELECT tag c0 in GENERATE', toHex(response([['c0', '01'], ...genuineFields])), 'malformed_response'],
    ['ATC of 3 bytes', toHex(response(replaced('c2', '000001'))), 'malformed_response'],
    ['ATC 0', toHex(response(replaced('c2', '00000000'))), 'malformed_response'],
    ['cryptogram of 17 bytes', toHex(response(replaced('c5', '8c1ad575dbf81a51be0a9a4b9306e7ae00'))), 'malformed_response'],
    ['secret of 31 bytes', toHex(response(replaced('c6', genuineFields[5]![1].slice(2)))), 'malformed_response'],
    ['session token of 15 bytes', toHex(response(replaced('c7', '2ab18ab68f9bf4529be0cf315b69bb'))), 'malformed_response'],
    ['session token of 17 bytes', toHex(response(replaced('c7', '2ab18ab68f9bf4529be0cf315b69bb4900'))), 'malformed_response'],
    ['PAN of 9 bytes', toHex(response(replaced('c3', '899100365550658000'))), 'malformed_response'],
    ['missing secret', toHex(response(without('c6'))), 'malformed_response'],
    ['missing session token (the six fields of before)', toHex(response(without('c7'))), 'malformed_response'],
    ['missing card id', toHex(response(without('c1'))), 'malformed_response'],
    ['PAN not BCD', toHex(response(replaced('c3', '899100365550658a'))), 'malformed_response'],
    ['PAN F-padded', toHex(response(replaced('c3', '899100365550658f'))), 'malformed_response'],
    ['CVV not BCD', toHex(response(replaced('c4', '09af'))), 'malformed_response'],
    ['CVV pad not F', toHex(response(replaced('c4', '0920'))), 'malformed_response'],
    ['CVV of 2 digits', toHex(response(replaced('c4', '09ff'))), 'malformed_response'],
    ['PAN outside the BIN, Luhn-valid', toHex(response(replaced('c3', '4111111111111111'))), 'malformed_response'],
    ['PAN in the BIN, bad Luhn', toHex(response(replaced('c3', '8991003655506581'))), 'malformed_response'],
    ['wrong card id', toHex(response(replaced('c1', '0011223344556678'))), 'wrong_card'],
  ];
  for (const [what, hex, code] of table) rejects(() => parseGenerateResponse(fromHex(hex), cardId), code, what);
});

test('SELECT responses: version 2, a card id, the PIN key, its tries left and a challenge, nothing else', () => {
  const id = 'c1080011223344556677';
  const key = `c920${pinKeyHex}`;
  const challenge = 'cb080f1e2d3c4b5a6978';
  const pinFields = `${key}ca0103${challenge}`;
  const parsed = parseSelectResponse(fromHex(`c00102${id}${pinFields}9000`));
  assert.equal(parsed.version, 2);
  assert.equal(toHex(parsed.cardId), '0011223344556677');
  assert.equal(toHex(parsed.pinKey), pinKeyHex);
  assert.equal(parsed.pinTriesLeft, 3);
  assert.equal(toHex(parsed.pinChallenge), '0f1e2d3c4b5a6978');
  assert.equal(parseSelectResponse(fromHex(`${challenge}ca0100${key}${id}c001029000`)).pinTriesLeft, 0, 'any order; a blocked PIN is 0 tries');
  const table: Array<[string, string, CardProtocolErrorCode]> = [
    ['version 1 (no PIN fields)', `c00101${id}9000`, 'unsupported_version'],
    ['version 1 with the PIN fields', `c00101${id}${pinFields}9000`, 'unsupported_version'],
    ['version 3', `c00103${id}${pinFields}9000`, 'unsupported_version'],
    ['version 2 without the PIN key', `c00102${id}ca0103${challenge}9000`, 'malformed_response'],
    ['version 2 without the tries', `c00102${id}${key}${challenge}9000`, 'malformed_response'],
    ['version 2 without the challenge (the first draft of version 2)', `c00102${id}${key}ca01039000`, 'malformed_response'],
    ['tries above the limit of 3', `c00102${id}${key}ca0104${challenge}9000`, 'malformed_response'],
    ['PIN key of 31 bytes', `c00102${id}c91f${pinKeyHex.slice(2)}ca0103${challenge}9000`, 'malformed_response'],
    ['tries of 2 bytes', `c00102${id}${key}ca020003${challenge}9000`, 'malformed_response'],
    ['challenge of 7 bytes', `c00102${id}${key}ca0103cb070f1e2d3c4b5a699000`, 'malformed_response'],
    ['challenge of 9 bytes', `c00102${id}${key}ca0103cb090f1e2d3c4b5a6978009000`, 'malformed_response'],
    ['challenge repeated', `c00102${id}${pinFields}${challenge}9000`, 'malformed_response'],
    ['challenge running past the end', `c00102${id}${key}ca0103cb080f1e2d3c9000`, 'malformed_response'],
    ['no card id', `c00102${pinFields}9000`, 'malformed_response'],
    ['no version', `${id}${pinFields}9000`, 'malformed_response'],
    ['card id of 7 bytes', `c00102c10700112233445566${pinFields}9000`, 'malformed_response'],
    ['version of 2 bytes', `c0020002${id}${pinFields}9000`, 'malformed_response'],
    ['trailing byte', `c00102${id}${pinFields}00` + '9000', 'malformed_response'],
    ['GENERATE tag in SELECT', `c00102${id}${pinFields}c204000000019000`, 'malformed_response'],
    ['CVM result in SELECT', `c00102${id}${pinFields}c801009000`, 'malformed_response'],
    ['repeated version', `c00102c00102${id}${pinFields}9000`, 'malformed_response'],
    ['status only', '9000', 'malformed_response'],
  ];
  for (const [what, hex, code] of table) rejects(() => parseSelectResponse(fromHex(hex)), code, what);
});

test('terminal data: layout of the 27 bytes', () => {
  const bytes = encodeTerminalData(exampleData);
  assert.equal(bytes.length, 27);
  assert.equal(toHex(bytes.slice(0, 8)), '00000000000004e2');
  assert.equal(toHex(bytes.slice(8, 12)), '55534420');
  assert.equal(toHex(bytes.slice(12, 20)), 'e67cbb511d92b1c9');
  assert.equal(toHex(bytes.slice(20, 24)), 'a1b2c3d4');
  assert.equal(toHex(bytes.slice(24)), '250314');
  assert.equal(toHex(encodeTerminalData({ ...exampleData, currency: 'USDT', amountMinor: 0xffff_ffff_ffff_ffffn }).slice(0, 12)), 'ffffffffffffffff55534454');
});

test('terminal data that cannot be encoded is a RangeError', () => {
  const table: Array<[string, Partial<TerminalData>]> = [
    ['amount 0', { amountMinor: 0n }],
    ['negative amount', { amountMinor: -1n }],
    ['amount over 64 bits', { amountMinor: 1n << 64n }],
    ['lower-case currency', { currency: 'usd' }],
    ['2-letter currency', { currency: 'US' }],
    ['5-letter currency', { currency: 'USDTT' }],
    ['terminal hash of 7 bytes', { terminalIdHash: new Uint8Array(7) }],
    ['unpredictable number of 5 bytes', { unpredictableNumber: new Uint8Array(5) }],
    ['date with letters', { date: '25031a' }],
    ['date of 8 digits', { date: '20250314' }],
  ];
  for (const [what, change] of table) assert.throws(() => encodeTerminalData({ ...exampleData, ...change }), RangeError, what);
});

test('terminal data a card cannot decode is null', () => {
  const good = toHex(encodeTerminalData(exampleData));
  const table: Array<[string, string]> = [
    ['26 bytes', good.slice(0, -2)],
    ['28 bytes', good + '00'],
    ['amount 0', '0000000000000000' + good.slice(16)],
    ['lower-case currency', good.slice(0, 16) + '75736420' + good.slice(24)],
    ['leading space in currency', good.slice(0, 16) + '20555344' + good.slice(24)],
    ['space inside currency', good.slice(0, 16) + '55532044' + good.slice(24)],
    ['3 letters padded with a NUL', good.slice(0, 16) + '55534400' + good.slice(24)],
    ['two letters and two spaces', good.slice(0, 16) + '55532020' + good.slice(24)],
    ['date not BCD', good.slice(0, -6) + '2503fa'],
  ];
  for (const [what, hex] of table) assert.equal(decodeTerminalData(fromHex(hex)), null, what);
});

test('property: terminal data round-trips through encode and decode', () => {
  const dataArb = fc.record({
    amountMinor: fc.bigInt({ min: 1n, max: 0xffff_ffff_ffff_ffffn }),
    currency: fc.stringMatching(/^[A-Z]{3,4}$/),
    terminalIdHash: fc.uint8Array({ minLength: 8, maxLength: 8 }),
    unpredictableNumber: fc.uint8Array({ minLength: 4, maxLength: 4 }),
    date: fc.stringMatching(/^\d{6}$/),
  });
  fc.assert(
    fc.property(dataArb, (generated) => {
      const data: TerminalData = { ...generated };
      const bytes = encodeTerminalData(data);
      assert.deepEqual(decodeTerminalData(bytes), data);
      assert.equal(toHex(generateCommand(data)), '80ae00001b' + toHex(bytes) + '00');
    }),
  );
});

test('transaction dates are YYMMDD in UTC', () => {
  const table: Array<[number, string]> = [
    [0, '700101'],
    [1_741_910_400_000, '250314'],
    [1_741_996_799_999, '250314'],
    [1_741_996_800_000, '250315'],
    [951_782_400_000, '000229'],
    [946_684_799_999, '991231'],
    [4_102_444_800_000, '000101'],
  ];
  for (const [timeMs, date] of table) assert.equal(transactionDate(timeMs), date, String(timeMs));
});
