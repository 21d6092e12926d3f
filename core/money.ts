// Amounts as bigint minor units, parsed and checked strictly. A decimal amount typed by a person
// ("12.50") or a minor-unit string from disk or the wire ("1250") is accepted only if it is an
// exact integer number of minor units of its currency and inside a signed 64-bit range; floats,
// exponents, extra decimals and anything else are named errors, never rounded.
import { currencies, isCurrencyCode, type CurrencyCode } from './currency.js';

export const minInt64 = -(2n ** 63n);
export const maxInt64 = 2n ** 63n - 1n;

export type MoneyErrorCode = 'not_a_string' | 'malformed_amount' | 'too_many_decimals' | 'out_of_range' | 'unknown_currency';

export class MoneyError extends Error {
  constructor(
    readonly code: MoneyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MoneyError';
  }
}

export interface Money {
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
}

function checkRange(value: bigint, source: string): bigint {
  if (value < minInt64 || value > maxInt64) throw new MoneyError('out_of_range', `${source} is outside the signed 64-bit range`);
  return value;
}

export function parseCurrency(value: unknown): CurrencyCode {
  if (typeof value !== 'string' || !isCurrencyCode(value)) throw new MoneyError('unknown_currency', `unknown currency ${JSON.stringify(value)}`);
  return value;
}

/** Parses a minor-unit integer string as stored on disk and sent on the wire: "-1250", "0". */
export function parseMinorUnits(text: unknown): bigint {
  if (typeof text !== 'string') throw new MoneyError('not_a_string', 'amounts travel as decimal strings, never as numbers');
  if (!/^(0|-?[1-9]\d{0,19})$/.test(text)) throw new MoneyError('malformed_amount', `not a minor-unit integer: ${JSON.stringify(text.slice(0, 32))}`);
  return checkRange(BigInt(text), text);
}

/**
 * Parses a decimal amount in major units ("12.5", "-0.01", "1500000") for a currency. More
 * decimals than the currency's exponent is an error, not a rounding.
 */
export function parseDecimalAmount(text: unknown, currency: CurrencyCode): bigint {
  if (typeof text !== 'string') throw new MoneyError('not_a_string', 'amounts are parsed from strings, never from floats');
  const match = /^(-?)(0|[1-9]\d{0,19})(?:\.(\d{1,18}))?$/.exec(text);
  if (!match) throw new MoneyError('malformed_amount', `not a decimal amount: ${JSON.stringify(text.slice(0, 32))}`);
  const [, sign, integerPart, fractionPart = ''] = match;
  const { exponent } = currencies[currency];
  if (fractionPart.length > exponent) {
    throw new MoneyError('too_many_decimals', `${currency} has ${exponent} decimal places; ${JSON.stringify(text)} has ${fractionPart.length}`);
  }
  const minor = BigInt(integerPart! + fractionPart.padEnd(exponent, '0'));
  return checkRange(sign === '-' ? -minor : minor, text);
}

export function formatMinorUnits(amountMinor: bigint): string {
  return checkRange(amountMinor, amountMinor.toString()).toString();
}

/** Adds with the 64-bit range enforced, so a balance can never silently exceed what disk holds. */
export function addChecked(left: bigint, right: bigint): bigint {
  return checkRange(left + right, 'sum');
}
