// Raster printing through GS v 0, for text no code page can show. Persian needs contextual
// shaping, joining and right-to-left ordering; the Arabic-script code tables (PC720, PC864, and
// the Farsi tables some models add) hold a fixed set of glyph forms, leave shaping and ordering
// to the host, and cover Persian's own letters differently from model to model. Something
// outside device/ renders shaped text to a 1-bit bitmap; this file only frames it for the printer.
import { GS, concatBytes } from './commands.js';
import { EscPosError } from './escpos-error.js';

/** The printable width of an 80 mm head at 203 dpi. */
export const maxRasterWidthDots = 576;
/** GS v 0 allows yH up to 8 on Epson and compatible printers: 8 × 256 + 255 dots. */
export const maxRasterHeightDots = 2303;

/**
 * A 1-bit image, row by row from the top. Each row is ceil(widthDots / 8) bytes, the most
 * significant bit is the leftmost dot, and a 1 bit prints black.
 */
export interface RasterImage {
  widthDots: number;
  heightDots: number;
  data: Uint8Array;
}

/** Checks an image's dimensions and data length; returns the bytes per row. */
export function validateRasterImage(image: RasterImage): number {
  const { widthDots, heightDots, data } = image;
  if (!Number.isInteger(widthDots) || !Number.isInteger(heightDots) || widthDots < 0 || heightDots < 0 || !(data instanceof Uint8Array)) {
    throw new EscPosError('escpos_image_bad_data', `image dimensions ${String(widthDots)}×${String(heightDots)} are not whole dots, or its data is not bytes`);
  }
  if (widthDots === 0 || heightDots === 0) throw new EscPosError('escpos_image_empty', `image of ${widthDots}×${heightDots} dots is empty`);
  if (widthDots > maxRasterWidthDots) {
    throw new EscPosError('escpos_image_too_wide', `image of ${widthDots} dots is wider than the ${maxRasterWidthDots} an 80 mm head prints`);
  }
  if (heightDots > maxRasterHeightDots) {
    throw new EscPosError('escpos_image_too_tall', `image of ${heightDots} dots is taller than one GS v 0 command carries (${maxRasterHeightDots})`);
  }
  const rowBytes = Math.ceil(widthDots / 8);
  if (data.length !== rowBytes * heightDots) {
    throw new EscPosError('escpos_image_bad_data', `image of ${widthDots}×${heightDots} dots needs ${rowBytes * heightDots} bytes, got ${data.length}`);
  }
  return rowBytes;
}

/**
 * GS v 0 m xL xH yL yH d1…dk in normal mode (m = 0): x is the width in bytes and y the height in
 * dots, both little-endian. The padding bits right of the last dot in each row are cleared, so a
 * caller's stray bits cannot print past the image's stated width.
 */
export function encodeRasterImage(image: RasterImage): Uint8Array {
  const rowBytes = validateRasterImage(image);
  const data = image.data.slice();
  const spareBits = rowBytes * 8 - image.widthDots;
  if (spareBits > 0) {
    const keep = (0xff << spareBits) & 0xff;
    for (let row = 0; row < image.heightDots; row += 1) data[row * rowBytes + rowBytes - 1]! &= keep;
  }
  const header = Uint8Array.of(GS, 0x76, 0x30, 0, rowBytes & 0xff, rowBytes >> 8, image.heightDots & 0xff, image.heightDots >> 8);
  return concatBytes([header, data]);
}
