// The minutiae template a DevPay-compatible USB fingerprint reader answers (docs/devices.md,
// "Template format"): a 10-byte header, up to 40 minutiae of 6 bytes each, and a CRC-32 over
// everything before it. The CRC travels with the template, so a template corrupted in the
// reader's chunked transfer, or later on disk, is refused here rather than matched. Pure:
// bytes in, minutiae out, and back; a template that breaks a rule is a TemplateFormatError.

export const templateMagic = [0x46, 0x4d] as const; // "FM"
export const templateFormatVersion = 1;
export const maxMinutiae = 40;
export const templateHeaderLength = 10;
export const minutiaLength = 6;
export const crcLength = 4;
export const maxTemplateLength = templateHeaderLength + maxMinutiae * minutiaLength + crcLength;

/** A ridge ending or a bifurcation; the only two kinds the format carries. */
export type MinutiaKind = 'ending' | 'bifurcation';

export interface Minutia {
  /** Pixels from the sensor image's left edge. */
  x: number;
  /** Pixels from the sensor image's top edge. */
  y: number;
  /** The ridge direction in 1/256ths of a full turn (0-255), so one byte holds it. */
  angle: number;
  kind: MinutiaKind;
}

export interface MinutiaeTemplate {
  /** The reader's image quality estimate, 0-100. */
  quality: number;
  widthPixels: number;
  heightPixels: number;
  minutiae: Minutia[];
}

export type TemplateFormatErrorCode = 'malformed_template' | 'crc_mismatch' | 'unsupported_template_version';

export class TemplateFormatError extends Error {
  constructor(
    readonly code: TemplateFormatErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TemplateFormatError';
  }
}

const kindCodes: Record<MinutiaKind, number> = { ending: 1, bifurcation: 2 };

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let index = 0; index < 256; index += 1) {
    let value = index;
    for (let bit = 0; bit < 8; bit += 1) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
    table[index] = value >>> 0;
  }
  return table;
})();

/** CRC-32 as zlib and PNG compute it (reflected polynomial 0xEDB88320, initial and final XOR 0xFFFFFFFF). */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function malformed(message: string): TemplateFormatError {
  return new TemplateFormatError('malformed_template', message);
}

function checkRange(value: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw malformed(`${what} ${value} is outside 0-${max}`);
}

export function encodeTemplate(template: MinutiaeTemplate): Uint8Array {
  checkRange(template.quality, 100, 'quality');
  checkRange(template.widthPixels, 0xffff, 'image width');
  checkRange(template.heightPixels, 0xffff, 'image height');
  if (template.minutiae.length > maxMinutiae) throw malformed(`${template.minutiae.length} minutiae; at most ${maxMinutiae}`);
  const length = templateHeaderLength + template.minutiae.length * minutiaLength + crcLength;
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  bytes.set(templateMagic, 0);
  bytes[2] = templateFormatVersion;
  bytes[3] = template.minutiae.length;
  bytes[4] = template.quality;
  view.setUint16(6, template.widthPixels);
  view.setUint16(8, template.heightPixels);
  for (const [index, minutia] of template.minutiae.entries()) {
    const offset = templateHeaderLength + index * minutiaLength;
    checkRange(minutia.x, template.widthPixels - 1, 'minutia x');
    checkRange(minutia.y, template.heightPixels - 1, 'minutia y');
    checkRange(minutia.angle, 255, 'minutia angle');
    view.setUint16(offset, minutia.x);
    view.setUint16(offset + 2, minutia.y);
    bytes[offset + 4] = minutia.angle;
    bytes[offset + 5] = kindCodes[minutia.kind];
  }
  view.setUint32(length - crcLength, crc32(bytes.subarray(0, length - crcLength)));
  return bytes;
}

/** Decodes and checks a template: magic, version, length for its count, CRC, then each field. */
export function decodeTemplate(bytes: Uint8Array): MinutiaeTemplate {
  if (bytes.length < templateHeaderLength + crcLength) throw malformed(`a template is at least ${templateHeaderLength + crcLength} bytes, got ${bytes.length}`);
  if (bytes[0] !== templateMagic[0] || bytes[1] !== templateMagic[1]) throw malformed('the template does not start with "FM"');
  if (bytes[2] !== templateFormatVersion) {
    throw new TemplateFormatError('unsupported_template_version', `template format version ${bytes[2]}; this terminal reads version ${templateFormatVersion}`);
  }
  const count = bytes[3]!;
  if (count > maxMinutiae) throw malformed(`${count} minutiae; at most ${maxMinutiae}`);
  const length = templateHeaderLength + count * minutiaLength + crcLength;
  if (bytes.length !== length) throw malformed(`${count} minutiae make a ${length}-byte template, got ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stated = view.getUint32(length - crcLength);
  const computed = crc32(bytes.subarray(0, length - crcLength));
  if (stated !== computed) throw new TemplateFormatError('crc_mismatch', 'the template CRC-32 does not match its bytes');
  if (bytes[5] !== 0) throw malformed('the reserved header byte is not zero');
  const quality = bytes[4]!;
  checkRange(quality, 100, 'quality');
  const widthPixels = view.getUint16(6);
  const heightPixels = view.getUint16(8);
  const minutiae: Minutia[] = [];
  for (let index = 0; index < count; index += 1) {
    const offset = templateHeaderLength + index * minutiaLength;
    const x = view.getUint16(offset);
    const y = view.getUint16(offset + 2);
    if (x >= widthPixels || y >= heightPixels) throw malformed(`minutia ${index} at (${x}, ${y}) lies outside the ${widthPixels}x${heightPixels} image`);
    const kindCode = bytes[offset + 5];
    const kind = kindCode === 1 ? 'ending' : kindCode === 2 ? 'bifurcation' : null;
    if (!kind) throw malformed(`minutia ${index} has unknown type ${kindCode}`);
    minutiae.push({ x, y, angle: bytes[offset + 4]!, kind });
  }
  return { quality, widthPixels, heightPixels, minutiae };
}
