import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeVpcdMessage, encodeVpcdFrame, VpcdFrameError, VpcdFrameReader } from './vpcd-frame.js';
import { fromHex, toHex } from '../core/clock.js';

test('control codes and APDUs decode by length', () => {
  const table: Array<[string, string]> = [
    ['00', 'power_off'],
    ['01', 'power_on'],
    ['02', 'reset'],
    ['04', 'get_atr'],
    ['00a4040007a0000000041010', 'apdu'],
  ];
  for (const [hex, type] of table) assert.equal(decodeVpcdMessage(fromHex(hex)).type, type, hex);
});

test('unknown control codes, empty and short payloads are named errors', () => {
  for (const hex of ['03', '', 'ff', '00a4']) {
    assert.throws(() => decodeVpcdMessage(fromHex(hex)), VpcdFrameError, hex);
  }
});

test('frames carry a 2-byte big-endian length', () => {
  assert.equal(toHex(encodeVpcdFrame(fromHex('9000'))), '00029000');
  assert.equal(toHex(encodeVpcdFrame(new Uint8Array(0x102)).slice(0, 2)), '0102');
  assert.throws(() => encodeVpcdFrame(new Uint8Array(0x10000)), VpcdFrameError);
});

test('the reader reassembles frames split and joined arbitrarily', () => {
  const stream = fromHex('000104' + '000101' + '000500a4040000');
  for (let split = 0; split <= stream.length; split += 1) {
    const reader = new VpcdFrameReader();
    const payloads = [...reader.push(stream.slice(0, split)), ...reader.push(stream.slice(split))];
    assert.deepEqual(payloads.map(toHex), ['04', '01', '00a4040000'], `split at ${split}`);
  }
});
