// Currency conversion in integers. The rate is a decimal string (units of the target currency
// per unit of the source), the spread is in basis points taken from the converted amount, and
// the result is rounded down to the target's minor unit: the customer never pays a fraction the
// merchant does not receive. Exponent differences (IRR 0, USD 2, USDT 6) are applied exactly.
import { currencies, type CurrencyCode } from '../currency.js';

export class FxRateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FxRateError';
  }
}

export function convertMinor(amountMinor: bigint, from: CurrencyCode, to: CurrencyCode, rate: string, spreadBasisPoints: number): bigint {
  const match = /^(\d{1,12})(?:\.(\d{1,12}))?$/.exec(rate);
  if (!match) throw new FxRateError(`rate must be a positive decimal string, got ${JSON.stringify(rate)}`);
  if (!Number.isInteger(spreadBasisPoints) || spreadBasisPoints < 0 || spreadBasisPoints > 10_000) throw new FxRateError('spread must be 0 to 10000 basis points');
  const fraction = match[2] ?? '';
  const rateScaled = BigInt(match[1]! + fraction);
  if (rateScaled === 0n) throw new FxRateError('rate must be above zero');
  const rateScale = 10n ** BigInt(fraction.length);
  const exponentShift = currencies[to].exponent - currencies[from].exponent;
  let numerator = amountMinor * rateScaled * BigInt(10_000 - spreadBasisPoints);
  let denominator = rateScale * 10_000n;
  if (exponentShift >= 0) numerator *= 10n ** BigInt(exponentShift);
  else denominator *= 10n ** BigInt(-exponentShift);
  // BigInt division truncates toward zero; for negative amounts that would round up in value.
  const quotient = numerator / denominator;
  return numerator < 0n && quotient * denominator !== numerator ? quotient - 1n : quotient;
}
