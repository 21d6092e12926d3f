// Where the fingerprint reader is: `serial:PATH[@BAUD]` for an R30x/ZFM module on a serial or
// USB-serial line (57600 baud unless the module was set otherwise), or `hid:VVVV:PPPP` for a USB
// HID reader found by its hexadecimal vendor and product ids. Parsed from `devpay serve
// --fingerprint`; a bad value is a named error with an example, never a reader that silently is
// not. openFingerprintReader builds the driver for an address.
import type { FingerprintReader } from '../../device/capabilities.js';
import { defaultFingerprintBaudRate, serialFingerprintLink } from '../../drivers/fingerprint/fingerprint-link.js';
import { R30xFingerprintReader } from '../../drivers/fingerprint/r30x-fingerprint-reader.js';
import type { HidApi } from '../../drivers/hid/hid-api.js';
import { HidFingerprintReader } from '../../drivers/hid/hid-fingerprint-reader.js';

export type FingerprintAddress =
  | { transport: 'serial'; path: string; baudRate: number }
  | { transport: 'hid'; vendorId: number; productId: number };

export class FingerprintAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FingerprintAddressError';
  }
}

/** An R30x module's baud setting is N × 9600 for N 1..12 (ReadSysPara's baud field). */
const baudRates = new Set(Array.from({ length: 12 }, (_, index) => (index + 1) * 9600));

export function parseFingerprintAddress(value: string): FingerprintAddress {
  const serial = /^serial:(\/[^\s@]{1,200})(?:@(\d{4,6}))?$/.exec(value);
  if (serial) {
    const baudRate = serial[2] === undefined ? defaultFingerprintBaudRate : Number(serial[2]);
    if (!baudRates.has(baudRate)) {
      throw new FingerprintAddressError(`fingerprint module baud rate must be one of ${[...baudRates].join(', ')}, got ${baudRate} (such as serial:/dev/ttyUSB0@57600)`);
    }
    return { transport: 'serial', path: serial[1]!, baudRate };
  }
  const hid = /^hid:([0-9a-fA-F]{4}):([0-9a-fA-F]{4})$/.exec(value);
  if (hid) return { transport: 'hid', vendorId: Number.parseInt(hid[1]!, 16), productId: Number.parseInt(hid[2]!, 16) };
  throw new FingerprintAddressError(
    `expected serial:/dev/ttyUSB0[@57600] (an R30x/ZFM module) or hid:VVVV:PPPP in hex (such as hid:1209:f1a0), got ${JSON.stringify(value)}`,
  );
}

const hex4 = (value: number): string => value.toString(16).padStart(4, '0');

/** The device descriptor the status bar shows, with its scheme. */
export function fingerprintDescriptor(address: FingerprintAddress): string {
  return address.transport === 'serial' ? `serial:${address.path}` : `hid:${hex4(address.vendorId)}:${hex4(address.productId)}`;
}

export interface FingerprintReaderDeps {
  /** How often a lost reader is looked for again, in milliseconds (the serial driver's timer). */
  reconnectIntervalMs?: number;
  /** node-hid by default; a replayed or simulated HidApi in tests. */
  hid?: HidApi;
}

/**
 * The reader for an address (a string is parsed first). Building it never fails for a missing
 * device: each driver looks for its device in the background and at each call, and reopens it
 * after a loss, so a reader unplugged at start is reported unavailable, not fatal.
 */
export function openFingerprintReader(address: FingerprintAddress | string, deps: FingerprintReaderDeps = {}): FingerprintReader {
  const parsed = typeof address === 'string' ? parseFingerprintAddress(address) : address;
  if (parsed.transport === 'hid') {
    return new HidFingerprintReader({ vendorId: parsed.vendorId, productId: parsed.productId, ...(deps.hid ? { hid: deps.hid } : {}) });
  }
  return new R30xFingerprintReader({
    descriptor: fingerprintDescriptor(parsed),
    name: `R30x fingerprint module on ${parsed.path}`,
    openLink: serialFingerprintLink(parsed.path, parsed.baudRate),
    ...(deps.reconnectIntervalMs === undefined ? {} : { reconnectIntervalMs: deps.reconnectIntervalMs }),
  });
}
