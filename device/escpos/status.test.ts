// DLE EOT requests and replies: each documented bit on its own, the combined status, and every
// byte with wrong fixed bits refused by name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { EscPosError } from './escpos-error.js';
import {
  decodeErrorCauseByte,
  decodeFullStatus,
  decodeOfflineCauseByte,
  decodePaperSensorByte,
  decodePrinterStatusByte,
  encodeFullStatusRequest,
  encodeStatusRequest,
  type StatusRequest,
} from './status.js';
import { toHex } from '../../core/clock.js';

const base = 0x12; // bits 1 and 4 set: a reply with nothing to report
const invalid = (error: unknown) => error instanceof EscPosError && error.code === 'escpos_status_invalid';

test('requests are DLE EOT n', () => {
  assert.equal(toHex(encodeStatusRequest(1)), '100401');
  assert.equal(toHex(encodeStatusRequest(4)), '100404');
  assert.equal(toHex(encodeFullStatusRequest()), '100401100402100403100404');
  for (const bad of [0, 5, 1.5, '1']) {
    assert.throws(() => encodeStatusRequest(bad as StatusRequest), (e: unknown) => e instanceof EscPosError && e.code === 'escpos_bad_option');
  }
});

test('a quiet reply decodes to all false', () => {
  assert.deepEqual(decodePrinterStatusByte(base), { drawerPin3High: false, offline: false, waitingForOnlineRecovery: false, feedButtonPressed: false });
  assert.deepEqual(decodeOfflineCauseByte(base), { coverOpen: false, feedingByButton: false, paperEndStop: false, errorOccurred: false });
  assert.deepEqual(decodeErrorCauseByte(base), { mechanical: false, autocutter: false, unrecoverable: false, autoRecoverable: false });
  assert.deepEqual(decodePaperSensorByte(base), { nearEnd: false, paperOut: false });
});

test('each variable bit sets exactly its own field', () => {
  const table: Array<[(byte: number) => object, number, string]> = [
    [decodePrinterStatusByte, 2, 'drawerPin3High'],
    [decodePrinterStatusByte, 3, 'offline'],
    [decodePrinterStatusByte, 5, 'waitingForOnlineRecovery'],
    [decodePrinterStatusByte, 6, 'feedButtonPressed'],
    [decodeOfflineCauseByte, 2, 'coverOpen'],
    [decodeOfflineCauseByte, 3, 'feedingByButton'],
    [decodeOfflineCauseByte, 5, 'paperEndStop'],
    [decodeOfflineCauseByte, 6, 'errorOccurred'],
    [decodeErrorCauseByte, 2, 'mechanical'],
    [decodeErrorCauseByte, 3, 'autocutter'],
    [decodeErrorCauseByte, 5, 'unrecoverable'],
    [decodeErrorCauseByte, 6, 'autoRecoverable'],
    [decodePaperSensorByte, 2, 'nearEnd'],
    [decodePaperSensorByte, 3, 'nearEnd'],
    [decodePaperSensorByte, 5, 'paperOut'],
    [decodePaperSensorByte, 6, 'paperOut'],
  ];
  for (const [decode, bit, field] of table) {
    const decoded = decode(base | (1 << bit)) as Record<string, boolean>;
    for (const [key, value] of Object.entries(decoded)) assert.equal(value, key === field, `${decode.name} bit ${bit}: ${key}`);
  }
  // The reference sets each sensor's pair together.
  assert.deepEqual(decodePaperSensorByte(base | 0x0c | 0x60), { nearEnd: true, paperOut: true });
});

test('every byte either decodes or is escpos_status_invalid, by its fixed bits', () => {
  const decoders = [decodePrinterStatusByte, decodeOfflineCauseByte, decodeErrorCauseByte, decodePaperSensorByte];
  let valid = 0;
  for (let byte = 0; byte <= 0xff; byte += 1) {
    const fixedOk = (byte & 0x93) === 0x12;
    if (fixedOk) valid += 1;
    for (const decode of decoders) {
      if (fixedOk) assert.doesNotThrow(() => decode(byte), `0x${byte.toString(16)}`);
      else assert.throws(() => decode(byte), invalid, `0x${byte.toString(16)}`);
    }
  }
  assert.equal(valid, 16); // four variable bits
  for (const bad of [-1, 256, 0x12 + 0.5, Number.NaN, '18', undefined]) {
    assert.throws(() => decodePrinterStatusByte(bad as number), invalid, String(bad));
  }
});

test('the full status combines the four replies', () => {
  const ready = decodeFullStatus(Uint8Array.of(0x12, 0x12, 0x12, 0x12));
  assert.deepEqual(ready, {
    online: true,
    coverOpen: false,
    paperOut: false,
    paperNearEnd: false,
    feedButtonPressed: false,
    waitingForOnlineRecovery: false,
    drawerPin3High: false,
    errors: { any: false, mechanical: false, autocutter: false, unrecoverable: false, autoRecoverable: false },
  });
  // Cover open: offline, cover bit in the offline cause.
  const cover = decodeFullStatus(Uint8Array.of(0x1a, 0x16, 0x12, 0x12));
  assert.equal(cover.online, false);
  assert.equal(cover.coverOpen, true);
  assert.equal(cover.paperOut, false);
  // Paper out: offline, printing stopped at paper end, sensor sees no paper, near end too.
  const out = decodeFullStatus(Uint8Array.of(0x1a, 0x32, 0x12, 0x7e));
  assert.equal(out.paperOut, true);
  assert.equal(out.paperNearEnd, true);
  // Only the sensor says out: still out.
  assert.equal(decodeFullStatus(Uint8Array.of(0x12, 0x12, 0x12, 0x72)).paperOut, true);
  // Autocutter error.
  const cutter = decodeFullStatus(Uint8Array.of(0x1a, 0x52, 0x1a, 0x12));
  assert.equal(cutter.errors.any, true);
  assert.equal(cutter.errors.autocutter, true);
  assert.equal(cutter.errors.unrecoverable, false);
});

test('a full status of the wrong length or with a bad byte is escpos_status_invalid', () => {
  for (const bad of [Uint8Array.of(), Uint8Array.of(0x12, 0x12, 0x12), Uint8Array.of(0x12, 0x12, 0x12, 0x12, 0x12), Uint8Array.of(0x12, 0x12, 0x13, 0x12), [0x12, 0x12, 0x12, 0x12], null]) {
    assert.throws(() => decodeFullStatus(bad as Uint8Array), invalid, String(bad));
  }
});

test('10,000 fuzzed replies never crash: a status or escpos_status_invalid', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 6 }), (bytes) => {
      try {
        const status = decodeFullStatus(bytes);
        assert.equal(bytes.length, 4);
        assert.equal(typeof status.online, 'boolean');
      } catch (error) {
        assert.ok(invalid(error), String(error));
      }
    }),
    { seed: 4, numRuns: 10_000 },
  );
});
