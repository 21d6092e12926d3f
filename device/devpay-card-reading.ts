// One tap's conversation with a DevPay card: SELECT, then (when the cardholder's PIN is needed)
// VERIFY under the challenge SELECT answered, and GET CHALLENGE and VERIFY for each retry, then
// GENERATE with the terminal's data, each exchange under its own deadline. Whatever goes wrong is a DeviceError (no card,
// removed, timeout, transport) or a CardProtocolError (status word, malformed answer); the
// caller decides nothing and posts nothing until GENERATE's answer is parsed.
import type { CallOptions, CardReader } from './capabilities.js';
import type { TerminalData } from '../core/card/card-crypto.js';
import { generateCommand, parseGenerateResponse, parseSelectResponse, selectCommand, type CardSelection, type CardTapData } from './devpay-card-apdu.js';
import { getChallengeCommand, parseChallengeResponse, parseVerifyResponse, verifyCommand, type VerifyResult } from './devpay-card-verify.js';

export interface CardReadOptions {
  /** Deadline of each APDU exchange. */
  exchangeTimeoutMs: number;
  signal?: AbortSignal;
}

function callOf(options: CardReadOptions): CallOptions {
  return { timeoutMs: options.exchangeTimeoutMs, ...(options.signal ? { signal: options.signal } : {}) };
}

export async function selectDevpayCard(reader: CardReader, options: CardReadOptions): Promise<CardSelection> {
  return parseSelectResponse(await reader.transmit(selectCommand(), callOf(options)));
}

/** A fresh challenge for a retry's VERIFY (single use); the first try uses SELECT's. */
export async function requestPinChallenge(reader: CardReader, options: CardReadOptions): Promise<Uint8Array> {
  return parseChallengeResponse(await reader.transmit(getChallengeCommand(), callOf(options)));
}

/** Sends the PIN pad's sealed PIN; the terminal never sees the PIN itself. */
export async function verifyPin(reader: CardReader, envelope: Uint8Array, options: CardReadOptions): Promise<VerifyResult> {
  return parseVerifyResponse(await reader.transmit(verifyCommand(envelope), callOf(options)));
}

export async function generateOnCard(reader: CardReader, selection: CardSelection, terminalData: TerminalData, options: CardReadOptions): Promise<CardTapData> {
  return parseGenerateResponse(await reader.transmit(generateCommand(terminalData), callOf(options)), selection.cardId);
}

/** A tap without a PIN: SELECT, then GENERATE. */
export async function readDevpayCard(reader: CardReader, terminalData: TerminalData, options: CardReadOptions): Promise<CardTapData> {
  return generateOnCard(reader, await selectDevpayCard(reader, options), terminalData, options);
}
