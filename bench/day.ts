// `npm run bench -- day`: the merchant's day, one JSON object. Each measurement is a function in
// `dayMeasurements` answering its own keys; adding one is adding a function there.
//   z_report_5k_ms: the day report of a day of 5,000 card payments (4,500 online and settled,
//     cold; 500 offline and undecided, hot) with a year of history present (365 days of 300
//     settled payments, cold, closed by one Z close at the year's end), computed through
//     the ledger's period scan (ledger/day-facts.ts) right after the ledger is opened, the way
//     day.report computes it (central not asked)
//   z_report_5k_warm_p50_ms: the same, the median of further runs
//   refund_* and receipt_encode_*: see bench/refund-bench.ts (measured on ledgers of their own)
//   z_close_5k_ms: the Z close of that day (scan, checks, figures, stored report and audit entry
//     in one engine unit, durable), offline payments settled first so the close is not refused
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { manualClock, seededRandom, type Clock } from '../core/clock.js';
import { createUlidFactory } from '../core/ids.js';
import { accountId } from '../core/ledger/accounts.js';
import type { TransactionDraft } from '../core/ledger/transaction.js';
import { openLedger, type Ledger } from '../ledger/ledger.js';
import { testDataKey } from '../ledger/test-ledger.js';
import { measureReceiptEncoding, measureRefunds } from './refund-bench.js';
import { DayCloseService } from '../runtime/day-close/day-close-service.js';
import { createLogger } from '../runtime/logger.js';

const owner = 't-bench-day';
const dayMs = 24 * 60 * 60 * 1000;
const historyDays = 365;
const paymentsPerHistoryDay = 300;
const paymentsToday = 5000;
const warmRuns = 5;

function cardPayment(id: string, index: number, offline: boolean): TransactionDraft {
  const amount = 100n + BigInt((index * 7919) % 100_000);
  return {
    id,
    kind: 'payment',
    state: offline ? 'approved_offline' : 'approved_online',
    postings: [
      { accountId: accountId(offline ? 'offline_clearing' : 'central', owner, 'TRY'), amountMinor: (-amount).toString() },
      { accountId: accountId('merchant', owner, 'TRY'), amountMinor: amount.toString() },
    ],
    card: {
      cardId: (index % 5000).toString(16).padStart(16, '0'),
      atc: 1 + Math.floor(index / 5000),
      panMasked: `627412******${String(index % 10_000).padStart(4, '0')}`,
      cryptogram: '0'.repeat(32),
      terminalData: '0'.repeat(54),
      mode: offline ? 'offline' : 'online',
    },
  };
}

export interface DayLedger {
  dataDir: string;
  clock: ReturnType<typeof manualClock>;
  open(): Promise<Ledger>;
  service(ledger: Ledger, clock: Clock): DayCloseService;
}

/** Posts `count` payments spread over `spanMs`, in engine units of a thousand; online ones settled (cold), offline ones left hot. */
async function postDay(ledger: Ledger, clock: ReturnType<typeof manualClock>, nextId: () => string, count: number, spanMs: number, offlineEvery: number | null): Promise<void> {
  const stepMs = Math.floor(spanMs / count);
  for (let start = 0; start < count; start += 1000) {
    await ledger.engine.guarded(async (unit) => {
      for (let index = start; index < Math.min(count, start + 1000); index += 1) {
        clock.advance(stepMs);
        const offline = offlineEvery !== null && index % offlineEvery === 0;
        const posted = await unit.post(cardPayment(nextId(), index, offline), { toOutbox: offline });
        if (posted.result !== 'ok') throw new Error(`post: ${posted.result}`);
        if (offline) continue;
        const settled = await unit.settle(posted.transaction.id, nextId(), 'settled');
        if (settled.result !== 'ok') throw new Error(`settle: ${settled.result}`);
      }
    });
  }
}

/** A year of settled history closed at its end, then today's payments. */
async function buildDayLedger(): Promise<DayLedger> {
  const dataDir = mkdtempSync(join(tmpdir(), 'devpay-bench-day-'));
  const clock = manualClock(Date.UTC(2025, 0, 1));
  const random = seededRandom(365);
  const nextId = createUlidFactory(clock, random);
  const open = (): Promise<Ledger> => openLedger({ dataDir, owner, clock, random, dataKey: testDataKey });
  const service = (ledger: Ledger, serviceClock: Clock): DayCloseService =>
    new DayCloseService({ ledger, terminalId: owner, clock: serviceClock, nextId, logger: createLogger({ level: 'silent' }), totals: null, centralReachable: () => false, onCompleted: () => undefined });
  const ledger = await open();
  try {
    await postDay(ledger, clock, nextId, historyDays * paymentsPerHistoryDay, historyDays * dayMs, null);
    clock.advance(1000);
    const closed = await service(ledger, clock).close('bench-year-close', false);
    if (closed.outcome !== 'closed') throw new Error(`year close refused: ${closed.reason}`);
    await postDay(ledger, clock, nextId, paymentsToday, dayMs / 2, 10);
    clock.advance(1000);
  } finally {
    await ledger.close();
  }
  return { dataDir, clock, open, service };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const round = (ms: number): number => Number(ms.toFixed(1));

async function measureZReport(day: DayLedger): Promise<Record<string, number>> {
  const ledger = await day.open();
  try {
    const service = day.service(ledger, day.clock);
    const timed = async (): Promise<number> => {
      const started = performance.now();
      const report = await service.report({ reconcile: false });
      const elapsedMs = performance.now() - started;
      const sales = report.currencies.reduce((sum, line) => sum + line.sales.count, 0);
      if (sales !== paymentsToday) throw new Error(`the day report counted ${sales} sales, not ${paymentsToday}`);
      return elapsedMs;
    };
    const first = await timed();
    const warm: number[] = [];
    for (let run = 0; run < warmRuns; run += 1) warm.push(await timed());
    // The close: the day's offline payments settled first, as sync would, so it is not refused.
    const followUpId = createUlidFactory(day.clock, seededRandom(2));
    for (const transaction of await ledger.transactions.hot()) await ledger.engine.applyVerdict(transaction.id, 'settled', followUpId(), 'settled');
    const closeStarted = performance.now();
    const closed = await service.close('bench-day-close', false);
    const closeMs = performance.now() - closeStarted;
    if (closed.outcome !== 'closed') throw new Error(`day close refused: ${closed.reason}`);
    return { z_report_5k_ms: round(first), z_report_5k_warm_p50_ms: round(median(warm)), z_close_5k_ms: round(closeMs) };
  } finally {
    await ledger.close();
  }
}

/** The day bench's measurements over the ledger built once; each answers its own keys. */
export const dayMeasurements: Array<(day: DayLedger) => Promise<Record<string, number>>> = [measureZReport, () => measureRefunds(), () => measureReceiptEncoding()];

export async function runDayBench(): Promise<Record<string, unknown>> {
  const buildStarted = performance.now();
  const day = await buildDayLedger();
  const buildS = (performance.now() - buildStarted) / 1000;
  try {
    const results: Record<string, unknown> = { bench: 'day', history_payments: historyDays * paymentsPerHistoryDay, payments_today: paymentsToday, build_s: Number(buildS.toFixed(1)) };
    for (const measure of dayMeasurements) Object.assign(results, await measure(day));
    return results;
  } finally {
    rmSync(day.dataDir, { recursive: true, force: true });
  }
}
