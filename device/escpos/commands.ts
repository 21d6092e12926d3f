// The plain ESC/POS commands a receipt needs, each returning its exact bytes. Sequences follow
// Epson's ESC/POS command reference; the numeric parameter forms (0, 1, 2) are used rather than
// the ASCII forms ('0', '1', '2') because every Epson-compatible printer accepts them.
import { EscPosError, requireByteRange } from './escpos-error.js';

export const ESC = 0x1b;
export const GS = 0x1d;
export const DLE = 0x10;
export const EOT = 0x04;
export const LF = 0x0a;

export type Alignment = 'left' | 'center' | 'right';

const alignmentCodes: Record<Alignment, number> = { left: 0, center: 1, right: 2 };

/** ESC @: clears the print buffer and resets every mode, including the code table, to defaults. */
export function initialize(): Uint8Array {
  return Uint8Array.of(ESC, 0x40);
}

/**
 * ESC t n: selects the character code table used for bytes 0x80–0xFF. It must follow ESC @,
 * which resets the table to PC437.
 */
export function selectCodeTable(table: number): Uint8Array {
  return Uint8Array.of(ESC, 0x74, requireByteRange(table, 0, 255, 'code table'));
}

/**
 * ESC a n: justification of the next line, QR code or raster image. The printer only honours it
 * at the start of a line, which is why the receipt encoder sends it before every block.
 */
export function selectAlignment(alignment: Alignment): Uint8Array {
  // Alignment often arrives from JavaScript callers or stored layouts, so it is checked at run
  // time rather than trusted to the type.
  const code = Object.hasOwn(alignmentCodes, alignment) ? alignmentCodes[alignment] : undefined;
  if (code === undefined) throw new EscPosError('escpos_bad_alignment', `unknown alignment ${JSON.stringify(alignment)}`);
  return Uint8Array.of(ESC, 0x61, code);
}

/** ESC E n: emphasized (bold) on when the lowest bit of n is 1. */
export function selectBold(on: boolean): Uint8Array {
  return Uint8Array.of(ESC, 0x45, on ? 1 : 0);
}

/**
 * GS ! n: character size. Bits 4–7 are the width multiplier minus one and bits 0–3 the height
 * multiplier minus one, so 0x11 is double width and height and 0x00 is normal.
 */
export function selectDoubleSize(on: boolean): Uint8Array {
  return Uint8Array.of(GS, 0x21, on ? 0x11 : 0x00);
}

/** LF repeated: prints the buffer and feeds one line per LF. */
export function lineFeeds(count: number): Uint8Array {
  return new Uint8Array(requireByteRange(count, 0, 255, 'line feed count')).fill(LF);
}

/**
 * GS V 66 n (function B, partial cut): feeds the paper to the cutting position plus n motion
 * units, then cuts leaving one point uncut. Feeding first keeps the last printed line above the
 * blade, and a partial cut lets the customer tear the receipt off without it falling.
 */
export function partialCutAfterFeed(feedUnits: number): Uint8Array {
  return Uint8Array.of(GS, 0x56, 66, requireByteRange(feedUnits, 0, 255, 'cut feed'));
}

/** Joins byte chunks into one array. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
