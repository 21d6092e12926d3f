// The data of the R30x/ZFM acks that carry some: Search (page id, match score), ReadSysPara (the
// module's 16-byte system parameters) and TemplateNum (enrolled count). Pure; a value outside
// what the manuals allow is a named R30xCodecError, so a garbled ack is never read as a setting.
import { R30xCodecError } from './r30x-codec.js';

export interface R30xSearchResult {
  pageId: number;
  matchScore: number;
}

export interface R30xSystemParameters {
  /** Bit 0 busy, bit 1 passed (last match), bit 2 password verified, bit 3 image buffer valid. */
  statusRegister: number;
  systemId: number;
  /** Pages in the template library (the manuals call it finger library size). */
  libraryCapacity: number;
  /** Matching threshold, 1 (lenient) to 5 (strict). */
  securityLevel: number;
  address: number;
  /** Bytes per data packet: 32, 64, 128 or 256 (sent as 0..3). */
  packetSizeBytes: number;
  /** Baud rate (sent as N, meaning N × 9600, N 1..12). */
  baudRate: number;
}

const packetSizes = [32, 64, 128, 256];

function viewOf(data: Uint8Array, length: number, what: string): DataView {
  if (data.length !== length) throw new R30xCodecError('bad_reply', `${what} is ${length} bytes, got ${data.length}`);
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

export function encodeSearchResult(result: R30xSearchResult): Uint8Array {
  for (const value of [result.pageId, result.matchScore]) {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new R30xCodecError('invalid_argument', `search field ${value} does not fit 16 bits`);
  }
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint16(0, result.pageId);
  new DataView(out.buffer).setUint16(2, result.matchScore);
  return out;
}

export function decodeSearchResult(data: Uint8Array): R30xSearchResult {
  const view = viewOf(data, 4, 'a search result');
  return { pageId: view.getUint16(0), matchScore: view.getUint16(2) };
}

export function encodeSystemParameters(parameters: R30xSystemParameters): Uint8Array {
  const sizeCode = packetSizes.indexOf(parameters.packetSizeBytes);
  const baudMultiple = parameters.baudRate / 9600;
  if (sizeCode < 0) throw new R30xCodecError('invalid_argument', `packet size ${parameters.packetSizeBytes}`);
  if (!Number.isInteger(baudMultiple) || baudMultiple < 1 || baudMultiple > 12) throw new R30xCodecError('invalid_argument', `baud rate ${parameters.baudRate}`);
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  view.setUint16(0, parameters.statusRegister);
  view.setUint16(2, parameters.systemId);
  view.setUint16(4, parameters.libraryCapacity);
  view.setUint16(6, parameters.securityLevel);
  view.setUint32(8, parameters.address);
  view.setUint16(12, sizeCode);
  view.setUint16(14, baudMultiple);
  return out;
}

export function decodeSystemParameters(data: Uint8Array): R30xSystemParameters {
  const view = viewOf(data, 16, 'the system parameters');
  const securityLevel = view.getUint16(6);
  const sizeCode = view.getUint16(12);
  const baudMultiple = view.getUint16(14);
  if (securityLevel < 1 || securityLevel > 5) throw new R30xCodecError('bad_reply', `security level ${securityLevel} is outside 1..5`);
  if (sizeCode > 3) throw new R30xCodecError('bad_reply', `packet size code ${sizeCode} is outside 0..3`);
  if (baudMultiple < 1 || baudMultiple > 12) throw new R30xCodecError('bad_reply', `baud multiple ${baudMultiple} is outside 1..12`);
  return {
    statusRegister: view.getUint16(0),
    systemId: view.getUint16(2),
    libraryCapacity: view.getUint16(4),
    securityLevel,
    address: view.getUint32(8),
    packetSizeBytes: packetSizes[sizeCode]!,
    baudRate: baudMultiple * 9600,
  };
}

export function encodeTemplateCount(count: number): Uint8Array {
  if (!Number.isInteger(count) || count < 0 || count > 0xffff) throw new R30xCodecError('invalid_argument', `template count ${count}`);
  return Uint8Array.of(count >> 8, count & 0xff);
}

export function decodeTemplateCount(data: Uint8Array): number {
  return viewOf(data, 2, 'a template count').getUint16(0);
}
