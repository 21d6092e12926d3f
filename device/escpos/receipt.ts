// A receipt as a small document of blocks, encoded to one ESC/POS byte stream. Each text line
// states its own alignment, weight and size instead of relying on what the previous line left
// behind, so lines can be reordered, reprinted or printed after a paper change without
// inheriting a stray bold or double size.
import {
  type Alignment,
  concatBytes,
  initialize,
  lineFeeds,
  partialCutAfterFeed,
  selectAlignment,
  selectBold,
  selectCodeTable,
  selectDoubleSize,
} from './commands.js';
import { encodePc857Text, pc857CodeTable } from './code-page-857.js';
import { EscPosError } from './escpos-error.js';
import { encodeQrCode, type QrErrorCorrection } from './qr-code.js';
import { encodeRasterImage, type RasterImage } from './raster-image.js';

export type ReceiptBlock =
  | { type: 'text'; text: string; align?: Alignment; bold?: boolean; doubleSize?: boolean }
  | { type: 'feed'; lines: number }
  | { type: 'qr'; data: string; align?: Alignment; moduleSize?: number; errorCorrection?: QrErrorCorrection }
  /** A pre-rendered 1-bit image, such as a line of shaped Persian text. */
  | { type: 'raster'; image: RasterImage; align?: Alignment }
  /** Feed to the blade plus feedUnits motion units, then a partial cut. */
  | { type: 'cut'; feedUnits?: number };

export interface ReceiptDocument {
  blocks: readonly ReceiptBlock[];
  /**
   * The ESC t number of PC857 on the target printer; 13 on Epson and the compatibles that follow
   * its numbering. A printer profile may override it for a model that numbers its tables otherwise.
   */
  codeTable?: number;
}

export interface EncodedReceipt {
  bytes: Uint8Array;
  /** Characters printed as '?' across all text lines. */
  unmappable: number;
  unmappableCharacters: string[];
}

/**
 * Encodes a receipt: ESC @ and ESC t first, then each block. Bad structure (an unknown block or
 * alignment, QR data too long, a bad image) throws an EscPosError; text never does.
 */
export function encodeReceipt(document: ReceiptDocument): EncodedReceipt {
  const chunks: Uint8Array[] = [initialize(), selectCodeTable(document.codeTable ?? pc857CodeTable)];
  const unmappableCharacters = new Set<string>();
  let unmappable = 0;
  for (const block of document.blocks) {
    if (typeof block !== 'object' || block === null) throw new EscPosError('escpos_bad_option', `receipt block ${String(block)} is not an object`);
    switch (block.type) {
      case 'text': {
        const encoded = encodePc857Text(block.text);
        unmappable += encoded.unmappable;
        for (const character of encoded.unmappableCharacters) unmappableCharacters.add(character);
        chunks.push(
          selectAlignment(block.align ?? 'left'),
          selectBold(block.bold === true),
          selectDoubleSize(block.doubleSize === true),
          encoded.bytes,
          lineFeeds(1),
        );
        break;
      }
      case 'feed':
        chunks.push(lineFeeds(block.lines));
        break;
      case 'qr':
        // The symbol prints when function 181 arrives; the LF after it leaves a blank line of
        // quiet zone below it, which scanners need to find the symbol's edge.
        chunks.push(selectAlignment(block.align ?? 'center'), encodeQrCode(block.data, block), lineFeeds(1));
        break;
      case 'raster':
        // GS v 0 advances the paper by the image's height itself, so no line feed follows.
        chunks.push(selectAlignment(block.align ?? 'left'), encodeRasterImage(block.image));
        break;
      case 'cut':
        chunks.push(partialCutAfterFeed(block.feedUnits ?? 0));
        break;
      default:
        throw new EscPosError('escpos_bad_option', `unknown receipt block ${JSON.stringify((block as { type?: unknown }).type)}`);
    }
  }
  return { bytes: concatBytes(chunks), unmappable, unmappableCharacters: [...unmappableCharacters] };
}
