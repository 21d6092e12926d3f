// The DevPay card application's APDUs, as pure codecs: SELECT by AID (which also hands out the
// PIN's first challenge) and GENERATE (the tap's one command); the PIN's GET CHALLENGE and VERIFY
// are in devpay-card-verify.ts. Responses are parsed strictly: every field present once with its
// exact length, no unknown tags, no trailing bytes, digits that are digits, a PAN in DevPay's BIN
// range with a valid Luhn digit. Anything else is a named CardProtocolError; nothing reaches a
// decision or the ledger unparsed. docs/card-protocol.md gives the byte layouts and status words.
import { fromHex, toHex } from '../core/clock.js';
import { atcSecretBytes, cardIdBytes, cryptogramBytes, cvmBytes, devpayBin, sessionTokenBytes, type CardCvm, type TerminalData } from '../core/card/card-crypto.js';
import { pinChallengeBytes, pinKeyBytes } from '../core/card/pin-encipherment.js';
import { encodeTerminalData, terminalDataBytes } from '../core/card/terminal-data.js';

// The terminal data codec lives in core (central checks it too); it is part of this protocol.
export { decodeTerminalData, encodeTerminalData, terminalDataBytes, transactionDate } from '../core/card/terminal-data.js';
import { isLuhnValid } from '../core/card/luhn.js';

export const devpayAid = fromHex('f044455650415901');
/**
 * Version 2 added the cardholder's PIN: the PIN key, tries and a first challenge in SELECT, GET
 * CHALLENGE (for a retry), VERIFY, the CVM result in GENERATE.
 */
export const cardProtocolVersion = 2;
/** The PIN try limit of a DevPay card: the third wrong PIN in a row blocks it. */
export const maxPinTries = 3;

export const cardStatusWords = {
  ok: 0x9000,
  wrongLength: 0x6700,
  conditionsNotSatisfied: 0x6985,
  cardExhausted: 0x6983,
  /** VERIFY: the PIN is blocked (the same word as an exhausted ATC, answered to another command). */
  pinBlocked: 0x6983,
  /** VERIFY: a wrong PIN; the low nibble is the tries left (63C1, 63C2). */
  pinWrong: 0x63c0,
  incorrectData: 0x6a80,
  applicationNotFound: 0x6a82,
  insNotSupported: 0x6d00,
  claNotSupported: 0x6e00,
} as const;

export const tags = { version: 0xc0, cardId: 0xc1, atc: 0xc2, pan: 0xc3, cvv: 0xc4, cryptogram: 0xc5, atcSecret: 0xc6, sessionToken: 0xc7, cvm: 0xc8, pinKey: 0xc9, pinTriesLeft: 0xca, pinChallenge: 0xcb } as const;

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
  /** The card's CVM result for this GENERATE (tag c8), also under the cryptogram and session token. */
  cvm: CardCvm;
}

/** What SELECT returns, parsed: the card, and what the PIN pad needs to seal a PIN to it. */
export interface CardSelection {
  version: number;
  cardId: Uint8Array;
  /** The card's X25519 PIN key (core/card/pin-encipherment.ts). */
  pinKey: Uint8Array;
  /** Wrong PINs the card still accepts before it blocks; 0 is blocked. */
  pinTriesLeft: number;
  /**
   * The card's fresh challenge for the first VERIFY of this selection (single use, as GET
   * CHALLENGE's): it saves the PIN's first try an exchange. A retry asks GET CHALLENGE for another.
   */
  pinChallenge: Uint8Array;
}

export function selectCommand(): Uint8Array {
  return Uint8Array.from([0x00, 0xa4, 0x04, 0x00, devpayAid.length, ...devpayAid, 0x00]);
}

export function generateCommand(data: TerminalData): Uint8Array {
  return Uint8Array.from([0x80, 0xae, 0x00, 0x00, terminalDataBytes, ...encodeTerminalData(data), 0x00]);
}

export function splitStatus(response: Uint8Array): { data: Uint8Array; statusWord: number } {
  if (response.length < 2) throw new CardProtocolError('malformed_response', `response of ${response.length} bytes has no status word`);
  const statusWord = (response[response.length - 2]! << 8) | response[response.length - 1]!;
  if (statusWord !== cardStatusWords.ok) {
    throw new CardProtocolError('card_status', `card answered status ${statusWord.toString(16).padStart(4, '0').toUpperCase()}`, statusWord);
  }
  return { data: response.subarray(0, response.length - 2), statusWord };
}

/**
 * Reads tag-length-value fields; each allowed tag at most once, exact lengths, nothing left over.
 * Every tag is required unless named in `optional` (the caller then checks it is there).
 */
function readFields(data: Uint8Array, lengths: ReadonlyMap<number, number>, optional: ReadonlySet<number> = new Set()): Map<number, Uint8Array> {
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
    if (!fields.has(tag) && !optional.has(tag)) throw new CardProtocolError('malformed_response', `tag ${tag.toString(16)} missing`);
  }
  return fields;
}

export function parseSelectResponse(response: Uint8Array): CardSelection {
  const { data } = splitStatus(response);
  // The PIN fields are read as optional so that a version 1 card (which has none) is named by its
  // version rather than by a missing field; from version 2 on they are required.
  const pinTags = new Set<number>([tags.pinKey, tags.pinTriesLeft, tags.pinChallenge]);
  const fields = readFields(
    data,
    new Map([[tags.version, 1], [tags.cardId, cardIdBytes], [tags.pinKey, pinKeyBytes], [tags.pinTriesLeft, 1], [tags.pinChallenge, pinChallengeBytes]]),
    pinTags,
  );
  const version = fields.get(tags.version)![0]!;
  if (version !== cardProtocolVersion) throw new CardProtocolError('unsupported_version', `card speaks protocol version ${version}`);
  for (const tag of pinTags) if (!fields.has(tag)) throw new CardProtocolError('malformed_response', `tag ${tag.toString(16)} missing`);
  const pinTriesLeft = fields.get(tags.pinTriesLeft)![0]!;
  if (pinTriesLeft > maxPinTries) throw new CardProtocolError('malformed_response', `PIN tries left ${pinTriesLeft} is above the card's limit of ${maxPinTries}`);
  return { version, cardId: fields.get(tags.cardId)!, pinKey: fields.get(tags.pinKey)!, pinTriesLeft, pinChallenge: fields.get(tags.pinChallenge)! };
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
      [tags.cvm, 1],
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
  const cvmByte = fields.get(tags.cvm)![0]!;
  const cvm = (Object.keys(cvmBytes) as CardCvm[]).find((name) => cvmBytes[name] === cvmByte);
  if (!cvm) throw new CardProtocolError('malformed_response', `CVM result ${cvmByte.toString(16)} is neither 00 nor 01`);
  return { cardId, atc, pan, cvv, cryptogram: fields.get(tags.cryptogram)!, atcSecret: fields.get(tags.atcSecret)!, sessionToken: fields.get(tags.sessionToken)!, cvm };
}
