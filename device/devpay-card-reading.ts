// One tap's conversation with a DevPay card: SELECT, then GENERATE with the terminal's data,
// each under its own deadline. Whatever goes wrong is a DeviceError (no card, removed, timeout,
// transport) or a CardProtocolError (status word, malformed answer); the caller decides nothing
// and posts nothing until this returns parsed data.
import type { CallOptions, CardReader } from './capabilities.js';
import type { TerminalData } from '../core/card/card-crypto.js';
import { generateCommand, parseGenerateResponse, parseSelectResponse, selectCommand, type CardTapData } from './devpay-card-apdu.js';

export interface CardReadOptions {
  /** Deadline of each APDU exchange. */
  exchangeTimeoutMs: number;
  signal?: AbortSignal;
}

export async function readDevpayCard(reader: CardReader, terminalData: TerminalData, options: CardReadOptions): Promise<CardTapData> {
  const call: CallOptions = { timeoutMs: options.exchangeTimeoutMs, ...(options.signal ? { signal: options.signal } : {}) };
  const selected = parseSelectResponse(await reader.transmit(selectCommand(), call));
  return parseGenerateResponse(await reader.transmit(generateCommand(terminalData), call), selected.cardId);
}
