// Table and property tests of the Luhn check digit: published vectors, rejection of anything that
// is not 2 to 19 decimal digits, and detection of every single-digit error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isLuhnValid, luhnCheckDigit } from './luhn.js';

test('check digits of published card numbers', () => {
  const table: Array<[string, string]> = [
    ['7992739871', '3'],
    ['411111111111111', '1'],
    ['555555555555444', '4'],
    ['378282246310005'.slice(0, -1), '5'],
    ['899100365550658', '0'],
    ['0', '0'],
    ['', '0'],
    ['1', '8'],
    ['9', '1'],
  ];
  for (const [body, digit] of table) assert.equal(luhnCheckDigit(body), digit, body);
});

test('whole numbers are valid or not', () => {
  const table: Array<[string, boolean]> = [
    ['79927398713', true],
    ['79927398710', false],
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['8991003655506580', true],
    ['8991003655506581', false],
    ['00', true],
    ['18', true],
    ['0', false],
    ['', false],
    ['4111 1111 1111 1111', false],
    ['4111-1111-1111-1111', false],
    ['411111111111111a', false],
    [' 4111111111111111', false],
    ['41111111111111111111', false],
    ['4111111111111111110', true],
    ['-18', false],
    ['１８', false],
  ];
  for (const [number, valid] of table) assert.equal(isLuhnValid(number), valid, JSON.stringify(number));
});

test('a body with anything but decimal digits is a RangeError', () => {
  for (const body of ['12a4', ' 1', '1.5', '-1', '１']) assert.throws(() => luhnCheckDigit(body), RangeError, body);
});

test('appending the check digit makes a valid number; changing any one digit breaks it', () => {
  const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 18 });
  fc.assert(
    fc.property(digits, fc.nat(), fc.integer({ min: 1, max: 9 }), (body, position, delta) => {
      const number = body + luhnCheckDigit(body);
      assert.ok(isLuhnValid(number));
      const index = position % number.length;
      const changed = String((Number(number[index]) + delta) % 10);
      const altered = number.slice(0, index) + changed + number.slice(index + 1);
      assert.equal(isLuhnValid(altered), false, `${number} → ${altered}`);
    }),
  );
});
