// Static check of the printed receipt's catalogues: the same keys in en, tr and fa, no empty
// text, and Turkish fully printable in code page 857 (no '?' on a Turkish receipt).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodePc857Text } from '../code-page-857.js';
import { receiptLabels } from './index.js';

test('every language has the same keys and no empty text', () => {
  const englishKeys = Object.keys(receiptLabels.en).sort();
  for (const [locale, labels] of Object.entries(receiptLabels)) {
    assert.deepEqual(Object.keys(labels).sort(), englishKeys, `${locale} has the same keys as en`);
    for (const [key, text] of Object.entries(labels)) assert.ok(text.trim().length > 0, `${locale}.${key} is not empty`);
  }
});

test('English and Turkish labels print in code page 857 without a single ?', () => {
  for (const locale of ['en', 'tr'] as const) {
    for (const [key, text] of Object.entries(receiptLabels[locale])) assert.equal(encodePc857Text(text).unmappable, 0, `${locale}.${key}`);
  }
});
