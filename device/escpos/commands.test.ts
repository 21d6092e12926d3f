// Exact bytes of each command against the sequences in Epson's ESC/POS reference.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialize, lineFeeds, partialCutAfterFeed, selectAlignment, selectBold, selectCodeTable, selectDoubleSize, type Alignment } from './commands.js';
import { EscPosError } from './escpos-error.js';
import { encodeQrCode, qrByteCapacity } from './qr-code.js';
import { encodeRasterImage } from './raster-image.js';
import { toHex } from '../../core/clock.js';

const hex = (bytes: Uint8Array) => toHex(bytes);
const code = (expected: string) => (error: unknown) => error instanceof EscPosError && error.code === expected;

test('simple commands have their reference bytes', () => {
  assert.equal(hex(initialize()), '1b40');
  assert.equal(hex(selectCodeTable(13)), '1b740d');
  assert.equal(hex(selectAlignment('left')), '1b6100');
  assert.equal(hex(selectAlignment('center')), '1b6101');
  assert.equal(hex(selectAlignment('right')), '1b6102');
  assert.equal(hex(selectBold(true)), '1b4501');
  assert.equal(hex(selectBold(false)), '1b4500');
  assert.equal(hex(selectDoubleSize(true)), '1d2111');
  assert.equal(hex(selectDoubleSize(false)), '1d2100');
  assert.equal(hex(lineFeeds(3)), '0a0a0a');
  assert.equal(hex(lineFeeds(0)), '');
  assert.equal(hex(partialCutAfterFeed(0)), '1d564200');
  assert.equal(hex(partialCutAfterFeed(48)), '1d564230');
});

test('bad alignment and out-of-range options are named errors', () => {
  for (const bad of ['middle', 'LEFT', '', 'toString', '__proto__', undefined, 1]) {
    assert.throws(() => selectAlignment(bad as Alignment), code('escpos_bad_alignment'), String(bad));
  }
  for (const bad of [-1, 256, 1.5, Number.NaN, '3']) {
    assert.throws(() => lineFeeds(bad as number), code('escpos_bad_option'), String(bad));
    assert.throws(() => partialCutAfterFeed(bad as number), code('escpos_bad_option'), String(bad));
  }
  assert.throws(() => selectCodeTable(300), code('escpos_bad_option'));
});

test('a QR code is functions 165, 167, 169, 180 and 181 with little-endian lengths', () => {
  const bytes = encodeQrCode('01J9ZK', { moduleSize: 6, errorCorrection: 'M' });
  const expected = [
    '1d286b04003141' + '3200', // 165: model 2
    '1d286b03003143' + '06', // 167: module size 6
    '1d286b03003145' + '31', // 169: level M (49)
    '1d286b09003150' + '30' + '30314a395a4b', // 180: pL = 6 + 3
    '1d286b03003151' + '30', // 181: print
  ].join('');
  assert.equal(hex(bytes), expected);
  // Defaults are module size 6 and level M.
  assert.equal(hex(encodeQrCode('01J9ZK')), expected);
  assert.equal(hex(encodeQrCode('x', { errorCorrection: 'H', moduleSize: 1 })).slice(18, 50), '1d286b03003143011d286b0300314533');
});

test('QR store length carries into pH at 253 bytes and beyond', () => {
  const bytes = encodeQrCode('7'.repeat(300), { errorCorrection: 'L' });
  const store = hex(bytes).indexOf('3150');
  // 300 + 3 = 303 = 0x012f, little-endian 2f 01.
  assert.equal(hex(bytes).slice(store - 4, store), '2f01');
});

test('QR data limits follow the byte capacity of version 40 at each level', () => {
  for (const [level, capacity] of Object.entries(qrByteCapacity) as Array<['L' | 'M' | 'Q' | 'H', number]>) {
    assert.doesNotThrow(() => encodeQrCode('a'.repeat(capacity), { errorCorrection: level }));
    assert.throws(() => encodeQrCode('a'.repeat(capacity + 1), { errorCorrection: level }), code('escpos_qr_too_long'), level);
  }
  // UTF-8 bytes count, not characters: 1166 two-byte letters are 2332 bytes, one over M.
  assert.throws(() => encodeQrCode('ş'.repeat(1166)), code('escpos_qr_too_long'));
  assert.throws(() => encodeQrCode(''), code('escpos_qr_empty'));
  assert.throws(() => encodeQrCode('x', { moduleSize: 17 }), code('escpos_bad_option'));
  assert.throws(() => encodeQrCode('x', { moduleSize: 0 }), code('escpos_bad_option'));
  assert.throws(() => encodeQrCode('x', { errorCorrection: 'X' as 'L' }), code('escpos_bad_option'));
});

test('a raster image is GS v 0 with width in bytes and height in dots, little-endian', () => {
  const image = { widthDots: 16, heightDots: 2, data: Uint8Array.of(0xff, 0x00, 0x81, 0x18) };
  assert.equal(hex(encodeRasterImage(image)), '1d763000' + '0200' + '0200' + 'ff008118');
  const wide = encodeRasterImage({ widthDots: 576, heightDots: 300, data: new Uint8Array(72 * 300) });
  assert.equal(hex(wide.slice(0, 8)), '1d763000' + '4800' + '2c01');
  assert.equal(wide.length, 8 + 72 * 300);
});

test('padding bits right of the width are cleared, and the caller\'s data is left alone', () => {
  const data = Uint8Array.of(0xff, 0xff, 0xff, 0xff);
  const bytes = encodeRasterImage({ widthDots: 10, heightDots: 2, data });
  assert.equal(hex(bytes.slice(8)), 'ffc0ffc0');
  assert.equal(hex(data), 'ffffffff');
});

test('empty, oversized and inconsistent images are named errors', () => {
  const cases: Array<[unknown, string]> = [
    [{ widthDots: 0, heightDots: 1, data: new Uint8Array(0) }, 'escpos_image_empty'],
    [{ widthDots: 8, heightDots: 0, data: new Uint8Array(0) }, 'escpos_image_empty'],
    [{ widthDots: 577, heightDots: 1, data: new Uint8Array(73) }, 'escpos_image_too_wide'],
    [{ widthDots: 8, heightDots: 2304, data: new Uint8Array(2304) }, 'escpos_image_too_tall'],
    [{ widthDots: 9, heightDots: 1, data: new Uint8Array(1) }, 'escpos_image_bad_data'],
    [{ widthDots: 8.5, heightDots: 1, data: new Uint8Array(2) }, 'escpos_image_bad_data'],
    [{ widthDots: -8, heightDots: 1, data: new Uint8Array(1) }, 'escpos_image_bad_data'],
    [{ widthDots: 8, heightDots: 1, data: [0] }, 'escpos_image_bad_data'],
  ];
  for (const [image, expected] of cases) {
    assert.throws(() => encodeRasterImage(image as never), code(expected), JSON.stringify(image));
  }
  assert.doesNotThrow(() => encodeRasterImage({ widthDots: 8, heightDots: 2303, data: new Uint8Array(2303) }));
});
