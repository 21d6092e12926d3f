// Table tests of Persian shaping and right-to-left ordering: contextual forms, lam-alef, the
// letters Persian adds, the zero-width non-joiner, left-to-right islands and mirrored brackets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shapeArabicScript, toPersianDigits, visualOrderRtl } from './persian-shaping.js';

const hex = (text: string): string[] => Array.from(text, (character) => character.codePointAt(0)!.toString(16));

test('contextual forms, in logical order', () => {
  const table: Array<[string, string[]]> = [
    ['ب', ['fe8f']], // alone: isolated
    ['بب', ['fe91', 'fe90']], // initial, final
    ['ببب', ['fe91', 'fe92', 'fe90']], // initial, medial, final
    ['با', ['fe91', 'fe8e']], // alef joins only from before: final
    ['اب', ['fe8d', 'fe8f']], // after alef nothing joins: isolated
    ['پچژگکی', ['fb58', 'fb7d', 'fb8b', 'fb94', 'fb91', 'fbfd']], // jeh joins only from before, so gaf starts anew
    ['سلام', ['feb3', 'fefc', 'fee1']], // lam-alef ligature, joined from before
    ['لا', ['fefb']], // lam-alef alone
    ['لآ', ['fef5']],
    ['می‌خواهم', ['fee3', 'fbfd', 'fea7', 'feee', 'fe8d', 'feeb', 'fee2']], // ZWNJ breaks the join and is dropped
    ['A1', ['41', '31']], // not Arabic script: unchanged
  ];
  for (const [input, expected] of table) assert.deepEqual(hex(shapeArabicScript(input)), expected, input);
});

test('diacritics are dropped and NFC composes alef with hamza', () => {
  assert.deepEqual(hex(shapeArabicScript('بَ')), ['fe8f']);
  assert.deepEqual(hex(shapeArabicScript('تأ')), ['fe97', 'fe84']);
});

test('display order: right to left with left-to-right islands kept', () => {
  const table: Array<[string, string]> = [
    ['سلام', '\ufee1\ufefc\ufeb3'],
    ['مبلغ 12.50 USD', '12.50 USD \ufece\ufee0\ufe92\ufee3'],
    ['گزارش Z (بستن)', '(\ufee6\ufe98\ufeb4\ufe91) Z \ufeb5\ufead\ufe8d\ufeb0\ufb94'],
    ['**** **** 1234', '**** **** 1234'],
    ['01JQ4ZP9', '01JQ4ZP9'],
  ];
  for (const [input, expected] of table) assert.deepEqual(hex(visualOrderRtl(input)), hex(expected), input);
});

test('Persian digits', () => {
  assert.equal(toPersianDigits('12:05 1404/01/02'), '۱۲:۰۵ ۱۴۰۴/۰۱/۰۲');
});
