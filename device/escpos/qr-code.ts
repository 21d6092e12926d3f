// A QR code through the GS ( k 2D-code functions (cn = 49): select the model (165), set the module
// size (167) and the error correction level (169), store the data (180), print it (181). The
// printer builds the symbol itself, so the codec only checks that the data can fit one.
import { GS } from './commands.js';
import { concatBytes } from './commands.js';
import { EscPosError, requireByteRange } from './escpos-error.js';

export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

export interface QrOptions {
  /** Dots per module, 1–16 (Epson's range). Six makes a 26-character payment id about 19 mm wide at 203 dpi. */
  moduleSize?: number;
  /** M recovers about 15% damage, enough for a thermal receipt in a wallet, and keeps the symbol small. */
  errorCorrection?: QrErrorCorrection;
}

/**
 * The byte-mode capacity of a model 2, version 40 symbol (ISO/IEC 18004 table 7). The printer may
 * choose a denser mode for digits (7089 at L), but byte mode is what arbitrary data needs, so this
 * is the limit that is true for every input.
 */
export const qrByteCapacity: Readonly<Record<QrErrorCorrection, number>> = { L: 2953, M: 2331, Q: 1663, H: 1273 };

const errorCorrectionCodes: Record<QrErrorCorrection, number> = { L: 48, M: 49, Q: 50, H: 51 };
const defaultModuleSize = 6;
const utf8 = new TextEncoder();

/** One GS ( k command: pL pH count the bytes after themselves (cn, fn and the parameters), little-endian. */
function qrFunction(fn: number, parameters: Uint8Array): Uint8Array {
  const length = parameters.length + 2;
  const header = Uint8Array.of(GS, 0x28, 0x6b, length & 0xff, length >> 8, 49, fn);
  return concatBytes([header, parameters]);
}

/**
 * Encodes the whole QR sequence for some text, as UTF-8. Payment ids are ASCII, which every
 * scanner reads the same way; other text is UTF-8 because that is what phones assume.
 */
export function encodeQrCode(data: string, options: QrOptions = {}): Uint8Array {
  const errorCorrection = options.errorCorrection ?? 'M';
  if (!Object.hasOwn(errorCorrectionCodes, errorCorrection)) {
    throw new EscPosError('escpos_bad_option', `unknown QR error correction ${JSON.stringify(errorCorrection)}`);
  }
  const moduleSize = requireByteRange(options.moduleSize ?? defaultModuleSize, 1, 16, 'QR module size');
  const bytes = utf8.encode(data);
  if (bytes.length === 0) throw new EscPosError('escpos_qr_empty', 'a QR code needs at least one byte of data');
  const capacity = qrByteCapacity[errorCorrection];
  if (bytes.length > capacity) {
    throw new EscPosError('escpos_qr_too_long', `QR data of ${bytes.length} bytes exceeds ${capacity}, the byte capacity at level ${errorCorrection}`);
  }
  return concatBytes([
    qrFunction(65, Uint8Array.of(50, 0)), // 165: model 2, the model every scanner reads
    qrFunction(67, Uint8Array.of(moduleSize)), // 167
    qrFunction(69, Uint8Array.of(errorCorrectionCodes[errorCorrection])), // 169
    qrFunction(80, concatBytes([Uint8Array.of(48), bytes])), // 180: m = 48, then the data
    qrFunction(81, Uint8Array.of(48)), // 181: print the stored symbol
  ]);
}
