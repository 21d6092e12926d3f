// The Turkish letters against IBM's code page 857 chart, and the promise that text never throws:
// every character becomes one printable byte, and each '?' that was not in the input is counted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { encodePc857Text, pc857CodeTable } from './code-page-857.js';
import { toHex } from '../../core/clock.js';

test('PC857 is table 13 of ESC t', () => {
  assert.equal(pc857CodeTable, 13);
});

test('every Turkish letter has its PC857 byte', () => {
  // Written out from the code page 857 chart, independently of the table in the codec.
  const letters: Array<[string, number]> = [
    ['ğ', 0xa7], ['Ğ', 0xa6], ['ı', 0x8d], ['İ', 0x98], ['ş', 0x9f], ['Ş', 0x9e],
    ['ç', 0x87], ['Ç', 0x80], ['ö', 0x94], ['Ö', 0x99], ['ü', 0x81], ['Ü', 0x9a],
  ];
  for (const [letter, byte] of letters) {
    const encoded = encodePc857Text(letter);
    assert.deepEqual([...encoded.bytes], [byte], letter);
    assert.equal(encoded.unmappable, 0, letter);
  }
  assert.equal(toHex(encodePc857Text('Iı İi').bytes), '498d209869');
  assert.equal(toHex(encodePc857Text('Toplam: 12,50 TRY').bytes), toHex(new Uint8Array([...'Toplam: 12,50 TRY'].map((c) => c.charCodeAt(0)))));
});

test('decomposed letters are composed before lookup', () => {
  // "s" + combining cedilla, "I" + combining dot above, "g" + combining breve.
  const encoded = encodePc857Text('s\u0327I\u0307g\u0306');
  assert.equal(toHex(encoded.bytes), '9f98a7');
  assert.equal(encoded.unmappable, 0);
});

test('characters outside the table become ? and are reported once each', () => {
  const encoded = encodePc857Text('€5 ₺ سلام €');
  assert.equal(encoded.bytes.length, 11);
  assert.equal(encoded.unmappable, 7);
  assert.deepEqual(encoded.unmappableCharacters, ['€', '₺', 'س', 'ل', 'ا', 'م']);
  assert.equal(toHex(encoded.bytes), '3f35203f203f3f3f3f203f');
});

test('control characters never reach the printer as commands', () => {
  const encoded = encodePc857Text('a\x1b@b\x1dV\nc\t\x7f\x85');
  assert.equal(toHex(encoded.bytes), '613f40623f563f633f3f3f');
  assert.equal(encoded.unmappable, 6);
});

test('any string encodes without throwing, one printable byte per character, ? counted', () => {
  const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((n) => String.fromCharCode(n)) });
  const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), loneSurrogates, fc.string());
  fc.assert(
    fc.property(anyText, (text) => {
      const encoded = encodePc857Text(text);
      const characters = Array.from(text.normalize('NFC'));
      assert.ok(encoded.bytes instanceof Uint8Array);
      assert.equal(encoded.bytes.length, characters.length);
      for (const byte of encoded.bytes) assert.ok((byte >= 0x20 && byte <= 0x7e) || byte >= 0x80, `byte 0x${byte.toString(16)}`);
      const questionsIn = characters.filter((c) => c === '?').length;
      const questionsOut = encoded.bytes.filter((b) => b === 0x3f).length;
      assert.equal(questionsOut, questionsIn + encoded.unmappable);
      assert.equal(new Set(encoded.unmappableCharacters).size, encoded.unmappableCharacters.length);
      assert.equal(encoded.unmappable === 0, encoded.unmappableCharacters.length === 0);
    }),
    { seed: 857, numRuns: 2000 },
  );
});
