// The R30x/ZFM fingerprint module's packet protocol (R305, R307, R503, ZFM-20, AS608 and their
// clones), pure: bytes in, bytes out. A packet is header EF01, a 4-byte module address
// (FFFFFFFF unless reprogrammed), a packet id (01 command, 02 data, 07 ack, 08 end of data), a
// 2-byte length counting the payload and the 2 checksum bytes, the payload, and the checksum:
// the sum of the packet id, both length bytes and every payload byte, mod 65536. All multi-byte
// fields are big-endian. Decoding is strict: anything that is not exactly one well-formed packet
// for the expected address is an R30xCodecError with a code, and nothing else is ever thrown.

export const r30xHeader = 0xef01;
export const defaultR30xAddress = 0xffffffff;
/** Bytes before the payload: header 2, address 4, packet id 1, length 2. */
export const r30xPacketHeaderLength = 9;
/** The largest payload the manuals allow (a 256-byte data packet). */
export const r30xMaxPayloadLength = 256;

export const r30xPacketIds = { command: 0x01, data: 0x02, ack: 0x07, end_of_data: 0x08 } as const;
export type R30xPacketKind = keyof typeof r30xPacketIds;

export interface R30xPacket {
  address: number;
  kind: R30xPacketKind;
  payload: Uint8Array;
}

export type R30xCodecErrorCode =
  | 'bad_header'
  | 'wrong_address'
  | 'unknown_packet_id'
  | 'bad_length'
  | 'bad_checksum'
  | 'truncated'
  | 'trailing_bytes'
  /** A well-formed packet of the wrong kind (a command where an ack was due). */
  | 'unexpected_packet'
  /** An ack whose payload does not have the shape its command's reply has. */
  | 'bad_reply'
  /** A command packet with an unknown instruction or the wrong parameter length. */
  | 'bad_command'
  /** A value the caller asked to encode that does not fit its field. */
  | 'invalid_argument';

export class R30xCodecError extends Error {
  constructor(
    readonly code: R30xCodecErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'R30xCodecError';
  }
}

const kindsById = new Map<number, R30xPacketKind>(
  Object.entries(r30xPacketIds).map(([kind, id]) => [id, kind as R30xPacketKind]),
);

export function packetKindOf(id: number): R30xPacketKind | undefined {
  return kindsById.get(id);
}

/** The length field's legal range: at least one payload byte, at most 256. */
export function isValidLengthField(lengthField: number): boolean {
  return lengthField >= 3 && lengthField <= r30xMaxPayloadLength + 2;
}

function checksumOf(packetId: number, lengthField: number, payload: Uint8Array): number {
  let sum = packetId + (lengthField >> 8) + (lengthField & 0xff);
  for (const byte of payload) sum += byte;
  return sum & 0xffff;
}

function assertUint(value: number, bits: 8 | 16 | 32, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
    throw new R30xCodecError('invalid_argument', `${what} ${value} does not fit ${bits} bits`);
  }
}

export function encodePacket(packet: R30xPacket): Uint8Array {
  assertUint(packet.address, 32, 'address');
  const packetId = r30xPacketIds[packet.kind];
  if (packetId === undefined) throw new R30xCodecError('invalid_argument', `unknown packet kind ${String(packet.kind)}`);
  if (packet.payload.length < 1 || packet.payload.length > r30xMaxPayloadLength) {
    throw new R30xCodecError('invalid_argument', `payload of ${packet.payload.length} bytes; a packet carries 1 to ${r30xMaxPayloadLength}`);
  }
  const lengthField = packet.payload.length + 2;
  const out = new Uint8Array(r30xPacketHeaderLength + lengthField);
  const view = new DataView(out.buffer);
  view.setUint16(0, r30xHeader);
  view.setUint32(2, packet.address);
  out[6] = packetId;
  view.setUint16(7, lengthField);
  out.set(packet.payload, r30xPacketHeaderLength);
  view.setUint16(r30xPacketHeaderLength + packet.payload.length, checksumOf(packetId, lengthField, packet.payload));
  return out;
}

/** Decodes exactly one packet addressed to `expectedAddress`; every defect is a named R30xCodecError. */
export function decodePacket(bytes: Uint8Array, expectedAddress: number = defaultR30xAddress): R30xPacket {
  if ((bytes.length >= 1 && bytes[0] !== 0xef) || (bytes.length >= 2 && bytes[1] !== 0x01)) {
    throw new R30xCodecError('bad_header', 'a packet starts with EF01');
  }
  if (bytes.length < r30xPacketHeaderLength) {
    throw new R30xCodecError('truncated', `${bytes.length} bytes is shorter than a packet header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const address = view.getUint32(2);
  if (address !== expectedAddress) {
    throw new R30xCodecError('wrong_address', `packet for address ${address.toString(16)}, expected ${expectedAddress.toString(16)}`);
  }
  const packetId = bytes[6]!;
  const kind = packetKindOf(packetId);
  if (!kind) throw new R30xCodecError('unknown_packet_id', `unknown packet id 0x${packetId.toString(16)}`);
  const lengthField = view.getUint16(7);
  if (!isValidLengthField(lengthField)) throw new R30xCodecError('bad_length', `length field ${lengthField} is outside 3..258`);
  const total = r30xPacketHeaderLength + lengthField;
  if (bytes.length < total) throw new R30xCodecError('truncated', `packet needs ${total} bytes, got ${bytes.length}`);
  if (bytes.length > total) throw new R30xCodecError('trailing_bytes', `${bytes.length - total} bytes after the packet`);
  const payload = bytes.slice(r30xPacketHeaderLength, total - 2);
  const checksum = view.getUint16(total - 2);
  const expected = checksumOf(packetId, lengthField, payload);
  if (checksum !== expected) {
    throw new R30xCodecError('bad_checksum', `checksum ${checksum.toString(16)}, computed ${expected.toString(16)}`);
  }
  return { address, kind, payload };
}
