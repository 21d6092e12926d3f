// The simulated R30x fingerprint module on a serial line: it holds the device end of a
// pseudo-terminal pair (socat makes the pair; the driver opens the other end as it would a
// module's USB-serial adapter) and answers through the same byte engine as the in-memory link.
// The end is opened through serialport, as a real serial device's would be.
import { createRequire } from 'node:module';
import type { SerialPort } from 'serialport';
import type { SimR30xModule } from './sim-r30x-module.js';

export class SimR30xPtyModule {
  portErrors = 0;

  private constructor(
    private readonly port: SerialPort,
    readonly module: SimR30xModule,
  ) {}

  /** Opens the device end of a pty pair; fails if serialport is not installed or the path is gone. */
  static async open(devicePath: string, module: SimR30xModule): Promise<SimR30xPtyModule> {
    const { SerialPort: Port } = createRequire(import.meta.url)('serialport') as { SerialPort: typeof SerialPort };
    const port = new Port({ path: devicePath, baudRate: 57600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    const attached = new SimR30xPtyModule(port, module);
    const receive = module.stream((bytes) => {
      if (port.isOpen) port.write(Buffer.from(bytes));
    });
    port.on('data', (chunk: Buffer) => receive(new Uint8Array(chunk)));
    // The pair going away (socat stopped) must not take the test process down.
    port.on('error', () => (attached.portErrors += 1));
    return attached;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.port.isOpen ? this.port.close(() => resolve()) : resolve()));
  }
}
