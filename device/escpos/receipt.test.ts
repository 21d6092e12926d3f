// A whole receipt through the encoder and back through a small parser written here, from the
// command reference rather than from the encoder, so the structure is checked independently.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EscPosError } from './escpos-error.js';
import { encodeReceipt, type ReceiptBlock, type ReceiptDocument } from './receipt.js';
import { toHex } from '../../core/clock.js';

type Token =
  | { op: 'init' }
  | { op: 'codeTable'; n: number }
  | { op: 'align'; n: number }
  | { op: 'bold'; n: number }
  | { op: 'size'; n: number }
  | { op: 'lf' }
  | { op: 'text'; hex: string }
  | { op: 'qr'; fn: number; params: string }
  | { op: 'raster'; mode: number; widthBytes: number; height: number; data: string }
  | { op: 'cut'; m: number; n: number };

/** Splits an ESC/POS stream into commands; throws on anything it does not know. */
function parse(bytes: Uint8Array): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const at = (offset: number) => {
    const value = bytes[i + offset];
    if (value === undefined) throw new Error(`truncated at ${i + offset}`);
    return value;
  };
  while (i < bytes.length) {
    const b0 = at(0);
    if (b0 === 0x1b) {
      const b1 = at(1);
      if (b1 === 0x40) { tokens.push({ op: 'init' }); i += 2; }
      else if (b1 === 0x74) { tokens.push({ op: 'codeTable', n: at(2) }); i += 3; }
      else if (b1 === 0x61) { tokens.push({ op: 'align', n: at(2) }); i += 3; }
      else if (b1 === 0x45) { tokens.push({ op: 'bold', n: at(2) }); i += 3; }
      else throw new Error(`unknown ESC 0x${b1.toString(16)}`);
    } else if (b0 === 0x1d) {
      const b1 = at(1);
      if (b1 === 0x21) { tokens.push({ op: 'size', n: at(2) }); i += 3; }
      else if (b1 === 0x56) { tokens.push({ op: 'cut', m: at(2), n: at(3) }); i += 4; }
      else if (b1 === 0x28 && at(2) === 0x6b) {
        const length = at(3) + at(4) * 256;
        assert.equal(at(5), 49, 'cn');
        tokens.push({ op: 'qr', fn: at(6), params: toHex(bytes.slice(i + 7, i + 5 + length)) });
        at(4 + length);
        i += 5 + length;
      } else if (b1 === 0x76 && at(2) === 0x30) {
        const widthBytes = at(4) + at(5) * 256;
        const height = at(6) + at(7) * 256;
        const size = widthBytes * height;
        at(7 + size);
        tokens.push({ op: 'raster', mode: at(3), widthBytes, height, data: toHex(bytes.slice(i + 8, i + 8 + size)) });
        i += 8 + size;
      } else throw new Error(`unknown GS 0x${b1.toString(16)}`);
    } else if (b0 === 0x0a) {
      tokens.push({ op: 'lf' });
      i += 1;
    } else if (b0 < 0x20 || b0 === 0x7f) {
      throw new Error(`stray control byte 0x${b0.toString(16)} at ${i}`);
    } else {
      let end = i;
      while (end < bytes.length && bytes[end]! >= 0x20 && bytes[end] !== 0x7f) end += 1;
      tokens.push({ op: 'text', hex: toHex(bytes.slice(i, end)) });
      i = end;
    }
  }
  return tokens;
}

const ascii = (text: string) => toHex(Uint8Array.from(text, (c) => c.charCodeAt(0)));
const line = (align: number, bold: number, size: number, hex: string): Token[] => [
  { op: 'align', n: align }, { op: 'bold', n: bold }, { op: 'size', n: size }, { op: 'text', hex }, { op: 'lf' },
];

test('a Turkish receipt with a QR code, a raster line and a cut parses back to its structure', () => {
  const document: ReceiptDocument = {
    blocks: [
      { type: 'text', text: 'DEVPAY ÇARŞI', align: 'center', bold: true, doubleSize: true },
      { type: 'text', text: 'Satış  12,50 TRY', align: 'right' },
      { type: 'feed', lines: 2 },
      { type: 'qr', data: '01J9ZKQ5X7', errorCorrection: 'Q', moduleSize: 4 },
      { type: 'raster', image: { widthDots: 8, heightDots: 2, data: Uint8Array.of(0xf0, 0x0f) }, align: 'right' },
      { type: 'cut', feedUnits: 3 },
    ],
  };
  const encoded = encodeReceipt(document);
  assert.equal(encoded.unmappable, 0);
  assert.deepEqual(parse(encoded.bytes), [
    { op: 'init' },
    { op: 'codeTable', n: 13 },
    ...line(1, 1, 0x11, ascii('DEVPAY ') + '80' + ascii('AR') + '9e' + ascii('I')),
    ...line(2, 0, 0, ascii('Sat') + '8d' + '9f' + ascii('  12,50 TRY')),
    { op: 'lf' },
    { op: 'lf' },
    { op: 'align', n: 1 },
    { op: 'qr', fn: 65, params: '3200' },
    { op: 'qr', fn: 67, params: '04' },
    { op: 'qr', fn: 69, params: '32' },
    { op: 'qr', fn: 80, params: '30' + ascii('01J9ZKQ5X7') },
    { op: 'qr', fn: 81, params: '30' },
    { op: 'lf' },
    { op: 'align', n: 2 },
    { op: 'raster', mode: 0, widthBytes: 1, height: 2, data: 'f00f' },
    { op: 'cut', m: 66, n: 3 },
  ]);
});

test('defaults: left, not bold, normal size, QR centred, cut with no extra feed', () => {
  const encoded = encodeReceipt({ blocks: [{ type: 'text', text: 'a' }, { type: 'qr', data: 'x' }, { type: 'cut' }] });
  const tokens = parse(encoded.bytes);
  assert.deepEqual(tokens.slice(2, 7), line(0, 0, 0, '61'));
  assert.deepEqual(tokens[7], { op: 'align', n: 1 });
  assert.deepEqual(tokens[9], { op: 'qr', fn: 67, params: '06' });
  assert.deepEqual(tokens.at(-1), { op: 'cut', m: 66, n: 0 });
});

test('a printer profile can renumber the PC857 table', () => {
  assert.equal(toHex(encodeReceipt({ blocks: [], codeTable: 19 }).bytes), '1b401b7413');
});

test('unmappable text is counted across lines and never throws; hostile text stays text', () => {
  const encoded = encodeReceipt({
    blocks: [
      { type: 'text', text: 'مشتری: Ali €' },
      { type: 'text', text: 'x\x1dV\x00€' },
    ],
  });
  assert.equal(encoded.unmappable, 9); // five Persian letters, two euros, two control bytes
  assert.deepEqual(encoded.unmappableCharacters, ['م', 'ش', 'ت', 'ر', 'ی', '€', '\x1d', '\x00']);
  // The parser would throw on a stray control byte, so parsing proves no command was injected.
  assert.equal(parse(encoded.bytes).filter((t) => t.op === 'cut').length, 0);
});

test('bad structure is a named error', () => {
  const cases: Array<[ReceiptBlock | null, string]> = [
    [{ type: 'text', text: 'a', align: 'justify' as 'left' }, 'escpos_bad_alignment'],
    [{ type: 'qr', data: 'a'.repeat(2332) }, 'escpos_qr_too_long'],
    [{ type: 'qr', data: '' }, 'escpos_qr_empty'],
    [{ type: 'raster', image: { widthDots: 640, heightDots: 1, data: new Uint8Array(80) } }, 'escpos_image_too_wide'],
    [{ type: 'raster', image: { widthDots: 0, heightDots: 0, data: new Uint8Array(0) } }, 'escpos_image_empty'],
    [{ type: 'feed', lines: -1 }, 'escpos_bad_option'],
    [{ type: 'barcode' } as unknown as ReceiptBlock, 'escpos_bad_option'],
    [null, 'escpos_bad_option'],
  ];
  for (const [block, expected] of cases) {
    assert.throws(() => encodeReceipt({ blocks: [block as ReceiptBlock] }), (e: unknown) => e instanceof EscPosError && e.code === expected, expected);
  }
});
