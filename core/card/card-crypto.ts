// The DevPay card's cryptography, shared by the virtual card, central and the terminal.
// Central holds a card master key; each card's key is HMAC-SHA256(master, label || card id), as EMV
// derives unique keys. From its key the card derives, per application transaction counter (ATC),
// a one-time secret; the one-time PAN and CVV are derived from that secret, and a one-way
// commitment to it goes into the reserve tokens central signs for terminals. The cryptogram binds
// card, ATC, PAN, CVV and the terminal's data under the card key, so only central can check it.
// A terminal holds neither the master key nor any card key.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { luhnCheckDigit } from './luhn.js';

const encoder = new TextEncoder();

export const cardIdBytes = 8;
export const atcSecretBytes = 32;
export const cryptogramBytes = 16;
export const maxAtc = 0xffff_ffff;
/** DevPay's BIN range (issuer identification number), the first six digits of every one-time PAN. */
export const devpayBin = '899100';
export const panDigits = 16;
export const cvvDigits = 3;

function label(text: string): Uint8Array {
  return encoder.encode(text);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function atcBytes(atc: number): Uint8Array {
  if (!Number.isInteger(atc) || atc < 0 || atc > maxAtc) throw new RangeError(`ATC out of range: ${atc}`);
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, atc);
  return out;
}

export function deriveCardKey(masterKey: Uint8Array, cardId: Uint8Array): Uint8Array {
  return hmac(sha256, masterKey, concat(label('devpay-card-key-v1'), cardId));
}

/** The ATC's one-time secret; the card reveals it for offline use, once. */
export function deriveAtcSecret(cardKey: Uint8Array, atc: number): Uint8Array {
  return hmac(sha256, cardKey, concat(label('devpay-atc-secret-v1'), atcBytes(atc)));
}

/** What a reserve token holds instead of the secret: SHA-256 over card id, ATC and secret. */
export function commitmentOf(cardId: Uint8Array, atc: number, atcSecret: Uint8Array): Uint8Array {
  return sha256(concat(label('devpay-commit-v1'), cardId, atcBytes(atc), atcSecret));
}

/** Decimal digits from a MAC, by reduction of successive bytes mod 10 (digits 6-9 come out about 2.3% less often than 1/10). */
function digitsFrom(bytes: Uint8Array, count: number): string {
  let out = '';
  for (let index = 0; out.length < count; index += 1) out += String(bytes[index % bytes.length]! % 10);
  return out;
}

export function oneTimePan(atcSecret: Uint8Array): string {
  const body = devpayBin + digitsFrom(hmac(sha256, atcSecret, label('devpay-pan-v1')), panDigits - devpayBin.length - 1);
  return body + luhnCheckDigit(body);
}

export function oneTimeCvv(atcSecret: Uint8Array): string {
  return digitsFrom(hmac(sha256, atcSecret, label('devpay-cvv-v1')), cvvDigits);
}

/** The terminal's data as sent in GENERATE; the cryptogram covers these exact bytes. */
export interface TerminalData {
  amountMinor: bigint;
  currency: string;
  /** First 8 bytes of SHA-256 of the terminal id (the id itself is up to 64 characters). */
  terminalIdHash: Uint8Array;
  unpredictableNumber: Uint8Array;
  /** Transaction date, YYMMDD in UTC. */
  date: string;
}

export function terminalIdHash(terminalId: string): Uint8Array {
  return sha256(label(terminalId)).slice(0, 8);
}

/** Digits as they appear on the card: the 16-digit PAN as 8 BCD bytes, the CVV as 2 (F-padded). */
export function packDigits(digits: string, byteCount: number): Uint8Array {
  const padded = digits.padEnd(byteCount * 2, 'F');
  const out = new Uint8Array(byteCount);
  for (let index = 0; index < byteCount; index += 1) out[index] = Number.parseInt(padded.slice(index * 2, index * 2 + 2), 16);
  return out;
}

/** How the cardholder was verified, as the card reports it in GENERATE (tag c8) and binds into its cryptogram. */
export type CardCvm = 'card_pin' | 'none';

/** The CVM byte of the cryptogram input and of GENERATE's c8 field. */
export const cvmBytes: Readonly<Record<CardCvm, number>> = { none: 0x00, card_pin: 0x01 };

/**
 * The bytes the cryptogram (and the session token) cover. The last byte is the card's CVM result,
 * so a terminal that claims a PIN the card did not verify holds a cryptogram that fails at
 * central. `cvm` defaults to none: a tap without a PIN, as every tap before protocol version 2.
 */
export function cryptogramInput(cardId: Uint8Array, atc: number, pan: string, cvv: string, terminalDataBytes: Uint8Array, cvm: CardCvm = 'none'): Uint8Array {
  return concat(label('devpay-ac-v2'), cardId, atcBytes(atc), packDigits(pan, 8), packDigits(cvv, 2), terminalDataBytes, Uint8Array.of(cvmBytes[cvm]));
}

export function computeCryptogram(cardKey: Uint8Array, input: Uint8Array): Uint8Array {
  return hmac(sha256, cardKey, input).slice(0, cryptogramBytes);
}

export const sessionTokenBytes = 16;

/**
 * The tap's session token: a MAC under the ATC's one-time secret over everything the card
 * answered and the terminal's data. The terminal checks it with the revealed secret before it
 * trusts any field, so a response altered anywhere on its way (or a cryptogram copied from
 * another tap) is declined at the counter, online or offline; central checks the cryptogram.
 */
export function computeSessionToken(atcSecret: Uint8Array, input: Uint8Array, cryptogram: Uint8Array): Uint8Array {
  return hmac(sha256, atcSecret, concat(label('devpay-session-v1'), input, cryptogram)).slice(0, sessionTokenBytes);
}

/** Constant-time comparison of two byte strings. */
export function equalBytes(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false;
  let difference = 0;
  for (let index = 0; index < left.length; index += 1) difference |= left[index]! ^ right[index]!;
  return difference === 0;
}
