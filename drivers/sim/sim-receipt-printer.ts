// A simulated ESC/POS receipt printer that keeps what it printed, so tests and the diagnostics
// screen can read receipts back. Paper can run out, which the status bar shows as degraded.
import { withDeadline, type CallOptions, type HealthReport, type PrintResult, type ReceiptPrinter } from '../../device/capabilities.js';
import { drawLatencyMs, sleep, type SimBehaviour } from './seeded-latency.js';

export class SimReceiptPrinter implements ReceiptPrinter {
  readonly info = { descriptor: 'sim:printer/0', kind: 'receipt_printer', name: 'Simulated receipt printer' } as const;
  readonly printed: Uint8Array[] = [];
  paperOut = false;

  constructor(private readonly behaviour: SimBehaviour) {}

  health(): HealthReport {
    return this.paperOut ? { health: 'degraded', detail: 'paper out' } : { health: 'ok', detail: 'ready' };
  }

  print(escPosBytes: Uint8Array, options: CallOptions): Promise<PrintResult> {
    const work = (async (): Promise<PrintResult> => {
      await sleep(drawLatencyMs(this.behaviour));
      if (this.paperOut) return { type: 'paper_out' };
      this.printed.push(escPosBytes.slice());
      return { type: 'printed' };
    })();
    return withDeadline(work, options, 'receipt print');
  }

  async close(): Promise<void> {}
}
