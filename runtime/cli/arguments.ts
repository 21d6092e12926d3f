// Parsers for command-line values. Each throws InvalidArgumentError with a sentence that says
// what was expected, which commander prints before exiting with code 2.
import { InvalidArgumentError } from 'commander';
import { terminalModes, type TerminalMode } from '../../core/api/status.js';
import { parsePrinterAddress, PrinterAddressError, type PrinterAddress } from '../printing/printer-address.js';
import { FingerprintAddressError, parseFingerprintAddress, type FingerprintAddress } from '../fingerprint/fingerprint-address.js';

export function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new InvalidArgumentError(`expected a TCP port between 0 and 65535, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

export function parseHostPort(value: string): { host: string; port: number } {
  const match = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(value);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
    throw new InvalidArgumentError(`expected HOST:PORT such as 127.0.0.1:1883, got ${JSON.stringify(value)}`);
  }
  return { host: match[1]!, port: Number(match[2]) };
}

export function parseMode(value: string): TerminalMode {
  if (!(terminalModes as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${terminalModes.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as TerminalMode;
}

export function parseMqttVersion(value: string): 4 | 5 {
  if (value !== '4' && value !== '5') throw new InvalidArgumentError(`expected 4 (MQTT 3.1.1) or 5, got ${JSON.stringify(value)}`);
  return value === '4' ? 4 : 5;
}

export function parseDataDir(value: string): string {
  if (value.trim() === '' || value.includes('\0')) throw new InvalidArgumentError('expected a folder path');
  return value;
}

export function parseCount(value: string): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** A heartbeat interval in milliseconds: 100 ms to 10 minutes. */
export function parseIntervalMs(value: string): number {
  if (!/^\d{1,6}$/.test(value) || Number(value) < 100 || Number(value) > 600_000) {
    throw new InvalidArgumentError(`expected milliseconds between 100 and 600000, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** A fingerprint reader: serial:/dev/ttyX[@BAUD] (R30x/ZFM) or hid:VVVV:PPPP. */
export function parseFingerprint(value: string): FingerprintAddress {
  try {
    return parseFingerprintAddress(value);
  } catch (error) {
    if (error instanceof FingerprintAddressError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

/** A receipt printer: tcp:HOST:PORT or serial:/dev/ttyX[@BAUD]. */
export function parsePrinter(value: string): PrinterAddress {
  try {
    return parsePrinterAddress(value);
  } catch (error) {
    if (error instanceof PrinterAddressError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}
