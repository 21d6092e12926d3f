// The DevPay card application's APDUs, as pure codecs: SELECT by AID and GENERATE (the tap's
// one command). Responses are parsed strictly: every field present once with its exact length,
// no unknown tags, no trailing bytes, digits that are digits, a PAN in DevPay's BIN range with a
// valid Luhn digit. Anything else is a named CardProtocolError; nothing reaches a decision or the
// ledger unparsed. docs/card-protocol.md gives the byte layouts and status words.
import { fromHex, toHex } from '../core/clock.js';
import { atcSecretBytes, cardIdBytes, cryptogramBytes, devpayBin, sessionTokenBytes, type TerminalData } from '../core/card/card-crypto.js';
import { encodeTerminalData, terminalDataBytes } from '../core/card/terminal-data.js';

// The terminal data codec lives in core (central checks it too); it is part of this protocol.
export { decodeTerminalData, encodeTerminalData, terminalDataBytes, transactionDate } from '../core/card/terminal-data.js';
import { isLuhnValid } from '../core/card/luhn.js';

export const devpayAid = fromHex('f044455650415901');
export const cardProtocolVersion = 1;

export const cardStatusWords = {
  ok: 0x9000,
  wrongLength: 0x6700,
  conditionsNotSatisfied: 0x6985,
  cardExhausted: 0x6983,
  incorrectData: 0x6a80,
  applicationNotFound: 0x6a82,
  insNotSupported: 0x6d00,
  claNotSupported: 0x6e00,
} as const;

export const tags = { version: 0xc0, cardId: 0xc1, atc: 0xc2, pan: 0xc3, cvv: 0xc4, cryptogram: 0xc5, atcSecret: 0xc6, sessionToken: 0xc7 } as const;

export type CardProtocolErrorCode = 'card_status' | 'malformed_response' | 'unsupported_version' | 'wrong_card';

export class CardProtocolError extends Error {
  constructor(
    readonly code: CardProtocolErrorCode,
    message: string,
    readonly statusWord?: number,
  ) {
    super(message);
    this.name = 'CardProtocolError';
  }
}

/** What GENERATE returns, parsed. The PAN, CVV and secret never leave memory in clear. */
export interface CardTapData {
  cardId: Uint8Array;
  atc: number;
  pan: string;
  cvv: string;
  cryptogram: Uint8Array;
  atcSecret: Uint8Array;
  sessionToken: Uint8Array;
}

export function selectCommand(): Uint8Array {
  return Uint8Array.from([0x00, 0xa4, 0x04, 0x00, devpayAid.length, ...devpayAid, 0x00]);
}

export function generateCommand(data: TerminalData): Uint8Array {
  return Uint8Array.from([0x80, 0xae, 0x00, 0x00, terminalDataBytes, ...encodeTerminalData(data), 0x00]);
}

function splitStatus(response: Uint8Array): { data: Uint8Array; statusWord: number } {
  if (response.length < 2) throw new CardProtocolError('malformed_response', `response of ${response.length} bytes has no status word`);
  const statusWord = (response[response.length - 2]! << 8) | response[response.length - 1]!;
  if (statusWord !== cardStatusWords.ok) {
    throw new CardProtocolError('card_status', `card answered status ${statusWord.toString(16).padStart(4, '0').toUpperCase()}`, statusWord);
  }
  return { data: response.subarray(0, response.length - 2), statusWord };
}

/** Reads tag-length-value fields; each allowed tag at most once, exact lengths, nothing left over. */
function readFields(data: Uint8Array, lengths: ReadonlyMap<number, number>): Map<number, Uint8Array> {
  const fields = new Map<number, Uint8Array>();
  let offset = 0;
  while (offset < data.length) {
    if (offset + 2 > data.length) throw new CardProtocolError('malformed_response', `truncated field header at byte ${offset}`);
    const tag = data[offset]!;
    const length = data[offset + 1]!;
    const expected = lengths.get(tag);
    if (expected === undefined) throw new CardProtocolError('malformed_response', `unknown tag ${tag.toString(16)} at byte ${offset}`);
    if (fields.has(tag)) throw new CardProtocolError('malformed_response', `tag ${tag.toString(16)} repeated`);
    if (length !== expected) throw new CardProtocolError('malformed_response', `tag ${tag.toString(16)} has length ${length}, expected ${expected}`);
    if (offset + 2 + length > data.length) throw new CardProtocolError('malformed_response', `tag ${tag.toString(16)} runs past the response`);
    fields.set(tag, data.slice(offset + 2, offset + 2 + length));
    offset += 2 + length;
  }
  for (const tag of lengths.keys()) {
    if (!fields.has(tag)) throw new CardProtocolError('malformed_response', `tag ${tag.toString(16)} missing`);
  }
  return fields;
}

export function parseSelectResponse(response: Uint8Array): { version: number; cardId: Uint8Array } {
  const { data } = splitStatus(response);
  const fields = readFields(data, new Map([[tags.version, 1], [tags.cardId, cardIdBytes]]));
  const version = fields.get(tags.version)![0]!;
  if (version !== cardProtocolVersion) throw new CardProtocolError('unsupported_version', `card speaks protocol version ${version}`);
  return { version, cardId: fields.get(tags.cardId)! };
}

function unpackDigits(bytes: Uint8Array, count: number, what: string): string {
  const hex = toHex(bytes).toUpperCase();
  const digits = hex.slice(0, count);
  if (!/^\d+$/.test(digits) || !/^F*$/.test(hex.slice(count))) throw new CardProtocolError('malformed_response', `${what} is not ${count} BCD digits`);
  return digits;
}

export function parseGenerateResponse(response: Uint8Array, selectedCardId: Uint8Array): CardTapData {
  const { data } = splitStatus(response);
  const fields = readFields(
    data,
    new Map([
      [tags.cardId, cardIdBytes],
      [tags.atc, 4],
      [tags.pan, 8],
      [tags.cvv, 2],
      [tags.cryptogram, cryptogramBytes],
      [tags.atcSecret, atcSecretBytes],
      [tags.sessionToken, sessionTokenBytes],
    ]),
  );
  const cardId = fields.get(tags.cardId)!;
  if (toHex(cardId) !== toHex(selectedCardId)) throw new CardProtocolError('wrong_card', 'GENERATE answered for a card other than the one selected');
  const atcField = fields.get(tags.atc)!;
  const atc = new DataView(atcField.buffer, atcField.byteOffset, 4).getUint32(0);
  if (atc === 0) throw new CardProtocolError('malformed_response', 'ATC 0 is never generated');
  const pan = unpackDigits(fields.get(tags.pan)!, 16, 'PAN');
  if (!pan.startsWith(devpayBin) || !isLuhnValid(pan)) throw new CardProtocolError('malformed_response', 'PAN is outside the DevPay BIN range or fails its Luhn check');
  const cvv = unpackDigits(fields.get(tags.cvv)!, 3, 'CVV');
  return { cardId, atc, pan, cvv, cryptogram: fields.get(tags.cryptogram)!, atcSecret: fields.get(tags.atcSecret)!, sessionToken: fields.get(tags.sessionToken)! };
}
