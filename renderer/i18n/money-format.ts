// Money as text, only through Intl: minor units become an exact decimal string (integer
// arithmetic on the bigint, never a float) and Intl.NumberFormat formats that string exactly,
// so an 18-digit amount keeps every digit. IRR is shown in whole rials, or, when the merchant
// asked for it, in tomans (ten rials) as a display-only conversion labelled as such. USDT is not
// an ISO currency Intl knows, so it is a formatted number with its code from the catalogue.
import { currencies, type CurrencyCode } from '../../core/currency.js';
import type { Preferences } from '../../core/api/preferences.js';

export type IrrDisplay = Preferences['irrDisplay'];

/** Minor units as a decimal string with `exponent` fraction digits: 1250n, 2 → "12.50". */
export function decimalOf(amountMinor: bigint, exponent: number): string {
  const negative = amountMinor < 0n;
  const digits = (negative ? -amountMinor : amountMinor).toString().padStart(exponent + 1, '0');
  const integerPart = digits.slice(0, digits.length - exponent);
  const fractionPart = digits.slice(digits.length - exponent);
  return (negative ? '-' : '') + integerPart + (exponent > 0 ? `.${fractionPart}` : '');
}

/**
 * Formats a decimal string exactly. Intl.NumberFormat takes decimal strings since ES2023
 * (every engine this UI runs on); the DOM library we compile against still declares only
 * number | bigint, hence the one cast here.
 */
export function formatDecimal(format: Intl.NumberFormat, decimal: string): string {
  return (format.format as unknown as (value: string) => string)(decimal);
}

/** How an amount is shown: a complete Intl currency text, or a number with a unit message. */
export type MoneyShape =
  | { kind: 'currency'; options: Intl.NumberFormatOptions; decimal: string }
  | { kind: 'unit'; unit: 'toman' | 'usdt'; options: Intl.NumberFormatOptions; decimal: string };

export function moneyShape(amountMinor: bigint, currency: CurrencyCode, irrDisplay: IrrDisplay): MoneyShape {
  const { exponent } = currencies[currency];
  if (currency === 'IRR' && irrDisplay === 'toman') {
    // A toman is ten rials: one decimal place keeps the conversion exact (1,255 rials = 125.5).
    return { kind: 'unit', unit: 'toman', options: { minimumFractionDigits: 0, maximumFractionDigits: 1 }, decimal: decimalOf(amountMinor, 1) };
  }
  if (currency === 'USDT') {
    return { kind: 'unit', unit: 'usdt', options: { minimumFractionDigits: 2, maximumFractionDigits: exponent }, decimal: decimalOf(amountMinor, exponent) };
  }
  return {
    kind: 'currency',
    options: { style: 'currency', currency, currencyDisplay: 'symbol', minimumFractionDigits: exponent, maximumFractionDigits: exponent },
    decimal: decimalOf(amountMinor, exponent),
  };
}
