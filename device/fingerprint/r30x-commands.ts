// The R30x/ZFM instructions this terminal uses and their acks, pure. A command packet's payload
// is the instruction byte and its parameters; an ack's payload is the confirmation code and, for
// some instructions, data of a fixed length (Search: page id and score; ReadSysPara: 16 bytes;
// TemplateNum: a count). Real modules send that data even when the code is a failure, some
// clones send the code alone, so a failed ack may be either length; an ok ack must be exact.
import { decodePacket, encodePacket, defaultR30xAddress, R30xCodecError, type R30xPacket } from './r30x-codec.js';

/** The module's two character buffers, where Img2Tz puts features and RegModel merges them. */
export type R30xCharBuffer = 1 | 2;

export const r30xInstructions = {
  gen_img: 0x01,
  img2tz: 0x02,
  search: 0x04,
  reg_model: 0x05,
  store: 0x06,
  delete_char: 0x0c,
  read_sys_para: 0x0f,
  verify_password: 0x13,
  template_num: 0x1d,
  handshake: 0x40,
} as const;

export type R30xInstruction = keyof typeof r30xInstructions;

export type R30xCommand =
  /** HandShake (0x40): answered 0x00 by modules that are ready; not every clone has it. */
  | { type: 'handshake' }
  /** VfyPwd (0x13): every R30x/ZFM has it; a module with a password refuses others until it succeeds. */
  | { type: 'verify_password'; password: number }
  | { type: 'gen_img' }
  | { type: 'img2tz'; bufferId: R30xCharBuffer }
  | { type: 'reg_model' }
  | { type: 'store'; bufferId: R30xCharBuffer; pageId: number }
  | { type: 'search'; bufferId: R30xCharBuffer; startPage: number; pageCount: number }
  | { type: 'delete_char'; pageId: number; count: number }
  | { type: 'read_sys_para' }
  | { type: 'template_num' };

/** Bytes of data an ok ack carries after its confirmation code, per instruction. */
export const r30xAckDataLength: Record<R30xInstruction, number> = {
  gen_img: 0,
  img2tz: 0,
  search: 4,
  reg_model: 0,
  store: 0,
  delete_char: 0,
  read_sys_para: 16,
  verify_password: 0,
  template_num: 2,
  handshake: 0,
};

/** Parameter bytes after the instruction byte, per instruction. */
const parameterLength: Record<R30xInstruction, number> = {
  gen_img: 0,
  img2tz: 1,
  search: 5,
  reg_model: 0,
  store: 3,
  delete_char: 4,
  read_sys_para: 0,
  verify_password: 4,
  template_num: 0,
  handshake: 0,
};

const instructionsByCode = new Map<number, R30xInstruction>(
  Object.entries(r30xInstructions).map(([name, code]) => [code, name as R30xInstruction]),
);

function checkBuffer(bufferId: number): R30xCharBuffer {
  if (bufferId !== 1 && bufferId !== 2) throw new R30xCodecError('invalid_argument', `character buffer ${bufferId}; the module has 1 and 2`);
  return bufferId;
}

function checkUint16(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new R30xCodecError('invalid_argument', `${what} ${value} does not fit 16 bits`);
  return value;
}

export function commandPayload(command: R30xCommand): Uint8Array {
  const out = new Uint8Array(1 + parameterLength[command.type]);
  const view = new DataView(out.buffer);
  out[0] = r30xInstructions[command.type];
  switch (command.type) {
    case 'verify_password':
      if (!Number.isInteger(command.password) || command.password < 0 || command.password > 0xffffffff) {
        throw new R30xCodecError('invalid_argument', 'the password is a 32-bit number');
      }
      view.setUint32(1, command.password);
      break;
    case 'img2tz':
      out[1] = checkBuffer(command.bufferId);
      break;
    case 'store':
      out[1] = checkBuffer(command.bufferId);
      view.setUint16(2, checkUint16(command.pageId, 'page id'));
      break;
    case 'search':
      out[1] = checkBuffer(command.bufferId);
      view.setUint16(2, checkUint16(command.startPage, 'start page'));
      view.setUint16(4, checkUint16(command.pageCount, 'page count'));
      break;
    case 'delete_char':
      view.setUint16(1, checkUint16(command.pageId, 'page id'));
      view.setUint16(3, checkUint16(command.count, 'count'));
      break;
    default:
      break;
  }
  return out;
}

/** The whole command packet for the module at `address`. */
export function encodeCommand(command: R30xCommand, address: number = defaultR30xAddress): Uint8Array {
  return encodePacket({ address, kind: 'command', payload: commandPayload(command) });
}

/** Reads a command packet's payload, as the module (here, the simulator) does. */
export function decodeCommand(packet: R30xPacket): R30xCommand {
  if (packet.kind !== 'command') throw new R30xCodecError('unexpected_packet', `a ${packet.kind} packet where a command was due`);
  const { payload } = packet;
  const type = instructionsByCode.get(payload[0]!);
  if (!type) throw new R30xCodecError('bad_command', `unknown instruction 0x${payload[0]!.toString(16)}`);
  if (payload.length !== 1 + parameterLength[type]) {
    throw new R30xCodecError('bad_command', `${type} takes ${parameterLength[type]} parameter bytes, got ${payload.length - 1}`);
  }
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  switch (type) {
    case 'verify_password':
      return { type, password: view.getUint32(1) };
    case 'img2tz':
      return { type, bufferId: checkCommandBuffer(payload[1]!) };
    case 'store':
      return { type, bufferId: checkCommandBuffer(payload[1]!), pageId: view.getUint16(2) };
    case 'search':
      return { type, bufferId: checkCommandBuffer(payload[1]!), startPage: view.getUint16(2), pageCount: view.getUint16(4) };
    case 'delete_char':
      return { type, pageId: view.getUint16(1), count: view.getUint16(3) };
    default:
      return { type } as R30xCommand;
  }
}

function checkCommandBuffer(bufferId: number): R30xCharBuffer {
  if (bufferId !== 1 && bufferId !== 2) throw new R30xCodecError('bad_command', `character buffer ${bufferId}; the module has 1 and 2`);
  return bufferId;
}

export interface R30xAck {
  /** The confirmation code (r30x-confirmation-codes.ts names them). */
  code: number;
  /** The instruction's reply data; empty when a failed ack carries none. */
  data: Uint8Array;
}

/** Encodes the module's ack to `instruction`: an ok ack must carry exactly its data. */
export function encodeAck(instruction: R30xInstruction, code: number, data: Uint8Array, address: number = defaultR30xAddress): Uint8Array {
  const expected = r30xAckDataLength[instruction];
  if (code < 0 || code > 0xff || !Number.isInteger(code)) throw new R30xCodecError('invalid_argument', `confirmation code ${code}`);
  if (data.length !== expected && !(code !== 0 && data.length === 0)) {
    throw new R30xCodecError('invalid_argument', `${instruction} ack carries ${expected} data bytes, got ${data.length}`);
  }
  const payload = new Uint8Array(1 + data.length);
  payload[0] = code;
  payload.set(data, 1);
  return encodePacket({ address, kind: 'ack', payload });
}

/** Decodes a whole ack packet to `instruction`, strictly. */
export function decodeAck(bytes: Uint8Array, instruction: R30xInstruction, address: number = defaultR30xAddress): R30xAck {
  const packet = decodePacket(bytes, address);
  if (packet.kind !== 'ack') throw new R30xCodecError('unexpected_packet', `a ${packet.kind} packet where the ${instruction} ack was due`);
  const code = packet.payload[0]!;
  const data = packet.payload.slice(1);
  const expected = r30xAckDataLength[instruction];
  if (data.length !== expected && !(code !== 0 && data.length === 0)) {
    throw new R30xCodecError('bad_reply', `${instruction} ack with ${data.length} data bytes, expected ${expected}`);
  }
  return { code, data };
}
