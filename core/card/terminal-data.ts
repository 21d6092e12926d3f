// The 27 bytes of terminal data a tap sends the card in GENERATE and the card's cryptogram covers:
// amount (u64, big-endian minor units), currency (4 ASCII letters, space-padded), the first 8
// bytes of SHA-256 of the terminal id, a 4-byte unpredictable number, and the date as YYMMDD
// BCD. Central decodes the same bytes to check that a cryptogram is for this payment.
import { toHex } from '../clock.js';
import { packDigits, type TerminalData } from './card-crypto.js';

export const terminalDataBytes = 27;

export function encodeTerminalData(data: TerminalData): Uint8Array {
  if (data.amountMinor <= 0n || data.amountMinor > 0xffff_ffff_ffff_ffffn) throw new RangeError('amount out of range');
  if (!/^[A-Z]{3,4}$/.test(data.currency)) throw new RangeError('currency must be 3 or 4 letters');
  if (data.terminalIdHash.length !== 8 || data.unpredictableNumber.length !== 4) throw new RangeError('terminal id hash is 8 bytes, unpredictable number 4');
  if (!/^\d{6}$/.test(data.date)) throw new RangeError('date must be YYMMDD');
  const out = new Uint8Array(terminalDataBytes);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, data.amountMinor);
  out.set(new TextEncoder().encode(data.currency.padEnd(4, ' ')), 8);
  out.set(data.terminalIdHash, 12);
  out.set(data.unpredictableNumber, 20);
  out.set(packDigits(data.date, 3), 24);
  return out;
}

/** Decodes the terminal data a card received; null when it is not well formed. */
export function decodeTerminalData(bytes: Uint8Array): TerminalData | null {
  if (bytes.length !== terminalDataBytes) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const amountMinor = view.getBigUint64(0);
  const currency = new TextDecoder().decode(bytes.slice(8, 12)).replace(/ +$/, '');
  const date = toHex(bytes.slice(24, 27));
  if (amountMinor === 0n || !/^[A-Z]{3,4}$/.test(currency) || !/^\d{6}$/.test(date)) return null;
  return { amountMinor, currency, terminalIdHash: bytes.slice(12, 20), unpredictableNumber: bytes.slice(20, 24), date };
}

/** YYMMDD of a UTC time. */
export function transactionDate(timeMs: number): string {
  const iso = new Date(timeMs).toISOString();
  return iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
}

