// Drains the ledger's durable outbox to central: oldest first, in batches, each push signed with
// the terminal's key; central's signed verdicts are applied with the removal of their outbox
// entries in one unit, so a crash anywhere leaves the entry to be pushed again and central
// answers a repeat with the verdict it already gave (exactly-once effect). Failures back off
// exponentially with jitter; repeated failures open a circuit breaker for a while.
import type { Clock, Random } from '../core/clock.js';
import type { LogSink } from '../core/log-sink.js';
import { signMessage, verifyMessage } from '../core/wire/auth-tag.js';
import { maxPushBatch, pushResultSchema, type VerdictReason, type WireTransaction } from '../core/wire/sync-messages.js';
import { parseMinorUnits } from '../core/money.js';
import { currencyOfAccount, kindOfAccount } from '../core/ledger/accounts.js';
import type { CurrencyCode } from '../core/currency.js';
import type { Ledger } from '../ledger/ledger.js';
import { OutboxStore, type TransactionDocument } from '../ledger/stores/outbox-store.js';
import type { MqttLink } from './mqtt-link.js';

export interface OutboxSyncOptions {
  link: MqttLink;
  ledger: Ledger;
  terminalId: string;
  key: Uint8Array;
  clock: Clock;
  random: Random;
  log: LogSink;
  nextId: () => string;
  batchSize?: number;
  requestTimeoutMs?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  breakerThreshold?: number;
  breakerOpenMs?: number;
  /** Told of every rejection central answers, for the merchant's alert. */
  onRejected?: (transactionId: string, reason: VerdictReason) => void;
  /**
   * Told when applying a rejection booked money to the agent's receivable (a top-up refused after
   * the customer spent it) or paid it back, with the signed amount moved, for the agent's alert.
   */
  onAgentReceivable?: (transactionId: string, accountId: string, amountMinor: bigint) => void;
}

export interface UnsyncedSummary {
  count: number;
  /** Per currency, the merchant-side amount awaiting central, in minor units. */
  amountsMinor: Partial<Record<CurrencyCode, string>>;
  oldestAgeMs: number | null;
}

export class OutboxSync {
  private running: Promise<void> | null = null;
  private rerun = false;
  private failures = 0;
  private breakerOpenUntilMs = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly unsubscribes: Array<() => void> = [];
  /** Answers refused for a bad tag or a terminal mismatch. */
  refusedAnswers = 0;

  private readonly outbox: OutboxStore;

  constructor(private readonly options: OutboxSyncOptions) {
    this.outbox = new OutboxStore(options.ledger);
  }

  start(): void {
    this.unsubscribes.push(this.options.link.onChange(() => this.kick()));
    // Change events arrive only after the commit, so a new entry is already durable here.
    this.unsubscribes.push(this.outbox.onInsert(() => this.kick()));
    this.kick();
  }

  /** Starts a drain unless one is running (then it runs again after), or the breaker is open. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    if (this.options.clock.monotonicMs() < this.breakerOpenUntilMs) return;
    this.running = this.drain()
      .catch((error: unknown) => this.onFailure(error))
      .finally(() => {
        this.running = null;
        if (this.rerun) {
          this.rerun = false;
          this.kick();
        }
      });
  }

  /** `sync now`: drains what is there and resolves when the outbox is empty or the link fails. */
  async syncNow(): Promise<UnsyncedSummary> {
    this.breakerOpenUntilMs = 0;
    if (this.running) await this.running;
    await this.drain();
    return this.summary();
  }

  /**
   * Pushes the outbox oldest first. Two batches may be in flight, so central settles one while
   * this terminal applies the verdicts of the other; entries in flight are never sent twice at
   * once (a retry after a failure may resend them, which central answers idempotently).
   */
  private async drain(): Promise<void> {
    const { link } = this.options;
    const batchSize = Math.min(this.options.batchSize ?? maxPushBatch, maxPushBatch);
    const inFlight = new Set<string>();
    const pending = new Set<Promise<void>>();
    while (!this.stopped && link.status().brokerReachable) {
      const entries = await this.outbox.oldest(batchSize, inFlight);
      if (entries.length === 0) {
        if (pending.size === 0) return;
        await Promise.race(pending);
        continue;
      }
      for (const id of entries) inFlight.add(id);
      const push: Promise<void> = this.pushBatch(entries).finally(() => {
        for (const id of entries) inFlight.delete(id);
        pending.delete(push);
      });
      // Marked handled at once: a batch may fail while this loop awaits something else, and the
      // failure is picked up by the next race (or the final wait), not lost and not fatal.
      push.catch(() => undefined);
      pending.add(push);
      if (pending.size >= 2) await Promise.race(pending);
    }
    await Promise.all(pending);
  }

  private async pushBatch(transactionIds: string[]): Promise<void> {
    const { link, ledger } = this.options;
    const transactions = (await this.outbox.transactions(transactionIds)).map(toWire);
    const answer = await link.request(
      'push',
      { terminalId: this.options.terminalId, sentAtMs: this.options.clock.nowMs(), transactions },
      pushResultSchema,
      this.options.requestTimeoutMs ?? 10_000,
      (message) => signMessage(this.options.key, message),
      // A forged answer (a broker's, say) is refused and leaves the push waiting for central's
      // own, so it costs no retry, backoff or breaker.
      (candidate) => {
        if (candidate.terminalId === this.options.terminalId && verifyMessage(this.options.key, candidate as unknown as Record<string, unknown>)) return null;
        this.refusedAnswers += 1;
        return 'bad_tag';
      },
    );
    const pushed = new Set(transactions.map((transaction) => transaction.id));
    // Applied side by side so the batch shares group commits; each verdict is its own unit.
    await Promise.all(
      answer.results
        .filter((verdict) => pushed.has(verdict.id))
        .map(async (verdict) => {
          const applied = await ledger.engine.applyVerdict(verdict.id, verdict.outcome, this.options.nextId(), verdict.reason);
          if (verdict.outcome === 'rejected' && applied.result === 'ok') {
            this.options.log.warn({ transactionId: verdict.id, reason: verdict.reason }, 'central rejected a payment; reversed');
            this.options.onRejected?.(verdict.id, verdict.reason);
            if (applied.receivable) {
              this.options.log.warn({ transactionId: verdict.id, accountId: applied.receivable.accountId, amountMinor: applied.receivable.amountMinor.toString() }, 'agent receivable moved by a reversal');
              this.options.onAgentReceivable?.(verdict.id, applied.receivable.accountId, applied.receivable.amountMinor);
            }
          }
        }),
    );
    this.failures = 0;
  }

  private onFailure(error: unknown): void {
    this.failures += 1;
    const threshold = this.options.breakerThreshold ?? 5;
    const base = this.options.initialBackoffMs ?? 500;
    const cap = this.options.maxBackoffMs ?? 30_000;
    let delayMs = Math.min(cap, base * 2 ** Math.min(this.failures - 1, 16));
    // Full jitter keeps a fleet that lost its link together from returning in lockstep.
    const jitter = this.options.random.bytes(2);
    delayMs = Math.round(delayMs / 2 + (((jitter[0]! << 8) | jitter[1]!) / 65535) * (delayMs / 2));
    if (this.failures >= threshold) {
      delayMs = this.options.breakerOpenMs ?? 30_000;
      this.breakerOpenUntilMs = this.options.clock.monotonicMs() + delayMs;
    }
    this.options.log.warn({ failures: this.failures, retryInMs: delayMs, err: error instanceof Error ? error.message : String(error) }, 'sync failed');
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.breakerOpenUntilMs = 0;
      this.kick();
    }, delayMs);
    this.retryTimer.unref();
  }

  summary(): Promise<UnsyncedSummary> {
    return new OutboxSummaryReader(this.options.ledger, this.options.clock).summary();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    await this.running?.catch(() => undefined);
  }
}

/** Reads the outbox's backlog: count, merchant-side amounts per currency, oldest entry's age. */
export class OutboxSummaryReader {
  constructor(
    private readonly ledger: Ledger,
    private readonly clock: Clock,
  ) {}

  async summary(): Promise<UnsyncedSummary> {
    const entries = await new OutboxStore(this.ledger).backlog();
    const sums = new Map<CurrencyCode, bigint>();
    let oldestMs: number | null = null;
    for (const entry of entries) {
      oldestMs = oldestMs === null ? entry.createdAtMs : Math.min(oldestMs, entry.createdAtMs);
      for (const posting of entry.transaction?.postings ?? []) {
        if (kindOfAccount(posting.accountId) !== 'merchant') continue;
        const currency = currencyOfAccount(posting.accountId);
        sums.set(currency, (sums.get(currency) ?? 0n) + parseMinorUnits(posting.amountMinor));
      }
    }
    return {
      count: entries.length,
      amountsMinor: Object.fromEntries([...sums].map(([currency, sum]) => [currency, sum.toString()])),
      oldestAgeMs: oldestMs === null ? null : Math.max(0, this.clock.nowMs() - oldestMs),
    };
  }
}

function toWire(document: TransactionDocument): WireTransaction {
  return {
    id: document.id,
    kind: document.kind,
    state: document.state,
    postings: document.postings,
    ...(document.referencesId ? { referencesId: document.referencesId } : {}),
    ...(document.fx ? { fx: document.fx as WireTransaction['fx'] } : {}),
    ...(document.memo ? { memo: document.memo } : {}),
    ...(document.card ? { card: document.card } : {}),
    ...(document.operatorId ? { operatorId: document.operatorId } : {}),
    createdAtMs: document.createdAtMs,
  };
}
