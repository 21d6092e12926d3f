// Real-time status: DLE EOT n asks the printer for one status byte even while it is offline or
// busy, and this file reads the replies. Bit meanings follow Epson's ESC/POS reference for
// DLE EOT. In every reply bits 1 and 4 are fixed to 1 and bits 0 and 7 to 0; checking them tells
// a status byte apart from stray data (an echo, a XON/XOFF byte, a reply to another command),
// which must be a named error and never be read as "paper out".
import { DLE, EOT } from './commands.js';
import { EscPosError } from './escpos-error.js';

/** The four status kinds, numbered as DLE EOT's n. */
export const statusRequest = { printer: 1, offlineCause: 2, errorCause: 3, paperSensor: 4 } as const;
export type StatusRequest = (typeof statusRequest)[keyof typeof statusRequest];

const fixedMask = 0b1001_0011;
const fixedValue = 0b0001_0010;

/** DLE EOT n. */
export function encodeStatusRequest(n: StatusRequest): Uint8Array {
  if (n !== 1 && n !== 2 && n !== 3 && n !== 4) {
    throw new EscPosError('escpos_bad_option', `DLE EOT n must be 1, 2, 3 or 4, got ${String(n)}`);
  }
  return Uint8Array.of(DLE, EOT, n);
}

/** All four requests in order; the printer answers with four bytes in the same order. */
export function encodeFullStatusRequest(): Uint8Array {
  return Uint8Array.of(DLE, EOT, 1, DLE, EOT, 2, DLE, EOT, 3, DLE, EOT, 4);
}

/** n = 1, printer status. */
export interface PrinterStatusByte {
  /** Bit 2: drawer kick-out connector pin 3 is high (a drawer's open switch, where one is wired). */
  drawerPin3High: boolean;
  /** Bit 3: the printer is offline (cover open, paper out, an error, or feeding by button). */
  offline: boolean;
  /** Bit 5: the printer waits for an online recovery command after an error. */
  waitingForOnlineRecovery: boolean;
  /** Bit 6: the paper feed button is being pressed. */
  feedButtonPressed: boolean;
}

/** n = 2, why the printer is offline. */
export interface OfflineCauseByte {
  /** Bit 2: the cover is open. */
  coverOpen: boolean;
  /** Bit 3: paper is being fed by the feed button. */
  feedingByButton: boolean;
  /** Bit 5: printing stopped because the roll ran out. */
  paperEndStop: boolean;
  /** Bit 6: an error occurred (its kind is in the n = 3 reply). */
  errorOccurred: boolean;
}

/** n = 3, which error occurred. */
export interface ErrorCauseByte {
  /** Bit 2: a recoverable (mechanical) error, such as a jam; Epson's older references call it a mechanical error. */
  mechanical: boolean;
  /** Bit 3: the autocutter failed (often paper caught in the blade). */
  autocutter: boolean;
  /** Bit 5: an unrecoverable error; the printer needs power cycling or service. */
  unrecoverable: boolean;
  /** Bit 6: an error that clears itself, such as the head overheating. */
  autoRecoverable: boolean;
}

/** n = 4, the roll paper sensors. */
export interface PaperSensorByte {
  /** Bits 2 and 3 (set together): the near-end sensor sees little paper left. */
  nearEnd: boolean;
  /** Bits 5 and 6 (set together): the end sensor sees no paper. */
  paperOut: boolean;
}

/** What the status bar and the driver need, from all four replies. */
export interface PrinterStatus {
  online: boolean;
  coverOpen: boolean;
  paperOut: boolean;
  paperNearEnd: boolean;
  feedButtonPressed: boolean;
  waitingForOnlineRecovery: boolean;
  drawerPin3High: boolean;
  errors: { any: boolean } & ErrorCauseByte;
}

const bit = (byte: number, index: number): boolean => ((byte >> index) & 1) === 1;

/** Refuses anything that is not a byte with the fixed bits of a DLE EOT reply. */
function checkStatusByte(byte: unknown, what: string): number {
  if (typeof byte !== 'number' || !Number.isInteger(byte) || byte < 0 || byte > 0xff) {
    throw new EscPosError('escpos_status_invalid', `${what} reply ${String(byte)} is not a byte`);
  }
  if ((byte & fixedMask) !== fixedValue) {
    const hex = byte.toString(16).padStart(2, '0');
    throw new EscPosError('escpos_status_invalid', `${what} reply 0x${hex} has wrong fixed bits (bits 1 and 4 must be 1, bits 0 and 7 must be 0)`);
  }
  return byte;
}

export function decodePrinterStatusByte(byte: number): PrinterStatusByte {
  const b = checkStatusByte(byte, 'printer status');
  return { drawerPin3High: bit(b, 2), offline: bit(b, 3), waitingForOnlineRecovery: bit(b, 5), feedButtonPressed: bit(b, 6) };
}

export function decodeOfflineCauseByte(byte: number): OfflineCauseByte {
  const b = checkStatusByte(byte, 'offline cause');
  return { coverOpen: bit(b, 2), feedingByButton: bit(b, 3), paperEndStop: bit(b, 5), errorOccurred: bit(b, 6) };
}

export function decodeErrorCauseByte(byte: number): ErrorCauseByte {
  const b = checkStatusByte(byte, 'error cause');
  return { mechanical: bit(b, 2), autocutter: bit(b, 3), unrecoverable: bit(b, 5), autoRecoverable: bit(b, 6) };
}

/**
 * The reference sets each sensor's two bits together. A printer that sets only one is read as
 * near-end or out, because reporting paper trouble that is not there costs a glance, while
 * missing it costs a receipt.
 */
export function decodePaperSensorByte(byte: number): PaperSensorByte {
  const b = checkStatusByte(byte, 'paper sensor');
  return { nearEnd: bit(b, 2) || bit(b, 3), paperOut: bit(b, 5) || bit(b, 6) };
}

/** Reads the four replies to encodeFullStatusRequest(), in request order. */
export function decodeFullStatus(replies: Uint8Array): PrinterStatus {
  if (!(replies instanceof Uint8Array) || replies.length !== 4) {
    throw new EscPosError('escpos_status_invalid', `a full status is 4 bytes, got ${replies instanceof Uint8Array ? replies.length : typeof replies}`);
  }
  const printer = decodePrinterStatusByte(replies[0]!);
  const offline = decodeOfflineCauseByte(replies[1]!);
  const error = decodeErrorCauseByte(replies[2]!);
  const paper = decodePaperSensorByte(replies[3]!);
  return {
    online: !printer.offline,
    coverOpen: offline.coverOpen,
    // The offline cause says printing stopped; the sensor says the roll is gone. Either is out.
    paperOut: offline.paperEndStop || paper.paperOut,
    paperNearEnd: paper.nearEnd,
    feedButtonPressed: printer.feedButtonPressed || offline.feedingByButton,
    waitingForOnlineRecovery: printer.waitingForOnlineRecovery,
    drawerPin3High: printer.drawerPin3High,
    errors: { any: offline.errorOccurred || error.mechanical || error.autocutter || error.unrecoverable || error.autoRecoverable, ...error },
  };
}
