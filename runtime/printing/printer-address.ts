// Where the receipt printer is: `tcp:HOST:PORT` for a network printer (raw TCP, usually port
// 9100) or `serial:PATH[@BAUD]` for a serial or USB-serial one. Parsed from `devpay serve
// --printer`; a bad value is a named error with an example, never a printer that silently is not.
import { defaultPrinterBaudRate } from '../../drivers/printer/serial-printer.js';

export type PrinterAddress = { transport: 'tcp'; host: string; port: number } | { transport: 'serial'; path: string; baudRate: number };

export class PrinterAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrinterAddressError';
  }
}

const baudRates = new Set([1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200]);

export function parsePrinterAddress(value: string): PrinterAddress {
  const tcp = /^tcp:([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(value);
  if (tcp) {
    const port = Number(tcp[2]);
    if (port < 1 || port > 65535) throw new PrinterAddressError(`printer port must be 1–65535, got ${port}`);
    return { transport: 'tcp', host: tcp[1]!.replace(/^\[|\]$/g, ''), port };
  }
  const serial = /^serial:(\/[^\s@]{1,200})(?:@(\d{3,6}))?$/.exec(value);
  if (serial) {
    const baudRate = serial[2] === undefined ? defaultPrinterBaudRate : Number(serial[2]);
    if (!baudRates.has(baudRate)) throw new PrinterAddressError(`printer baud rate must be one of ${[...baudRates].join(', ')}, got ${baudRate}`);
    return { transport: 'serial', path: serial[1]!, baudRate };
  }
  throw new PrinterAddressError(`expected tcp:HOST:PORT (such as tcp:192.168.1.50:9100) or serial:/dev/ttyUSB0[@38400], got ${JSON.stringify(value)}`);
}

/** The device descriptor the status bar shows: the address itself, with its scheme. */
export function printerDescriptor(address: PrinterAddress): string {
  return address.transport === 'tcp' ? `tcp:${address.host}:${address.port}` : `serial:${address.path}`;
}
