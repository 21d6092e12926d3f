import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fromHex, toHex } from '../../core/clock.js';
import { decodePacket, encodePacket, R30xCodecError } from './r30x-codec.js';
import { decodeAck, decodeCommand, encodeAck, encodeCommand, type R30xCommand } from './r30x-commands.js';
import { decodeSearchResult, decodeSystemParameters, decodeTemplateCount, encodeSearchResult, encodeSystemParameters } from './r30x-replies.js';
import { R30xPacketReader, r30xReplyLength, scanFrame } from './r30x-packet-stream.js';
import { confirmationName, R30xConfirmation } from './r30x-confirmation-codes.js';

test('commands encode to the bytes the manuals print', () => {
  const table: Array<[R30xCommand, string]> = [
    [{ type: 'gen_img' }, 'ef01ffffffff010003010005'],
    [{ type: 'verify_password', password: 0 }, 'ef01ffffffff0100071300000000001b'],
    [{ type: 'handshake' }, 'ef01ffffffff010003400044'],
    [{ type: 'img2tz', bufferId: 1 }, 'ef01ffffffff01000402010008'],
    [{ type: 'img2tz', bufferId: 2 }, 'ef01ffffffff01000402020009'],
    [{ type: 'reg_model' }, 'ef01ffffffff010003050009'],
    [{ type: 'store', bufferId: 1, pageId: 7 }, 'ef01ffffffff010006060100070015'],
    [{ type: 'search', bufferId: 1, startPage: 0, pageCount: 200 }, 'ef01ffffffff0100080401000000c800d6'],
    [{ type: 'delete_char', pageId: 3, count: 1 }, 'ef01ffffffff0100070c000300010018'],
    [{ type: 'read_sys_para' }, 'ef01ffffffff0100030f0013'],
    [{ type: 'template_num' }, 'ef01ffffffff0100031d0021'],
  ];
  for (const [command, hex] of table) {
    assert.equal(toHex(encodeCommand(command)), hex, command.type);
    assert.deepEqual(decodeCommand(decodePacket(fromHex(hex))), command, `${command.type} round trip`);
  }
  assert.equal(toHex(encodeCommand({ type: 'gen_img' }, 0x12345678)).slice(4, 12), '12345678');
});

test('acks decode by instruction, strictly', () => {
  assert.deepEqual(decodeAck(fromHex('ef01ffffffff07000300000a'), 'gen_img'), { code: 0, data: new Uint8Array(0) });
  assert.equal(decodeAck(fromHex('ef01ffffffff07000302000c'), 'gen_img').code, R30xConfirmation.no_finger);
  const search = encodeAck('search', 0, encodeSearchResult({ pageId: 5, matchScore: 120 }));
  assert.deepEqual(decodeSearchResult(decodeAck(search, 'search').data), { pageId: 5, matchScore: 120 });
  // A failed search may carry its zeroed data (R307) or the code alone (some clones).
  assert.equal(decodeAck(encodeAck('search', 0x09, new Uint8Array(4)), 'search').code, 0x09);
  assert.equal(decodeAck(encodeAck('search', 0x09, new Uint8Array(0)), 'search').code, 0x09);
  // An ok ack without its data, or with extra, is refused.
  assert.throws(() => decodeAck(encodeAck('gen_img', 0, new Uint8Array(0)), 'search'), { name: 'R30xCodecError', code: 'bad_reply' });
  assert.throws(() => decodeAck(encodeAck('search', 0, new Uint8Array(4)), 'gen_img'), { name: 'R30xCodecError', code: 'bad_reply' });
  assert.throws(() => decodeAck(encodeCommand({ type: 'gen_img' }), 'gen_img'), { name: 'R30xCodecError', code: 'unexpected_packet' });
  assert.equal(decodeTemplateCount(decodeAck(encodeAck('template_num', 0, Uint8Array.of(0, 9)), 'template_num').data), 9);
});

test('system parameters round trip and refuse values no module sends', () => {
  const parameters = { statusRegister: 0x0004, systemId: 0x0009, libraryCapacity: 200, securityLevel: 3, address: 0xffffffff, packetSizeBytes: 128, baudRate: 57600 };
  const data = encodeSystemParameters(parameters);
  assert.equal(toHex(data), '0004000900c80003ffffffff00020006');
  assert.deepEqual(decodeSystemParameters(data), parameters);
  const badLevel = data.slice();
  badLevel[7] = 9;
  assert.throws(() => decodeSystemParameters(badLevel), { code: 'bad_reply' });
  const badSize = data.slice();
  badSize[13] = 4;
  assert.throws(() => decodeSystemParameters(badSize), { code: 'bad_reply' });
  assert.throws(() => decodeSystemParameters(data.slice(0, 15)), { code: 'bad_reply' });
});

test('every defect of a packet is its own named error', () => {
  const good = encodeCommand({ type: 'gen_img' });
  const table: Array<[string, Uint8Array, string]> = [
    ['wrong header', fromHex('ee01ffffffff010003010005'), 'bad_header'],
    ['wrong second header byte', fromHex('ef02ffffffff010003010005'), 'bad_header'],
    ['empty', new Uint8Array(0), 'truncated'],
    ['header only', fromHex('ef01ffff'), 'truncated'],
    ['wrong address', encodeCommand({ type: 'gen_img' }, 1), 'wrong_address'],
    ['unknown packet id', fromHex('ef01ffffffff030003010007'), 'unknown_packet_id'],
    ['length 2', fromHex('ef01ffffffff0100020100'), 'bad_length'],
    ['length 259', fromHex('ef01ffffffff010103'), 'bad_length'],
    ['truncated payload', good.slice(0, good.length - 1), 'truncated'],
    ['trailing byte', Uint8Array.of(...good, 0), 'trailing_bytes'],
    ['bad checksum', Uint8Array.of(...good.slice(0, -1), 6), 'bad_checksum'],
  ];
  for (const [what, bytes, code] of table) assert.throws(() => decodePacket(bytes), (error: unknown) => error instanceof R30xCodecError && error.code === code, what);
  assert.throws(() => encodePacket({ address: 0, kind: 'data', payload: new Uint8Array(257) }), { code: 'invalid_argument' });
  assert.throws(() => encodeCommand({ type: 'img2tz', bufferId: 3 as 1 }), { code: 'invalid_argument' });
  assert.throws(() => decodeCommand(decodePacket(fromHex('ef01ffffffff01000399009d'))), { code: 'bad_command' });
});

test('confirmation codes have names, unknown ones keep their number', () => {
  assert.equal(confirmationName(0x0a), 'merge_failed');
  assert.equal(confirmationName(0x18), 'flash_write_error');
  assert.equal(confirmationName(0x7e), 'code_0x7e');
  assert.equal(R30xConfirmation.finger_not_found, 0x09);
});

test('the reader reassembles packets split anywhere and resynchronises after stray bytes', () => {
  const first = encodeAck('gen_img', 0, new Uint8Array(0));
  const second = encodeAck('search', 0, encodeSearchResult({ pageId: 2, matchScore: 77 }));
  const stream = Uint8Array.of(0x00, 0xef, 0x13, ...first, 0xef, 0x01, 0xff, ...second);
  for (let split = 0; split <= stream.length; split += 1) {
    const reader = new R30xPacketReader();
    const items = [...reader.push(stream.slice(0, split)), ...reader.push(stream.slice(split))];
    assert.deepEqual(items.map((item) => (item.type === 'packet' ? toHex(item.packet.payload) : item.error.code)), ['00', '000002004d'], `split at ${split}`);
    assert.equal(reader.strayBytes, 6);
  }
  const corrupt = Uint8Array.of(...first.slice(0, -1), first.at(-1)! ^ 1, ...first);
  const items = new R30xPacketReader().push(corrupt);
  assert.deepEqual(items.map((item) => item.type === 'packet' ? 'packet' : item.error.code), ['bad_checksum', 'packet']);
  assert.equal(r30xReplyLength(stream.slice(0, 5)), -1);
  assert.equal(r30xReplyLength(stream), 3 + first.length);
  assert.deepEqual(scanFrame(Uint8Array.of(1, 2, 3)), { type: 'incomplete', start: 3 });
});

function isNamed(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch (error) {
    return error instanceof R30xCodecError;
  }
}

function decodesCleanly(bytes: Uint8Array): boolean {
  try {
    decodePacket(bytes);
    return true;
  } catch {
    return false;
  }
}

const commands: R30xCommand[] = [
  { type: 'gen_img' },
  { type: 'verify_password', password: 0 },
  { type: 'search', bufferId: 1, startPage: 0, pageCount: 200 },
  { type: 'store', bufferId: 1, pageId: 3 },
];
const validPackets = [
  ...commands.map((command) => encodeCommand(command)),
  encodeAck('read_sys_para', 0, encodeSystemParameters({ statusRegister: 0, systemId: 9, libraryCapacity: 200, securityLevel: 3, address: 0xffffffff, packetSizeBytes: 128, baudRate: 57600 })),
  encodeAck('search', 0, encodeSearchResult({ pageId: 1, matchScore: 90 })),
  encodeAck('gen_img', 2, new Uint8Array(0)),
];

test('10,000 random and mutated packets: each decodes or is a named codec error, nothing crashes', () => {
  const mutated = fc
    .tuple(fc.constantFrom(...validPackets), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'drop', 'insert')), { minLength: 1, maxLength: 4 }))
    .map(([packet, edits]) => {
      const bytes = [...packet];
      for (const [at, value, kind] of edits) {
        const index = at % (bytes.length + 1);
        if (kind === 'flip') bytes[index % bytes.length] = value;
        else if (kind === 'drop') bytes.splice(index, 1);
        else bytes.splice(index, 0, value);
      }
      return Uint8Array.from(bytes);
    });
  const random = fc.uint8Array({ maxLength: 300 }).map((bytes) => (bytes.length > 2 ? Uint8Array.of(0xef, 0x01, ...bytes) : bytes));
  let decoded = 0;
  fc.assert(
    fc.property(fc.oneof(mutated, random), (bytes) => {
      assert.ok(isNamed(() => decodePacket(bytes)));
      assert.ok(isNamed(() => decodeAck(bytes, 'search')));
      assert.ok(isNamed(() => decodeSystemParameters(decodeAck(bytes, 'read_sys_para').data)));
      assert.ok(isNamed(() => decodeCommand(decodePacket(bytes))));
      assert.ok(isNamed(() => new R30xPacketReader().push(bytes)));
      if (decodesCleanly(bytes)) decoded += 1;
    }),
    { seed: 1330, numRuns: 10_000 },
  );
  // The corpus must exercise both sides: some mutations (an edit that rewrites a byte with itself) still decode.
  assert.ok(decoded > 0, 'some fuzzed packets decode');
});
