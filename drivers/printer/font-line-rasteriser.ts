// Draws display-order text (shaped Persian from device/escpos/persian-shaping.ts, digits, ids)
// into 1-bit images for GS v 0, from the Vazirmatn font (SIL Open Font License, the npm package
// `vazirmatn`, which maps Unicode's Arabic presentation forms to its contextual glyphs). The font
// is parsed by opentype.js (pure JavaScript, no native build, no download at install) once per
// process; each glyph's outline is placed at its advance, with no kerning or GPOS, and filled by
// the pure rasteriser in device/escpos/outline-raster.ts. Shaping is done before this file, so
// nothing here depends on the font's own shaping tables.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { rasteriseOutlines, type OutlineCommand } from '../../device/escpos/outline-raster.js';
import type { RasterImage } from '../../device/escpos/raster-image.js';
import type { LineRasteriser, LineSegment } from '../../device/escpos/receipt-typesetter.js';

/** The parts of opentype.js this file uses (it ships no type declarations). */
interface Glyph {
  advanceWidth?: number;
  getPath(x: number, y: number, fontSize: number): { commands: OutlineCommand[] };
}
interface Font {
  unitsPerEm: number;
  ascender: number;
  descender: number;
  charToGlyph(character: string): Glyph;
}

/** Dots per em of normal text: about Font A's 24-dot line, so Persian and Latin receipts look alike. */
export const normalFontSizeDots = 22;
const gapDots = 12;

const require = createRequire(import.meta.url);
let cached: Font | null = null;

/** The Vazirmatn Regular font, parsed once. */
export function loadVazirmatn(): Font {
  if (cached) return cached;
  const opentype = require('opentype.js') as { parse(buffer: ArrayBuffer): Font };
  const file = readFileSync(require.resolve('vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf'));
  cached = opentype.parse(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
  return cached;
}

export class FontLineRasteriser implements LineRasteriser {
  constructor(private readonly font: Font = loadVazirmatn()) {}

  drawLine(segments: readonly LineSegment[], style: { bold: boolean; doubleSize: boolean }, widthDots: number): RasterImage {
    const { font } = this;
    let sizeDots = normalFontSizeDots * (style.doubleSize ? 2 : 1);
    const advance = (text: string, size: number): number =>
      Array.from(text).reduce((sum, character) => sum + ((font.charToGlyph(character).advanceWidth ?? 0) * size) / font.unitsPerEm, 0);
    // A line wider than the paper is drawn smaller rather than overprinted.
    const natural = segments.reduce((sum, segment) => sum + advance(segment.text, sizeDots), 0) + gapDots * Math.max(0, segments.length - 1);
    if (natural > widthDots) sizeDots = (sizeDots * widthDots) / natural;
    const heightDots = Math.ceil(((font.ascender - font.descender) * normalFontSizeDots * (style.doubleSize ? 2 : 1)) / font.unitsPerEm);
    const baseline = (font.ascender * sizeDots) / font.unitsPerEm;
    const commands: OutlineCommand[] = [];
    for (const segment of segments) {
      const width = advance(segment.text, sizeDots);
      let x = segment.align === 'left' ? 0 : segment.align === 'right' ? widthDots - width : (widthDots - width) / 2;
      for (const character of segment.text) {
        const glyph = font.charToGlyph(character);
        commands.push(...glyph.getPath(x, baseline, sizeDots).commands);
        x += ((glyph.advanceWidth ?? 0) * sizeDots) / font.unitsPerEm;
      }
    }
    return rasteriseOutlines(commands, widthDots, heightDots, style.bold ? 1 : 0);
  }
}
