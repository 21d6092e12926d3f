// A simulated ESC/POS printer on real TCP, so the network driver is tested against sockets and
// bytes rather than mocks. It reads the byte stream the way a printer does: DLE EOT n is a
// real-time command answered at once with a status byte laid out as Epson documents it (bits 1
// and 4 set, 0 and 7 clear); everything else is receipt data, and a receipt ends at the cut
// (GS V). Faults are switched at run time so a test can pull the paper mid-session.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface SimEscPosFaults {
  paperOut: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean;
  /** Accepts connections but answers nothing and prints nothing, like a hung printer. */
  offline: boolean;
  /** Answers status requests with bit 0 set, a byte no real reply has (0x13 is also XOFF). */
  malformed: boolean;
}

const DLE = 0x10;
const EOT = 0x04;
const GS = 0x1d;
const fixedBits = 0x12;

/** Length of the command at `at`, or 0 if it is not one the parser must frame, or -1 if incomplete. */
function framedCommandLength(bytes: Uint8Array, at: number): number {
  if (bytes[at] !== GS) return 0;
  if (at + 2 >= bytes.length) return -1;
  const [second, third] = [bytes[at + 1], bytes[at + 2]];
  // GS V m [n]: functions A and B (65, 66) carry a feed amount n, the others do not.
  if (second === 0x56) return third === 65 || third === 66 ? (at + 3 < bytes.length ? 4 : -1) : 3;
  // GS v 0 m xL xH yL yH data: skipped whole so bitmap bytes are never read as commands.
  if (second === 0x76 && third === 0x30) {
    if (at + 8 > bytes.length) return -1;
    const length = 8 + (bytes[at + 4]! | (bytes[at + 5]! << 8)) * (bytes[at + 6]! | (bytes[at + 7]! << 8));
    return at + length <= bytes.length ? length : -1;
  }
  // GS ( k pL pH data: the QR payload is skipped whole for the same reason.
  if (second === 0x28 && third === 0x6b) {
    if (at + 5 > bytes.length) return -1;
    const length = 5 + (bytes[at + 3]! | (bytes[at + 4]! << 8));
    return at + length <= bytes.length ? length : -1;
  }
  return 0;
}

export class SimEscPosPrinter {
  readonly faults: SimEscPosFaults = { paperOut: false, paperNearEnd: false, coverOpen: false, offline: false, malformed: false };
  /** Each printed receipt, from its first byte to the end of its cut command. */
  readonly receipts: Uint8Array[] = [];
  /** Receipt bytes received (not status requests), including any after the last cut. */
  printBytesReceived = 0;
  statusRequestsAnswered = 0;
  socketErrors = 0;
  private readonly sockets = new Set<Socket>();
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly server: Server) {}

  /** Listens on 127.0.0.1 on a port the OS picks, so parallel tests never collide. */
  static start(): Promise<SimEscPosPrinter> {
    const server = createServer();
    const printer = new SimEscPosPrinter(server);
    server.on('connection', (socket) => printer.serve(socket));
    server.on('error', () => (printer.socketErrors += 1));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(printer));
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The status byte a printer in the current fault state sends for DLE EOT n. */
  statusByte(n: number): number {
    const { paperOut, paperNearEnd, coverOpen, malformed } = this.faults;
    let byte = fixedBits;
    if (n === 1 && (paperOut || coverOpen)) byte |= 0x08;
    if (n === 2) byte |= (coverOpen ? 0x04 : 0) | (paperOut ? 0x20 : 0);
    if (n === 4) byte |= (paperNearEnd || paperOut ? 0x0c : 0) | (paperOut ? 0x60 : 0);
    return malformed ? byte | 0x01 : byte;
  }

  /** Resolves with the first `count` receipts once they have arrived, or rejects after timeoutMs. */
  waitForReceipts(count: number, timeoutMs: number): Promise<Uint8Array[]> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.receipts.length < count) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(this.receipts.slice(0, count));
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`simulated printer got ${this.receipts.length} of ${count} receipts within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
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
    let carry = new Uint8Array(0);
    let receipt: number[] = [];
    socket.on('data', (chunk: Buffer) => {
      if (this.faults.offline) return;
      const bytes = new Uint8Array(carry.length + chunk.length);
      bytes.set(carry);
      bytes.set(chunk, carry.length);
      let at = 0;
      while (at < bytes.length) {
        const byte = bytes[at]!;
        if (byte === DLE) {
          if (at + 2 >= bytes.length) break;
          const n = bytes[at + 2]!;
          if (bytes[at + 1] === EOT && n >= 1 && n <= 4) {
            socket.write(Uint8Array.of(this.statusByte(n)));
            this.statusRequestsAnswered += 1;
            at += 3;
            continue;
          }
        }
        const length = framedCommandLength(bytes, at);
        if (length < 0) break;
        const end = at + Math.max(length, 1);
        for (let index = at; index < end; index += 1) receipt.push(bytes[index]!);
        this.printBytesReceived += end - at;
        if (length > 0 && bytes[at + 1] === 0x56) {
          this.receipts.push(Uint8Array.from(receipt));
          receipt = [];
          for (const waiter of [...this.waiters]) waiter();
        }
        at = end;
      }
      carry = bytes.slice(at);
    });
  }
}
