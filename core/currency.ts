// The currency table: the only place in the code base that knows how many minor units each
// currency has. Amounts are bigint minor units everywhere; strings appear only on the wire and
// on screen. No floats are used, not even for display.

export const currencyCodes = ['IRR', 'TRY', 'USD', 'EUR', 'USDT'] as const;
export type CurrencyCode = (typeof currencyCodes)[number];

export interface Currency {
  readonly code: CurrencyCode;
  /** Number of decimal digits of the minor unit (IRR is counted in whole rials). */
  readonly exponent: number;
  readonly symbol: string;
}

export const currencies: Readonly<Record<CurrencyCode, Currency>> = {
  IRR: { code: 'IRR', exponent: 0, symbol: '﷼' },
  TRY: { code: 'TRY', exponent: 2, symbol: '₺' },
  USD: { code: 'USD', exponent: 2, symbol: '$' },
  EUR: { code: 'EUR', exponent: 2, symbol: '€' },
  USDT: { code: 'USDT', exponent: 6, symbol: '₮' },
};

export function isCurrencyCode(value: string): value is CurrencyCode {
  return (currencyCodes as readonly string[]).includes(value);
}

/**
 * Formats minor units as a plain decimal string with the currency's exponent, grouping the
 * integer part with `groupSeparator`. Pure integer arithmetic: 1005n USD → "10.05".
 */
export function formatMinor(amountMinor: bigint, code: CurrencyCode, groupSeparator = ','): string {
  const { exponent } = currencies[code];
  const negative = amountMinor < 0n;
  const digits = (negative ? -amountMinor : amountMinor).toString().padStart(exponent + 1, '0');
  const integerPart = digits.slice(0, digits.length - exponent);
  const fractionPart = digits.slice(digits.length - exponent);
  const grouped = integerPart.replace(/\B(?=(\d{3})+(?!\d))/g, groupSeparator);
  return (negative ? '-' : '') + grouped + (exponent > 0 ? `.${fractionPart}` : '');
}
