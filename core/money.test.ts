import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MoneyError, addChecked, maxInt64, minInt64, parseDecimalAmount, parseMinorUnits, formatMinorUnits } from './money.js';
import { formatMinor } from './currency.js';

test('decimal amounts parse exactly per currency exponent', () => {
  const table: Array<[string, Parameters<typeof parseDecimalAmount>[1], bigint]> = [
    ['12.50', 'USD', 1250n],
    ['12.5', 'EUR', 1250n],
    ['0.01', 'TRY', 1n],
    ['-3', 'USD', -300n],
    ['1500000', 'IRR', 1500000n],
    ['1.000001', 'USDT', 1000001n],
    ['0', 'USDT', 0n],
  ];
  for (const [text, currency, expected] of table) assert.equal(parseDecimalAmount(text, currency), expected, `${text} ${currency}`);
});

test('floats, exponents, extra decimals and junk are named errors', () => {
  const table: Array<[unknown, Parameters<typeof parseDecimalAmount>[1], string]> = [
    [12.5, 'USD', 'not_a_string'],
    ['1e3', 'USD', 'malformed_amount'],
    ['0.001', 'USD', 'too_many_decimals'],
    ['1.5', 'IRR', 'too_many_decimals'],
    ['1.0000001', 'USDT', 'too_many_decimals'],
    ['01', 'USD', 'malformed_amount'],
    ['.5', 'USD', 'malformed_amount'],
    ['5.', 'USD', 'malformed_amount'],
    [' 5', 'USD', 'malformed_amount'],
    ['+5', 'USD', 'malformed_amount'],
    ['NaN', 'USD', 'malformed_amount'],
    ['Infinity', 'USD', 'malformed_amount'],
    ['92233720368547758.08', 'USD', 'out_of_range'],
    ['9223372036854775808', 'IRR', 'out_of_range'],
  ];
  for (const [text, currency, code] of table) {
    assert.throws(() => parseDecimalAmount(text, currency), (error: unknown) => error instanceof MoneyError && error.code === code, String(text));
  }
});

test('minor-unit strings round-trip over the whole int64 range and nothing beyond', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: minInt64, max: maxInt64 }), (value) => parseMinorUnits(formatMinorUnits(value)) === value),
    { numRuns: 2000 },
  );
  assert.throws(() => parseMinorUnits((maxInt64 + 1n).toString()), { code: 'out_of_range' });
  assert.throws(() => parseMinorUnits('-0'), { code: 'malformed_amount' });
  assert.throws(() => parseMinorUnits(1250), { code: 'not_a_string' });
  assert.throws(() => addChecked(maxInt64, 1n), { code: 'out_of_range' });
});

test('formatting a parsed decimal gives the same digits back', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.constantFrom('USD', 'EUR', 'TRY', 'IRR', 'USDT' as const), (minor, currency) => {
      const text = formatMinor(minor, currency, '');
      return parseDecimalAmount(text, currency) === minor;
    }),
    { numRuns: 2000 },
  );
});
