import assert from 'node:assert/strict';
import { test } from 'node:test';
import { convertMinor, FxRateError } from './fx.js';

test('conversions apply rate, spread and exponents exactly, rounding down', () => {
  assert.equal(convertMinor(10000n, 'USD', 'TRY', '34.25', 150), 337362n);
  assert.equal(convertMinor(10000n, 'USD', 'TRY', '34.25', 0), 342500n);
  assert.equal(convertMinor(100n, 'USD', 'IRR', '420000', 0), 420000n);
  assert.equal(convertMinor(1_000_000n, 'USDT', 'USD', '0.9995', 0), 99n);
  assert.equal(convertMinor(1n, 'IRR', 'USDT', '0.0000024', 0), 2n);
  assert.equal(convertMinor(-10000n, 'USD', 'TRY', '34.25', 150), -337363n);
});

test('bad rates and spreads are named errors', () => {
  for (const rate of ['0', '-1', '1e3', 'abc', '1.', '']) assert.throws(() => convertMinor(1n, 'USD', 'EUR', rate, 0), FxRateError, rate);
  assert.throws(() => convertMinor(1n, 'USD', 'EUR', '1', 10_001), FxRateError);
});
