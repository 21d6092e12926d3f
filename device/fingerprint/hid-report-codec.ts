// The HID reports a DevPay-compatible USB fingerprint reader exchanges with the terminal
// (docs/devices.md, "USB HID fingerprint reader"). Every report is 64 bytes on node-hid's API:
// the report id, then 63 bytes. Report id 0x01 goes host to device, 0x02 device to host; byte 1
// is the message type and the rest is its fields, zero-padded. Decoding is strict, so that one
// report has one meaning: a wrong length, report id, type, field or a non-zero pad byte is a
// HidReportError with a code, never a guess. Encoding then decoding gives back the same value,
// and decoding then encoding the same bytes. Pure: no Node, no clock.

export const reportLength = 64;
export const hostReportId = 0x01;
export const deviceReportId = 0x02;
/** The reader's top-level collection: a vendor-defined usage page, so no OS driver claims it. */
export const readerUsagePage = 0xff00;
export const readerUsage = 0x01;
export const protocolVersion = 1;
export const modelLength = 24;
export const firmwareLength = 16;
/** Bytes of template in one CAPTURE_RESULT report: 64 less id, type, capture id, index, count, quality, length. */
export const chunkPayloadMax = reportLength - 8;

export type HidReportErrorCode =
  | 'wrong_length'
  | 'wrong_report_id'
  | 'unknown_report_type'
  | 'bad_field'
  | 'nonzero_padding'
  | 'chunk_out_of_order'
  | 'chunk_duplicated'
  | 'chunk_missing'
  | 'chunk_inconsistent'
  | 'crc_mismatch'
  | 'malformed_template'
  | 'unsupported_template_version';

export class HidReportError extends Error {
  constructor(
    readonly code: HidReportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HidReportError';
  }
}

export type IndicatorLed = 'off' | 'green' | 'red' | 'amber';
const leds: readonly IndicatorLed[] = ['off', 'green', 'red', 'amber'];

export type HostReport =
  | { type: 'get_info' }
  /** Wait for a finger and capture it; captureId (1-65535) tags every report about this capture. */
  | { type: 'capture_start'; captureId: number }
  | { type: 'capture_cancel'; captureId: number }
  | { type: 'set_indicator'; led: IndicatorLed; beepMs: number };

/** The reader's own error codes, byte values 1-6 in that order. */
export const readerErrors = ['no_finger', 'poor_image', 'cancelled', 'busy', 'unknown_command', 'sensor_fault'] as const;
export type ReaderError = (typeof readerErrors)[number];

export type DeviceReport =
  | { type: 'info'; protocolVersion: number; templateFormatVersion: number; model: string; firmware: string }
  /** A finger touched (placed) or left the sensor; captureId 0 when no capture is running. */
  | { type: 'finger_status'; captureId: number; placed: boolean }
  | { type: 'capture_chunk'; captureId: number; chunkIndex: number; chunkCount: number; quality: number; payload: Uint8Array }
  | { type: 'error'; captureId: number; error: ReaderError };

const hostTypes = { get_info: 0x01, capture_start: 0x02, capture_cancel: 0x03, set_indicator: 0x04 } as const;
const deviceTypes = { info: 0x81, finger_status: 0x82, capture_chunk: 0x83, error: 0x84 } as const;

function badField(message: string): HidReportError {
  return new HidReportError('bad_field', message);
}

function checkInteger(value: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < min || value > max) throw badField(`${what} ${value} is outside ${min}-${max}`);
}

function newReport(reportId: number, type: number): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(reportLength);
  bytes[0] = reportId;
  bytes[1] = type;
  return { bytes, view: new DataView(bytes.buffer) };
}

function putText(bytes: Uint8Array, offset: number, length: number, text: string, what: string): void {
  if (text.length > length || !/^[\x20-\x7e]*$/.test(text)) throw badField(`${what} must be at most ${length} printable ASCII characters`);
  for (let index = 0; index < text.length; index += 1) bytes[offset + index] = text.charCodeAt(index);
}

export function encodeHostReport(report: HostReport): Uint8Array {
  const { bytes, view } = newReport(hostReportId, hostTypes[report.type]);
  if (report.type === 'capture_start' || report.type === 'capture_cancel') {
    checkInteger(report.captureId, 1, 0xffff, 'capture id');
    view.setUint16(2, report.captureId);
  } else if (report.type === 'set_indicator') {
    bytes[2] = leds.indexOf(report.led);
    checkInteger(report.beepMs, 0, 0xffff, 'beep duration (ms)');
    view.setUint16(3, report.beepMs);
  }
  return bytes;
}

export function encodeDeviceReport(report: DeviceReport): Uint8Array {
  const { bytes, view } = newReport(deviceReportId, deviceTypes[report.type]);
  switch (report.type) {
    case 'info':
      checkInteger(report.protocolVersion, 0, 255, 'protocol version');
      checkInteger(report.templateFormatVersion, 0, 255, 'template format version');
      bytes[2] = report.protocolVersion;
      bytes[3] = report.templateFormatVersion;
      putText(bytes, 4, modelLength, report.model, 'model');
      putText(bytes, 4 + modelLength, firmwareLength, report.firmware, 'firmware');
      break;
    case 'finger_status':
      checkInteger(report.captureId, 0, 0xffff, 'capture id');
      view.setUint16(2, report.captureId);
      bytes[4] = report.placed ? 1 : 0;
      break;
    case 'capture_chunk': {
      checkInteger(report.captureId, 1, 0xffff, 'capture id');
      checkInteger(report.chunkCount, 1, 255, 'chunk count');
      checkInteger(report.chunkIndex, 0, report.chunkCount - 1, 'chunk index');
      checkInteger(report.quality, 0, 100, 'quality');
      const last = report.chunkIndex === report.chunkCount - 1;
      checkInteger(report.payload.length, last ? 1 : chunkPayloadMax, chunkPayloadMax, 'chunk payload length');
      view.setUint16(2, report.captureId);
      bytes.set([report.chunkIndex, report.chunkCount, report.quality, report.payload.length], 4);
      bytes.set(report.payload, 8);
      break;
    }
    case 'error':
      checkInteger(report.captureId, 0, 0xffff, 'capture id');
      view.setUint16(2, report.captureId);
      bytes[4] = readerErrors.indexOf(report.error) + 1;
      break;
  }
  return bytes;
}

/** Checks that every byte from `usedLength` on is zero, so that one report has one meaning. */
function checkPadding(bytes: Uint8Array, usedLength: number): void {
  for (let index = usedLength; index < reportLength; index += 1) {
    if (bytes[index] !== 0) throw new HidReportError('nonzero_padding', `byte ${index} is padding but is ${bytes[index]}`);
  }
}

function frameView(bytes: Uint8Array, reportId: number, direction: string): DataView {
  if (bytes.length !== reportLength) throw new HidReportError('wrong_length', `a ${direction} report is ${reportLength} bytes with its report id, got ${bytes.length}`);
  if (bytes[0] !== reportId) throw new HidReportError('wrong_report_id', `a ${direction} report has report id ${reportId}, got ${bytes[0]}`);
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function unknownType(bytes: Uint8Array, direction: string): HidReportError {
  return new HidReportError('unknown_report_type', `unknown ${direction} report type 0x${bytes[1]!.toString(16).padStart(2, '0')}`);
}

export function decodeHostReport(bytes: Uint8Array): HostReport {
  const view = frameView(bytes, hostReportId, 'host-to-device');
  switch (bytes[1]) {
    case hostTypes.get_info:
      checkPadding(bytes, 2);
      return { type: 'get_info' };
    case hostTypes.capture_start:
    case hostTypes.capture_cancel: {
      const captureId = view.getUint16(2);
      if (captureId === 0) throw badField('capture id 0 is reserved for "no capture"');
      checkPadding(bytes, 4);
      return { type: bytes[1] === hostTypes.capture_start ? 'capture_start' : 'capture_cancel', captureId };
    }
    case hostTypes.set_indicator: {
      const led = leds[bytes[2]!];
      if (!led) throw badField(`unknown LED colour ${bytes[2]}`);
      checkPadding(bytes, 5);
      return { type: 'set_indicator', led, beepMs: view.getUint16(3) };
    }
    default:
      throw unknownType(bytes, 'host-to-device');
  }
}

/** Reads a NUL-padded ASCII field: printable characters, then only NULs. */
function readText(bytes: Uint8Array, offset: number, length: number, what: string): string {
  let text = '';
  let ended = false;
  for (let index = offset; index < offset + length; index += 1) {
    const byte = bytes[index]!;
    if (byte === 0) ended = true;
    else if (ended || byte < 0x20 || byte > 0x7e) throw badField(`${what} is not NUL-padded printable ASCII`);
    else text += String.fromCharCode(byte);
  }
  return text;
}

export function decodeDeviceReport(bytes: Uint8Array): DeviceReport {
  const view = frameView(bytes, deviceReportId, 'device-to-host');
  switch (bytes[1]) {
    case deviceTypes.info: {
      const model = readText(bytes, 4, modelLength, 'model');
      const firmware = readText(bytes, 4 + modelLength, firmwareLength, 'firmware');
      checkPadding(bytes, 4 + modelLength + firmwareLength);
      return { type: 'info', protocolVersion: bytes[2]!, templateFormatVersion: bytes[3]!, model, firmware };
    }
    case deviceTypes.finger_status: {
      if (bytes[4]! > 1) throw badField(`finger status ${bytes[4]} is neither 0 (removed) nor 1 (placed)`);
      checkPadding(bytes, 5);
      return { type: 'finger_status', captureId: view.getUint16(2), placed: bytes[4] === 1 };
    }
    case deviceTypes.capture_chunk:
      return decodeChunk(bytes, view);
    case deviceTypes.error: {
      const error = readerErrors[bytes[4]! - 1];
      if (!error) throw badField(`unknown reader error code ${bytes[4]}`);
      checkPadding(bytes, 5);
      return { type: 'error', captureId: view.getUint16(2), error };
    }
    default:
      throw unknownType(bytes, 'device-to-host');
  }
}

function decodeChunk(bytes: Uint8Array, view: DataView): DeviceReport {
  const captureId = view.getUint16(2);
  const [chunkIndex, chunkCount, quality, payloadLength] = [bytes[4]!, bytes[5]!, bytes[6]!, bytes[7]!];
  if (captureId === 0) throw badField('a capture chunk has capture id 0');
  if (chunkCount === 0 || chunkIndex >= chunkCount) throw badField(`chunk index ${chunkIndex} of ${chunkCount} chunks`);
  if (quality > 100) throw badField(`quality ${quality} is above 100`);
  const last = chunkIndex === chunkCount - 1;
  if (payloadLength > chunkPayloadMax || payloadLength === 0 || (!last && payloadLength !== chunkPayloadMax)) {
    throw badField(`chunk ${chunkIndex} of ${chunkCount} carries ${payloadLength} bytes; every chunk but the last carries ${chunkPayloadMax}`);
  }
  checkPadding(bytes, 8 + payloadLength);
  return { type: 'capture_chunk', captureId, chunkIndex, chunkCount, quality, payload: bytes.slice(8, 8 + payloadLength) };
}
