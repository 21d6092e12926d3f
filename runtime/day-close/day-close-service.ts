// The day close: the X report (the period since the last close, nothing stored), the Z report
// (the period closed, stored once), and the completion of provisional closes once sync has
// finished. The period ends when the report is asked for, taken in the engine's order, so every
// payment posted before is in it and every later one in the next period. Central is asked about
// the period's transactions before the close's unit (never inside it: the engine would wait on
// the network); the unit then checks the undecided transactions again, computes the figures
// from the ledger as it stands, writes the report and its audit entry 'day_closed', all or
// nothing. A client id closes once: a retry (after a lost answer or a crash) answers the close it
// made, repeated. Closes and completions run one at a time.
import type { Clock } from '../../core/clock.js';
import type { CommandResult } from '../../core/api/contract.js';
import type { DayReport } from '../../core/api/day-reports.js';
import { classifyDayTransaction, computeDayFigures, countUndecided, inPeriod, isUndecided, type DayPeriod, type DayTransaction } from '../../core/ledger/day-report.js';
import type { DayTotalsEntry } from '../../core/wire/day-messages.js';
import { DayFacts } from '../../ledger/day-facts.js';
import type { Ledger } from '../../ledger/ledger.js';
import { DayCloseStore } from '../../ledger/stores/day-close-store.js';
import type { DayTotalsClient } from '../../sync/day-totals-client.js';
import type { Logger } from '../logger.js';
import { idsToReconcile, reconcile, unavailableReconciliation } from './reconciliation.js';

type CloseResult = CommandResult<'day.close'>;

export interface DayCloseServiceOptions {
  ledger: Ledger;
  terminalId: string;
  clock: Clock;
  nextId: () => string;
  logger: Logger;
  /** Central's books for reconciliation; null when this terminal is not provisioned. */
  totals: DayTotalsClient | null;
  centralReachable: () => boolean;
  /** How long each page of central's answer may take; the report says unavailable after it. */
  centralTimeoutMs?: number;
  /** A provisional close was completed (committed): the runtime publishes day.closeCompleted. */
  onCompleted: (report: DayReport) => void;
}

const defaultCentralTimeoutMs = 5000;

export class DayCloseService {
  readonly store: DayCloseStore;
  private readonly facts: DayFacts;
  private tail: Promise<unknown> = Promise.resolve();
  private checking: Promise<void> | null = null;
  private checkAgain = false;
  private stopped = false;

  constructor(private readonly options: DayCloseServiceOptions) {
    this.store = new DayCloseStore(options.ledger);
    this.facts = new DayFacts(options.ledger);
  }

  /** The X report: the period since the last close until now, reconciled when central answers. */
  async report(options: { reconcile?: boolean } = {}): Promise<DayReport> {
    const period = await this.currentPeriod();
    const transactions = await this.facts.period(period);
    const reconciliation = options.reconcile === false ? unavailableReconciliation() : await this.reconcile(transactions);
    return {
      id: this.options.nextId(),
      kind: 'x',
      terminalId: this.options.terminalId,
      ...period,
      createdAtMs: this.options.clock.nowMs(),
      provisional: false,
      completedAtMs: null,
      sequence: null,
      currencies: computeDayFigures(transactions, period),
      reconciliation,
    };
  }

  /** Closes the period (Z report), or answers the close this client id already made. */
  close(clientId: string, provisional: boolean): Promise<CloseResult> {
    return this.serially(async () => {
      const earlier = await this.store.byClientId(clientId);
      if (earlier) return { outcome: 'closed', report: earlier, repeated: true };
      const period = await this.currentPeriod();
      // Central is asked only when it can answer, and not for a close that will be refused.
      let central: Awaited<ReturnType<DayCloseService['centralEntries']>> = null;
      if (this.mayAskCentral()) {
        const before = await this.facts.period(period);
        const refusal = refusalOf(before, period, provisional);
        if (refusal) return refusal;
        central = await this.centralEntries(before);
      }
      const { ledger, clock } = this.options;
      return ledger.engine.guarded(async (): Promise<CloseResult> => {
        const again = await this.store.byClientId(clientId);
        if (again) return { outcome: 'closed', report: again, repeated: true };
        // What the unit sees is final for the period: checked again, a payment settled or
        // rejected since the look above counts as it stands now.
        const transactions = await this.facts.period(period);
        const refused = refusalOf(transactions, period, provisional);
        if (refused) return refused;
        const head = await this.store.head();
        const createdAtMs = clock.nowMs();
        const undecided = countUndecided(transactions, period);
        const report: DayReport = {
          id: this.options.nextId(),
          kind: 'z',
          terminalId: this.options.terminalId,
          ...period,
          createdAtMs,
          provisional: undecided > 0,
          completedAtMs: undecided > 0 ? null : createdAtMs,
          sequence: (head?.sequence ?? 0) + 1,
          currencies: computeDayFigures(transactions, period),
          reconciliation: central ? reconcile(transactions, central.entries, central.checkedAtMs) : unavailableReconciliation(),
        };
        await this.store.record(report, clientId);
        await ledger.audit.append('day_closed', { reportId: report.id, sequence: report.sequence, clientId, fromMs: report.fromMs, toMs: report.toMs, provisional: report.provisional, unsyncedCount: undecided, currencies: report.currencies, reconciliation: report.reconciliation.state });
        return { outcome: 'closed', report, repeated: false };
      });
    });
  }

  /** Stored Z reports, newest first. */
  list(limit: number): Promise<DayReport[]> {
    return this.store.list(limit);
  }

  /** Looks for provisional closes whose transactions central has all decided, soon; calls coalesce. */
  checkOpenSoon(): void {
    if (this.stopped) return;
    if (this.checking) {
      this.checkAgain = true;
      return;
    }
    this.checking = (async () => {
      do {
        this.checkAgain = false;
        await this.serially(() => this.completeOpen()).catch((error: unknown) => this.options.logger.warn({ cause: error instanceof Error ? error.message : String(error) }, 'provisional day close not completed'));
      } while (this.checkAgain && !this.stopped);
    })().finally(() => {
      this.checking = null;
    });
  }

  /** Resolves once no completion check is running (tests, and stop). */
  async whenChecked(): Promise<void> {
    while (this.checking) await this.checking;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.checking;
    await this.tail.catch(() => undefined);
  }

  /** Completes, oldest first, each provisional close with nothing of its period left undecided. */
  private async completeOpen(): Promise<void> {
    const { ledger, clock, logger } = this.options;
    for (const open of await this.store.open()) {
      if (this.stopped) return;
      const period = { fromMs: open.fromMs, toMs: open.toMs };
      if ((await this.facts.undecided(period)).length > 0) continue;
      const central = await this.centralEntries(await this.facts.period(period));
      const completed = await ledger.engine.guarded(async () => {
        const current = await this.store.bySequence(open.sequence ?? 0);
        if (!current || current.completedAtMs !== null) return null;
        const transactions = await this.facts.period(period);
        if (countUndecided(transactions, period) > 0) return null;
        const report: DayReport = {
          ...current,
          completedAtMs: clock.nowMs(),
          currencies: computeDayFigures(transactions, period),
          reconciliation: central ? reconcile(transactions, central.entries, central.checkedAtMs) : unavailableReconciliation(),
        };
        await this.store.complete(report);
        await ledger.audit.append('day_close_completed', { reportId: report.id, sequence: report.sequence, completedAtMs: report.completedAtMs, currencies: report.currencies, reconciliation: report.reconciliation.state });
        return report;
      });
      if (completed) {
        logger.info({ reportId: completed.id, sequence: completed.sequence }, 'provisional day close completed');
        this.options.onCompleted(completed);
      }
    }
  }

  /** From the last close's end (or the first transaction) to now, the end taken in the engine's order. */
  private async currentPeriod(): Promise<DayPeriod> {
    const toMs = await this.options.ledger.engine.guarded(async () => this.options.clock.nowMs());
    const head = await this.store.head();
    const fromMs = head?.toMs ?? (await this.facts.firstCreatedAtMs()) ?? toMs;
    // A wall clock set back below the last close leaves an empty period, never a negative one.
    return { fromMs, toMs: Math.max(fromMs, toMs) };
  }

  private async reconcile(transactions: DayTransaction[]): Promise<DayReport['reconciliation']> {
    const central = await this.centralEntries(transactions);
    return central ? reconcile(transactions, central.entries, central.checkedAtMs) : unavailableReconciliation();
  }

  /** Central's entries for the period's transactions, or null when central cannot be asked or does not answer. */
  private async centralEntries(transactions: DayTransaction[]): Promise<{ entries: Map<string, DayTotalsEntry>; checkedAtMs: number } | null> {
    const { totals, logger } = this.options;
    if (!totals || !this.mayAskCentral()) return null;
    const ids = idsToReconcile(transactions);
    if (ids.length === 0) return { entries: new Map(), checkedAtMs: this.options.clock.nowMs() };
    try {
      const entries = await totals.totals(ids, this.options.centralTimeoutMs ?? defaultCentralTimeoutMs);
      return { entries, checkedAtMs: this.options.clock.nowMs() };
    } catch (error) {
      logger.warn({ cause: error instanceof Error ? error.message : String(error) }, 'central did not answer the day totals; the report says unavailable');
      return null;
    }
  }

  private mayAskCentral(): boolean {
    return this.options.totals !== null && this.options.centralReachable();
  }

  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.tail.then(operation, operation);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

/** Why the period cannot be closed now, or null. */
function refusalOf(transactions: DayTransaction[], period: DayPeriod, provisional: boolean): Extract<CloseResult, { outcome: 'refused' }> | null {
  const unsyncedCount = countUndecided(transactions, period);
  if (unsyncedCount > 0 && !provisional) return { outcome: 'refused', reason: 'unsynced_transactions', unsyncedCount };
  const anything = transactions.some((transaction) => inPeriod(transaction, period) && (isUndecided(transaction.state) || classifyDayTransaction(transaction) !== null));
  if (!anything) return { outcome: 'refused', reason: 'nothing_to_close', unsyncedCount };
  return null;
}
