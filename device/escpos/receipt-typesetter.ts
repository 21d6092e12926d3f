// Lays abstract receipt lines out for the printer. Left-to-right languages (English, Turkish)
// become text blocks in code page 857, padded into 42 columns (Font A on an 80 mm roll, with a
// margin every model prints). Persian becomes one raster image per line: each text is shaped and
// put in display order here (persian-shaping.ts), and a LineRasteriser supplied from outside
// device/ (it needs a font file) draws it. Rules, QR codes, feeds and cuts are the same commands
// in every language.
import { EscPosError } from './escpos-error.js';
import { visualOrderRtl } from './persian-shaping.js';
import type { RasterImage } from './raster-image.js';
import type { ReceiptBlock, ReceiptDocument } from './receipt.js';

export type ReceiptLine =
  /** Centred, bold and double size: the receipt's kind. */
  | { type: 'title'; text: string }
  | { type: 'center'; text: string; bold?: boolean }
  /** A label and its value: label at the start of the line, value at its end. */
  | { type: 'pair'; label: string; value: string; bold?: boolean }
  /** Text at the start of the line. */
  | { type: 'text'; text: string }
  | { type: 'rule' }
  | { type: 'qr'; data: string }
  | { type: 'feed'; lines: number }
  | { type: 'cut' };

/** One piece of a line in display order (left to right), placed at the line's left, centre or right. */
export interface LineSegment {
  text: string;
  align: 'left' | 'center' | 'right';
}

export interface LineRasteriser {
  /** Draws segments of display-order text into one image widthDots wide. */
  drawLine(segments: readonly LineSegment[], style: { bold: boolean; doubleSize: boolean }, widthDots: number): RasterImage;
}

export type Typesetting = { direction: 'ltr' } | { direction: 'rtl'; rasteriser: LineRasteriser };

/** Characters per line in Font A (12 dots) within the 504 dots every 80 mm model prints. */
export const receiptColumns = 42;
/** The width a Persian line is drawn across: 42 columns of Font A. */
export const receiptWidthDots = receiptColumns * 12;

// Intl's formatted dates carry bidi marks; the typesetter orders text itself and a mark would
// print as '?' in PC857 or as an empty glyph.
const bidiControls = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;
const clean = (text: string): string => String(text).replace(bidiControls, '');

function padPair(label: string, value: string, columns: number): string[] {
  const gap = columns - Array.from(label).length - Array.from(value).length;
  if (gap >= 1) return [label + ' '.repeat(gap) + value];
  // Too long for one line: the value goes right-aligned on its own line.
  return [label, ' '.repeat(Math.max(0, columns - Array.from(value).length)) + value];
}

function ltrBlocks(line: ReceiptLine): ReceiptBlock[] {
  switch (line.type) {
    case 'title':
      return [{ type: 'text', text: clean(line.text), align: 'center', bold: true, doubleSize: true }];
    case 'center':
      return [{ type: 'text', text: clean(line.text), align: 'center', bold: line.bold === true }];
    case 'pair':
      return padPair(clean(line.label), clean(line.value), receiptColumns).map((text) => ({ type: 'text', text, bold: line.bold === true }));
    case 'text':
      return [{ type: 'text', text: clean(line.text) }];
    default:
      return commonBlocks(line);
  }
}

function rtlBlocks(line: ReceiptLine, rasteriser: LineRasteriser): ReceiptBlock[] {
  const draw = (segments: LineSegment[], bold: boolean, doubleSize = false): ReceiptBlock[] => [
    { type: 'raster', image: rasteriser.drawLine(segments, { bold, doubleSize }, receiptWidthDots), align: 'center' },
  ];
  switch (line.type) {
    case 'title':
      return draw([{ text: visualOrderRtl(clean(line.text)), align: 'center' }], true, true);
    case 'center':
      return draw([{ text: visualOrderRtl(clean(line.text)), align: 'center' }], line.bold === true);
    case 'pair':
      // Right to left: the label starts the line at the right, the value ends it at the left.
      return draw([{ text: visualOrderRtl(clean(line.label)), align: 'right' }, { text: visualOrderRtl(clean(line.value)), align: 'left' }], line.bold === true);
    case 'text':
      return draw([{ text: visualOrderRtl(clean(line.text)), align: 'right' }], false);
    default:
      return commonBlocks(line);
  }
}

function commonBlocks(line: ReceiptLine): ReceiptBlock[] {
  switch (line.type) {
    case 'rule':
      return [{ type: 'text', text: '-'.repeat(receiptColumns) }];
    case 'qr':
      return [{ type: 'qr', data: line.data, align: 'center' }];
    case 'feed':
      return [{ type: 'feed', lines: line.lines }];
    case 'cut':
      return [{ type: 'cut', feedUnits: 0 }];
    default:
      throw new EscPosError('escpos_bad_option', `unknown receipt line ${JSON.stringify((line as { type?: unknown }).type)}`);
  }
}

/** The lines as a ReceiptDocument for encodeReceipt. */
export function typesetReceipt(lines: readonly ReceiptLine[], typesetting: Typesetting): ReceiptDocument {
  const blocks = lines.flatMap((line) => (typesetting.direction === 'ltr' ? ltrBlocks(line) : rtlBlocks(line, typesetting.rasteriser)));
  return { blocks };
}
