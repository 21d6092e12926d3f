// The simulated ESC/POS printer's byte engine, shared by its transports (a TCP socket in
// sim-escpos-printer.ts, a socat pseudo-terminal in sim-escpos-pty.ts). It reads the byte stream
// the way a printer does: DLE EOT n is a real-time command answered at once with a status byte
// laid out as Epson documents it (bits 1 and 4 set, 0 and 7 clear); everything else is receipt
// data, and a receipt ends at the cut (GS V). QR and raster payloads are framed whole so their
// data bytes are never read as commands. Faults are switched at run time.

export interface SimEscPosFaults {
  paperOut: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean;
  /** Takes bytes but answers nothing and prints nothing, like a hung printer. */
  offline: boolean;
  /** Answers status requests with bit 0 set, a byte no real reply has (0x13 is also XOFF). */
  malformed: boolean;
  /**
   * The roll runs out after this many bytes of the next receipt: the rest of that receipt is not
   * printed and the printer reports paper out from then on, until a test puts paper back.
   */
  paperOutAfterBytes: number | null;
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

/** The state every transport shares: faults, what was printed, counters, waiters. */
export class EscPosByteEngine {
  readonly faults: SimEscPosFaults = { paperOut: false, paperNearEnd: false, coverOpen: false, offline: false, malformed: false, paperOutAfterBytes: null };
  /** Each printed receipt, from its first byte to the end of its cut command. */
  readonly receipts: Uint8Array[] = [];
  /** Receipts the paper ran out in, as far as they printed. */
  readonly incompleteReceipts: Uint8Array[] = [];
  /** Receipt bytes received (not status requests), including any after the last cut. */
  printBytesReceived = 0;
  /** Receipt bytes dropped because there was no paper. */
  printBytesDiscarded = 0;
  statusRequestsAnswered = 0;
  private readonly waiters = new Set<() => void>();
  private readonly receiptListeners = new Set<(receipt: Uint8Array) => void>();

  /** The status byte a printer in the current fault state sends for DLE EOT n. */
  statusByte(n: number): number {
    const { paperOut, paperNearEnd, coverOpen, malformed } = this.faults;
    let byte = fixedBits;
    if (n === 1 && (paperOut || coverOpen)) byte |= 0x08;
    if (n === 2) byte |= (coverOpen ? 0x04 : 0) | (paperOut ? 0x20 : 0);
    if (n === 4) byte |= (paperNearEnd || paperOut ? 0x0c : 0) | (paperOut ? 0x60 : 0);
    return malformed ? byte | 0x01 : byte;
  }

  /** A new parser for one connection or one open port; `reply` sends status bytes back. */
  stream(reply: (bytes: Uint8Array) => void): (chunk: Uint8Array) => void {
    let carry = new Uint8Array(0);
    let receipt: number[] = [];
    let dropping = false;
    const keep = (from: Uint8Array): void => {
      if (this.faults.paperOutAfterBytes !== null && !dropping && receipt.length + from.length > this.faults.paperOutAfterBytes) {
        // The roll ends inside this command: what fits is printed, the rest of the receipt is not.
        for (const byte of from.slice(0, Math.max(0, this.faults.paperOutAfterBytes - receipt.length))) receipt.push(byte);
        this.incompleteReceipts.push(Uint8Array.from(receipt));
        this.faults.paperOutAfterBytes = null;
        this.faults.paperOut = true;
        dropping = true;
        return;
      }
      if (this.faults.paperOut || this.faults.coverOpen || dropping) {
        this.printBytesDiscarded += from.length;
        dropping = true;
        return;
      }
      for (const byte of from) receipt.push(byte);
    };
    return (chunk) => {
      if (this.faults.offline) return;
      const bytes = new Uint8Array(carry.length + chunk.length);
      bytes.set(carry);
      bytes.set(chunk, carry.length);
      let at = 0;
      while (at < bytes.length) {
        if (bytes[at] === DLE) {
          if (at + 2 >= bytes.length) break;
          const n = bytes[at + 2]!;
          if (bytes[at + 1] === EOT && n >= 1 && n <= 4) {
            reply(Uint8Array.of(this.statusByte(n)));
            this.statusRequestsAnswered += 1;
            at += 3;
            continue;
          }
        }
        const length = framedCommandLength(bytes, at);
        if (length < 0) break;
        const end = at + Math.max(length, 1);
        this.printBytesReceived += end - at;
        keep(bytes.subarray(at, end));
        if (length > 0 && bytes[at + 1] === 0x56) {
          if (!dropping) this.finishReceipt(receipt);
          receipt = [];
          dropping = false;
        }
        at = end;
      }
      carry = bytes.slice(at);
    };
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

  /** Calls listener with each receipt printed from now on (the demo keeps them as files). */
  onReceipt(listener: (receipt: Uint8Array) => void): () => void {
    this.receiptListeners.add(listener);
    return () => this.receiptListeners.delete(listener);
  }

  private finishReceipt(receipt: number[]): void {
    const printed = Uint8Array.from(receipt);
    this.receipts.push(printed);
    for (const listener of [...this.receiptListeners]) listener(printed);
    for (const waiter of [...this.waiters]) waiter();
  }
}
