// A simulated ESC/POS printer on real TCP, so the network driver is tested against sockets and
// bytes rather than mocks. The bytes are read by the shared engine (escpos-byte-engine.ts), which
// the pseudo-terminal transport (sim-escpos-pty.ts) uses too, so both speak exactly the same.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { EscPosByteEngine, type SimEscPosFaults } from './escpos-byte-engine.js';

export type { SimEscPosFaults } from './escpos-byte-engine.js';

export class SimEscPosPrinter {
  socketErrors = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly engine: EscPosByteEngine,
  ) {}

  /** Listens on 127.0.0.1 (port 0: one the OS picks, so parallel tests never collide). */
  static start(options: { port?: number; engine?: EscPosByteEngine } = {}): Promise<SimEscPosPrinter> {
    const server = createServer();
    const printer = new SimEscPosPrinter(server, options.engine ?? new EscPosByteEngine());
    server.on('connection', (socket) => printer.serve(socket));
    server.on('error', () => (printer.socketErrors += 1));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve(printer));
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get faults(): SimEscPosFaults {
    return this.engine.faults;
  }

  get receipts(): Uint8Array[] {
    return this.engine.receipts;
  }

  get printBytesReceived(): number {
    return this.engine.printBytesReceived;
  }

  get statusRequestsAnswered(): number {
    return this.engine.statusRequestsAnswered;
  }

  statusByte(n: number): number {
    return this.engine.statusByte(n);
  }

  waitForReceipts(count: number, timeoutMs: number): Promise<Uint8Array[]> {
    return this.engine.waitForReceipts(count, timeoutMs);
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    // A client resetting the connection must not take the test process down.
    socket.on('error', () => (this.socketErrors += 1));
    socket.on('close', () => this.sockets.delete(socket));
    const receive = this.engine.stream((bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    });
    socket.on('data', (chunk: Buffer) => receive(chunk));
  }
}
