import assert from 'node:assert/strict';
import { test } from 'node:test';
import { currencies, formatMinor, isCurrencyCode } from './currency.js';

test('exponents are the ones ARCHITECTURE.md fixes', () => {
  assert.deepEqual(
    Object.fromEntries(Object.values(currencies).map((currency) => [currency.code, currency.exponent])),
    { IRR: 0, TRY: 2, USD: 2, EUR: 2, USDT: 6 },
  );
});

test('formatMinor places the decimal point by exponent with integer arithmetic', () => {
  const cases: Array<[bigint, Parameters<typeof formatMinor>[1], string]> = [
    [0n, 'USD', '0.00'],
    [5n, 'USD', '0.05'],
    [1005n, 'EUR', '10.05'],
    [123456789n, 'TRY', '1,234,567.89'],
    [1500000n, 'IRR', '1,500,000'],
    [1n, 'USDT', '0.000001'],
    [-250n, 'USD', '-2.50'],
    [9223372036854775807n, 'USD', '92,233,720,368,547,758.07'],
  ];
  for (const [amountMinor, code, expected] of cases) {
    assert.equal(formatMinor(amountMinor, code), expected, `${amountMinor} ${code}`);
  }
});

test('isCurrencyCode accepts only the table', () => {
  assert.equal(isCurrencyCode('USDT'), true);
  assert.equal(isCurrencyCode('usd'), false);
  assert.equal(isCurrencyCode('GBP'), false);
});
