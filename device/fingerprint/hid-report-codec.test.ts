// The HID fingerprint reader's reports, template chunks and template format: table tests of
// every report kind both ways, each way a report or a chunk sequence can be wrong, and a seeded
// fuzz of 10,000 random and mutated reports (each decodes, re-encoding to the same bytes, or is
// a named HidReportError; nothing else is thrown and nothing hangs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../core/clock.js';
import {
  decodeDeviceReport,
  decodeHostReport,
  encodeDeviceReport,
  encodeHostReport,
  HidReportError,
  reportLength,
  type DeviceReport,
  type HidReportErrorCode,
  type HostReport,
} from './hid-report-codec.js';
import { chunkTemplate, TemplateAssembler, type CaptureChunk } from './hid-template-chunks.js';
import { crc32, decodeTemplate, encodeTemplate, maxTemplateLength, TemplateFormatError } from './minutiae-template.js';
import { impression, randomInteger, syntheticFinger } from './synthetic-fingers.js';

const random = seededRandom(13);
const fullTemplate = { ...impression(syntheticFinger(random), random, 77, { shiftPixels: 0, rotationUnits: 0, jitterPixels: 0, angleJitterUnits: 0, dropPercent: 0, spuriousCount: 0 }) };
const fullTemplateBytes = encodeTemplate(fullTemplate);

function hidError(code: HidReportErrorCode) {
  return (error: unknown) => error instanceof HidReportError && error.code === code;
}

test('CRC-32 is the zlib/PNG CRC', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
});

test('a template round-trips and a 40-minutia one is the largest', () => {
  assert.equal(fullTemplate.minutiae.length, 40);
  assert.equal(fullTemplateBytes.length, maxTemplateLength);
  assert.deepEqual(decodeTemplate(fullTemplateBytes), fullTemplate);
});

test('a template with a flipped bit, a wrong length or a bad field is a named TemplateFormatError', () => {
  const cases: [string, (bytes: Uint8Array) => Uint8Array, string][] = [
    ['flipped minutia bit', (bytes) => bytes.map((byte, index) => (index === 20 ? byte ^ 0x01 : byte)), 'crc_mismatch'],
    ['flipped CRC bit', (bytes) => bytes.map((byte, index) => (index === bytes.length - 1 ? byte ^ 0x80 : byte)), 'crc_mismatch'],
    ['truncated', (bytes) => bytes.slice(0, bytes.length - 1), 'malformed_template'],
    ['too short', () => new Uint8Array(5), 'malformed_template'],
    ['bad magic', (bytes) => bytes.map((byte, index) => (index === 0 ? 0x00 : byte)), 'malformed_template'],
    ['version 2', (bytes) => bytes.map((byte, index) => (index === 2 ? 2 : byte)), 'unsupported_template_version'],
  ];
  for (const [name, mutate, code] of cases) {
    assert.throws(() => decodeTemplate(mutate(fullTemplateBytes)), (error: unknown) => error instanceof TemplateFormatError && error.code === code, name);
  }
});

const hostTable: [HostReport, string][] = [
  [{ type: 'get_info' }, '0101'],
  [{ type: 'capture_start', captureId: 0x1234 }, '01021234'],
  [{ type: 'capture_cancel', captureId: 7 }, '01030007'],
  [{ type: 'set_indicator', led: 'amber', beepMs: 250 }, '01040300fa'],
];

const deviceTable: [DeviceReport, string][] = [
  [{ type: 'finger_status', captureId: 3, placed: true }, '0282000301'],
  [{ type: 'finger_status', captureId: 0, placed: false }, '0282000000'],
  [{ type: 'error', captureId: 9, error: 'poor_image' }, '0284000902'],
  [{ type: 'error', captureId: 0, error: 'sensor_fault' }, '0284000006'],
  [{ type: 'capture_chunk', captureId: 1, chunkIndex: 0, chunkCount: 1, quality: 90, payload: Uint8Array.of(0xaa, 0xbb) }, '0283000100015a02aabb'],
  [{ type: 'info', protocolVersion: 1, templateFormatVersion: 1, model: 'DP-FP1', firmware: '1.2' }, `02810101${'44502d465031'.padEnd(48, '0')}${'312e32'.padEnd(32, '0')}`],
];

function padded(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.padEnd(reportLength * 2, '0'), 'hex'));
}

test('every report kind encodes to its documented bytes and decodes back', () => {
  for (const [report, hex] of hostTable) {
    assert.deepEqual(encodeHostReport(report), padded(hex), report.type);
    assert.deepEqual(decodeHostReport(padded(hex)), report, report.type);
  }
  for (const [report, hex] of deviceTable) {
    assert.deepEqual(encodeDeviceReport(report), padded(hex), report.type);
    assert.deepEqual(decodeDeviceReport(padded(hex)), report, report.type);
  }
});

test('a wrong length, report id, type, field or pad byte is a named HidReportError', () => {
  const cases: [string, () => unknown, HidReportErrorCode][] = [
    ['63 bytes', () => decodeDeviceReport(padded('0282000301').slice(0, 63)), 'wrong_length'],
    ['65 bytes', () => decodeHostReport(Uint8Array.of(...padded('0101'), 0)), 'wrong_length'],
    ['host id on a device report', () => decodeDeviceReport(padded('0182000301')), 'wrong_report_id'],
    ['device id on a host report', () => decodeHostReport(padded('0201')), 'wrong_report_id'],
    ['unknown device type', () => decodeDeviceReport(padded('0299')), 'unknown_report_type'],
    ['unknown host type', () => decodeHostReport(padded('0100')), 'unknown_report_type'],
    ['finger status 2', () => decodeDeviceReport(padded('0282000302')), 'bad_field'],
    ['reader error 0', () => decodeDeviceReport(padded('0284000100')), 'bad_field'],
    ['reader error 7', () => decodeDeviceReport(padded('0284000107')), 'bad_field'],
    ['capture id 0 to start', () => decodeHostReport(padded('01020000')), 'bad_field'],
    ['LED colour 4', () => decodeHostReport(padded('0104040000')), 'bad_field'],
    ['chunk index past count', () => decodeDeviceReport(padded('0283000102025a02aabb')), 'bad_field'],
    ['short chunk that is not last', () => decodeDeviceReport(padded('0283000100025a02aabb')), 'bad_field'],
    ['empty last chunk', () => decodeDeviceReport(padded('0283000100015a00')), 'bad_field'],
    ['quality 101', () => decodeDeviceReport(padded('028300010001650101')), 'bad_field'],
    ['model with a control byte', () => decodeDeviceReport(padded('028101014401')), 'bad_field'],
    ['model text after its NUL', () => decodeDeviceReport(padded('02810101440044')), 'bad_field'],
    ['byte after a finger status', () => decodeDeviceReport(padded('028200030101')), 'nonzero_padding'],
    ['byte after a chunk payload', () => decodeDeviceReport(padded('0283000100015a01aabb')), 'nonzero_padding'],
    ['byte after GET_INFO', () => decodeHostReport(padded('010101')), 'nonzero_padding'],
    ['encode capture id 0', () => encodeHostReport({ type: 'capture_start', captureId: 0 }), 'bad_field'],
    ['encode a long model', () => encodeDeviceReport({ type: 'info', protocolVersion: 1, templateFormatVersion: 1, model: 'x'.repeat(25), firmware: '' }), 'bad_field'],
  ];
  for (const [name, run, code] of cases) assert.throws(run, hidError(code), name);
});

function chunks(captureId = 5): CaptureChunk[] {
  return chunkTemplate(captureId, fullTemplate.quality, fullTemplateBytes);
}

function assemble(sequence: readonly CaptureChunk[], captureId = 5): Uint8Array | null {
  const assembler = new TemplateAssembler(captureId);
  let result = null;
  for (const chunk of sequence) result = assembler.add(chunk)?.bytes ?? result;
  assembler.assertNotCutShort();
  return result;
}

test('a template travels in five chunks and reassembles to the same bytes', () => {
  const sequence = chunks();
  assert.equal(sequence.length, 5);
  for (const chunk of sequence) assert.deepEqual(decodeDeviceReport(encodeDeviceReport(chunk)), chunk);
  assert.deepEqual(assemble(sequence), fullTemplateBytes);
});

test('chunks out of order, missing, duplicated, inconsistent or corrupted are named errors', () => {
  const [first, second, third, fourth, fifth] = chunks() as [CaptureChunk, CaptureChunk, CaptureChunk, CaptureChunk, CaptureChunk];
  const corrupted = { ...third, payload: third.payload.map((byte, index) => (index === 10 ? byte ^ 0x04 : byte)) };
  const cases: [string, CaptureChunk[], HidReportErrorCode][] = [
    ['swapped', [first, third, second, fourth, fifth], 'chunk_out_of_order'],
    ['one missing', [first, second, fourth, fifth], 'chunk_out_of_order'],
    ['last missing', [first, second, third, fourth], 'chunk_missing'],
    ['duplicated', [first, second, second, third, fourth, fifth], 'chunk_duplicated'],
    ['after completion', [first, second, third, fourth, fifth, fifth], 'chunk_duplicated'],
    ['other capture', [first, { ...second, captureId: 6 }], 'chunk_inconsistent'],
    ['count changed', [first, { ...second, chunkCount: 6 }], 'chunk_inconsistent'],
    ['quality changed', [first, { ...second, quality: 10 }], 'chunk_inconsistent'],
    ['one byte flipped', [first, second, corrupted, fourth, fifth], 'crc_mismatch'],
    ['not a template', chunkTemplate(5, 50, Uint8Array.of(1, 2, 3)), 'malformed_template'],
  ];
  for (const [name, sequence, code] of cases) assert.throws(() => assemble(sequence), hidError(code), name);
});

/** One fuzzed report: random bytes, or a valid report with a few bytes changed or its length cut. */
function fuzzedReport(fuzz: ReturnType<typeof seededRandom>, valid: readonly Uint8Array[]): Uint8Array {
  const kind = randomInteger(fuzz, 0, 3);
  if (kind === 0) return fuzz.bytes(randomInteger(fuzz, 0, 1) === 0 ? reportLength : randomInteger(fuzz, 0, 80));
  const report = valid[randomInteger(fuzz, 0, valid.length - 1)]!.slice();
  if (kind === 3) return report.slice(0, randomInteger(fuzz, 0, reportLength));
  for (let change = randomInteger(fuzz, 1, 3); change > 0; change -= 1) report[randomInteger(fuzz, 0, 15)] = fuzz.bytes(1)[0]!;
  return report;
}

test('10,000 fuzzed reports each decode canonically or fail with a named HidReportError', () => {
  const fuzz = seededRandom(20_260_413);
  const valid = [...hostTable.map(([, hex]) => padded(hex)), ...deviceTable.map(([, hex]) => padded(hex)), ...chunks().map(encodeDeviceReport)];
  const startedMs = performance.now();
  const outcomes = { decoded: 0, named: 0 };
  let assembler = new TemplateAssembler(5);
  for (let index = 0; index < 10_000; index += 1) {
    const bytes = fuzzedReport(fuzz, valid);
    for (const [decode, encode] of [
      [decodeHostReport, encodeHostReport],
      [decodeDeviceReport, encodeDeviceReport],
    ] as const) {
      try {
        const report = decode(bytes);
        assert.deepEqual(encode(report as never), bytes, `seed 20260413, report ${index} re-encodes to other bytes`);
        outcomes.decoded += 1;
        if (report.type !== 'capture_chunk') continue;
        // Fuzzed chunks also go through reassembly, which must likewise answer or name the fault.
        try {
          if (assembler.add(report)) assembler = new TemplateAssembler(5);
        } catch (error) {
          assert.ok(error instanceof HidReportError, `seed 20260413, report ${index}: ${String(error)}`);
          assembler = new TemplateAssembler(5);
        }
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        assert.ok(error instanceof HidReportError, `seed 20260413, report ${index}: ${String(error)}`);
        outcomes.named += 1;
      }
    }
  }
  assert.equal(outcomes.decoded + outcomes.named, 20_000);
  assert.ok(outcomes.decoded > 500, `only ${outcomes.decoded} fuzzed reports decoded; the mutations are too coarse`);
  assert.ok(performance.now() - startedMs < 10_000, 'the fuzz took over 10 s');
});
