// Finding R30x/ZFM packets in a byte stream: a serial line delivers bytes in arbitrary chunks,
// and line noise or a module's boot banner may put stray bytes before a header. A scan finds the
// first plausible packet (EF01, a known packet id, a legal length) and says where it ends once
// all its bytes are there; the strict decode of those bytes is r30x-codec.ts's. Pure.
import { decodePacket, defaultR30xAddress, isValidLengthField, packetKindOf, r30xPacketHeaderLength, R30xCodecError, type R30xPacket } from './r30x-codec.js';

export type R30xFrameScan =
  /** A whole packet lies in [start, end); bytes before start are strays. */
  | { type: 'frame'; start: number; end: number }
  /** No whole packet yet; bytes before start are strays, the rest may begin one. */
  | { type: 'incomplete'; start: number };

export function scanFrame(bytes: Uint8Array): R30xFrameScan {
  for (let start = 0; start < bytes.length; start += 1) {
    if (bytes[start] !== 0xef) continue;
    if (start + 1 >= bytes.length) return { type: 'incomplete', start };
    if (bytes[start + 1] !== 0x01) continue;
    if (start + r30xPacketHeaderLength > bytes.length) return { type: 'incomplete', start };
    const lengthField = (bytes[start + 7]! << 8) | bytes[start + 8]!;
    // A header with an impossible packet id or length is line noise that happens to read EF01.
    if (!packetKindOf(bytes[start + 6]!) || !isValidLengthField(lengthField)) continue;
    const end = start + r30xPacketHeaderLength + lengthField;
    return end <= bytes.length ? { type: 'frame', start, end } : { type: 'incomplete', start };
  }
  return { type: 'incomplete', start: bytes.length };
}

/** The length to read before a reply is complete (strays included), or -1: serial-line.ts's ReplyLength. */
export function r30xReplyLength(received: Uint8Array): number {
  const scan = scanFrame(received);
  return scan.type === 'frame' ? scan.end : -1;
}

/** The first packet's bytes among bytes r30xReplyLength said were complete, strays dropped. */
export function firstFrameBytes(bytes: Uint8Array): Uint8Array {
  const scan = scanFrame(bytes);
  if (scan.type !== 'frame') throw new R30xCodecError('truncated', 'no whole packet in the bytes received');
  return bytes.slice(scan.start, scan.end);
}

export type R30xStreamItem = { type: 'packet'; packet: R30xPacket } | { type: 'error'; error: R30xCodecError };

/** Reassembles packets from chunks; a packet that fails the strict decode is reported, not thrown. */
export class R30xPacketReader {
  private buffered = new Uint8Array(0);
  private strayByteCount = 0;

  constructor(private readonly address: number = defaultR30xAddress) {}

  /** Bytes skipped because they could not begin a packet. */
  get strayBytes(): number {
    return this.strayByteCount;
  }

  push(chunk: Uint8Array): R30xStreamItem[] {
    const joined = new Uint8Array(this.buffered.length + chunk.length);
    joined.set(this.buffered);
    joined.set(chunk, this.buffered.length);
    const items: R30xStreamItem[] = [];
    let rest = joined;
    for (;;) {
      const scan = scanFrame(rest);
      this.strayByteCount += scan.start;
      if (scan.type === 'incomplete') {
        rest = rest.slice(scan.start);
        break;
      }
      try {
        items.push({ type: 'packet', packet: decodePacket(rest.subarray(scan.start, scan.end), this.address) });
      } catch (error) {
        if (!(error instanceof R30xCodecError)) throw error;
        items.push({ type: 'error', error });
      }
      rest = rest.slice(scan.end);
    }
    this.buffered = rest;
    return items;
  }
}
