// The receipt printer as the device manager sees it: its health and named problem for the status
// bar, from the last DLE EOT status or the last failure, refreshed by a status poll and by every
// print. It wraps one driver (network or serial, both speak escpos-session.ts) and lets one
// operation reach the printer at a time, so a poll never interleaves with a receipt.
import type { DeviceStatus } from '../../core/api/status.js';
import type { Device, DeviceInfo, HealthReport } from '../../device/capabilities.js';
import type { ReceiptPrinterStatus } from '../../drivers/printer/escpos-session.js';
import { PrinterError, type PrinterErrorCode } from '../../drivers/printer/printer-error.js';

export interface PrinterDriver {
  readonly address: string;
  status(): Promise<ReceiptPrinterStatus>;
  print(receiptBytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

type Problem = NonNullable<DeviceStatus['problem']>;

const problemOfError: Readonly<Record<PrinterErrorCode, Problem>> = {
  printer_paper_out: 'paper_out',
  printer_cover_open: 'cover_open',
  printer_offline: 'offline',
  printer_unreachable: 'unreachable',
  printer_timeout: 'timeout',
  printer_status_invalid: 'status_invalid',
};

const problemDetail: Readonly<Record<Problem, string>> = {
  paper_out: 'paper out',
  paper_near_end: 'paper near end',
  cover_open: 'cover open',
  offline: 'offline',
  unreachable: 'unreachable',
  timeout: 'not answering',
  status_invalid: 'invalid status reply',
};

export interface ReceiptPrinterHealth extends HealthReport {
  problem: Problem | null;
}

export class PrinterDevice implements Device {
  readonly info: DeviceInfo;
  private current: ReceiptPrinterHealth = { health: 'unavailable', detail: 'status not read yet', problem: null };
  private turn: Promise<unknown> = Promise.resolve();
  private poller: NodeJS.Timeout | null = null;

  constructor(
    readonly driver: PrinterDriver,
    descriptor: string,
    private readonly onHealthChange: () => void,
  ) {
    this.info = { descriptor, kind: 'receipt_printer', name: `Receipt printer ${driver.address}` };
  }

  health(): ReceiptPrinterHealth {
    return this.current;
  }

  /** Reads status now and then every intervalMs (unref'd: it never holds the process open). */
  startPolling(intervalMs: number): void {
    void this.refresh();
    this.poller = setInterval(() => void this.refresh(), intervalMs);
    this.poller.unref();
  }

  /** Reads the status and records it; failures become the named problem, never a rejection. */
  refresh(): Promise<void> {
    return this.exclusive(async () => {
      try {
        this.record(await this.driver.status());
      } catch (error) {
        this.recordFailure(error);
      }
    });
  }

  /** Prints, recording the outcome as health; rejects with the driver's PrinterError. */
  print(receiptBytes: Uint8Array): Promise<void> {
    return this.exclusive(async () => {
      try {
        await this.driver.print(receiptBytes);
        this.set({ health: 'ok', detail: 'ready', problem: null });
      } catch (error) {
        this.recordFailure(error);
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    await this.turn.catch(() => undefined);
    await this.driver.close();
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turn.catch(() => undefined).then(work);
    this.turn = run;
    return run;
  }

  private record(status: ReceiptPrinterStatus): void {
    const problem: Problem | null = status.paperOut ? 'paper_out' : status.coverOpen ? 'cover_open' : !status.online || status.errors.any ? 'offline' : status.paperNearEnd ? 'paper_near_end' : null;
    if (problem === null) this.set({ health: 'ok', detail: 'ready', problem: null });
    else this.set({ health: problem === 'paper_near_end' ? 'degraded' : 'unavailable', detail: problemDetail[problem], problem });
  }

  private recordFailure(error: unknown): void {
    const problem = error instanceof PrinterError ? problemOfError[error.code] : 'offline';
    this.set({ health: 'unavailable', detail: problemDetail[problem], problem });
  }

  private set(next: ReceiptPrinterHealth): void {
    const changed = next.health !== this.current.health || next.problem !== this.current.problem || next.detail !== this.current.detail;
    this.current = next;
    if (changed) this.onHealthChange();
  }
}
