// The simulated ESC/POS printer on a serial line: it holds one end of a pseudo-terminal pair
// (socat makes the pair; the driver opens the other end as if it were the printer's USB-serial
// port) and reads it with the same engine as the TCP printer, so both transports speak the same
// bytes. The end is opened through serialport, as a real serial device's would be.
import { createRequire } from 'node:module';
import type { SerialPort } from 'serialport';
import { EscPosByteEngine } from './escpos-byte-engine.js';

export class SimEscPosPtyPrinter {
  portErrors = 0;

  private constructor(
    private readonly port: SerialPort,
    readonly engine: EscPosByteEngine,
  ) {}

  /** Opens the device end of a pty pair; fails if serialport is not installed or the path is gone. */
  static async open(devicePath: string, engine = new EscPosByteEngine()): Promise<SimEscPosPtyPrinter> {
    const { SerialPort: Port } = createRequire(import.meta.url)('serialport') as { SerialPort: typeof SerialPort };
    const port = new Port({ path: devicePath, baudRate: 38400, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    const printer = new SimEscPosPtyPrinter(port, engine);
    const receive = engine.stream((bytes) => {
      if (port.isOpen) port.write(Buffer.from(bytes));
    });
    port.on('data', (chunk: Buffer) => receive(chunk));
    // The pair going away (socat stopped) must not take the test process down.
    port.on('error', () => (printer.portErrors += 1));
    return printer;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.port.isOpen ? this.port.close(() => resolve()) : resolve()));
  }
}
