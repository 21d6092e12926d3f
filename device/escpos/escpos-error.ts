// One error class for everything the ESC/POS codec refuses. Callers branch on `code`, never on
// the message, so a driver can tell a caller's bad receipt from a printer that answered nonsense.

export type EscPosErrorCode =
  /** An alignment that is not 'left', 'center' or 'right'. */
  | 'escpos_bad_alignment'
  /** A numeric option out of its documented range (module size, feed count, status request…). */
  | 'escpos_bad_option'
  /** A QR code with no data: GS ( k function 180 needs at least one byte. */
  | 'escpos_qr_empty'
  /** QR data longer than a version 40 symbol holds in byte mode at the chosen error correction. */
  | 'escpos_qr_too_long'
  /** A raster image with zero width or height. */
  | 'escpos_image_empty'
  /** A raster image wider than the 576 dots an 80 mm head prints. */
  | 'escpos_image_too_wide'
  /** A raster image taller than one GS v 0 command can carry (yH ≤ 8, so 2303 dots). */
  | 'escpos_image_too_tall'
  /** Non-integer dimensions, or bitmap bytes that do not match width and height. */
  | 'escpos_image_bad_data'
  /** A real-time status reply whose fixed bits are wrong, or that is not a byte at all. */
  | 'escpos_status_invalid';

export class EscPosError extends Error {
  constructor(
    readonly code: EscPosErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EscPosError';
  }
}

/** Checks that a value is an integer within [min, max]; the codec's only numeric guard. */
export function requireByteRange(value: unknown, min: number, max: number, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new EscPosError('escpos_bad_option', `${what} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}
