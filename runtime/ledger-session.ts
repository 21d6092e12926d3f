// The parts of a terminal bound to one open ledger: the reserve tokens, what central sent, the
// outbox drain, the settings replication, the card traffic, the payment flow, the merchant's
// alerts and the backlog summary, with their subscriptions and timers. A failed commit leaves the ledger unusable
// until it is reopened, and every one of these parts holds it, so the runtime stops the whole
// session, reopens the ledger and builds a new session on it; the devices, the link and the API
// outlive sessions.
import { accountId } from '../core/ledger/accounts.js';
import type { Clock, Random } from '../core/clock.js';
import type { SyncStatus } from '../core/api/status.js';
import type { CommandResult } from '../core/api/contract.js';
import type { AlertRecord } from '../core/api/alerts.js';
import type { PaymentUpdate } from '../core/api/payment.js';
import type { OfflineLimits } from '../core/ledger/limits.js';
import { createUlidFactory } from '../core/ids.js';
import { currencyCodes } from '../core/currency.js';
import type { DeviceManager } from '../device/device-manager.js';
import type { SimCardReader } from '../drivers/sim/sim-card-reader.js';
import type { MqttLink } from '../sync/mqtt-link.js';
import { OutboxSync, OutboxSummaryReader, type UnsyncedSummary } from '../sync/outbox-sync.js';
import { SettingsReplication } from '../sync/settings-replication.js';
import { CardSync } from '../sync/card-sync.js';
import { countTransactions, OutboxStore } from '../ledger/stores/outbox-store.js';
import { ReserveStore } from '../ledger/reserve-store.js';
import type { Ledger } from '../ledger/ledger.js';
import { PaymentFlow } from './payment/payment-flow.js';
import { paymentHandlers } from './payment/payment-handlers.js';
import type { SimCardWallet } from './payment/sim-card-wallet.js';
import { CentralKnowledge } from './central-knowledge.js';
import { MerchantAlerts } from './merchant-alerts.js';
import { DayCloseService } from './day-close/day-close-service.js';
import { DayTotalsClient } from '../sync/day-totals-client.js';
import type { DayReport } from '../core/api/day-reports.js';
import { RefundClient } from '../sync/refund-client.js';
import { CorrectionService } from './corrections/correction-service.js';
import { sameMerchantDay } from './corrections/merchant-day.js';
import type { Logger } from './logger.js';

export interface LedgerSessionOptions {
  ledger: Ledger;
  /** The operator signed in now, recorded on what the terminal posts (null: none signed in). */
  currentOperatorId: () => string | null;
  terminalId: string;
  devices: DeviceManager;
  link: MqttLink | null;
  syncKey: Uint8Array | null;
  centralPublicKey: Uint8Array | null;
  clock: Clock;
  random: Random;
  logger: Logger;
  simCards: SimCardWallet | null;
  simCardReader: SimCardReader | null;
  /** Pushes an alert once the ledger keeps it (core/api/alerts.ts). */
  alert: (alert: AlertRecord) => void;
  onPaymentUpdate: (update: PaymentUpdate) => void;
  /** Something the status shows changed (limits, backlog). */
  onChange: () => void;
  /** A provisional day close was completed once sync finished (day.closeCompleted). */
  onDayCloseCompleted?: (report: DayReport) => void;
}

/** A card with fewer available tokens than this is topped up after a payment. */
const lowReserveTokens = 4;
const purgeIntervalMs = 60 * 60 * 1000;
const backlogAgeRefreshMs = 10_000;

export class LedgerSession {
  readonly ledger: Ledger;
  readonly reserve: ReserveStore;
  readonly cardSync: CardSync | null;
  readonly payments: PaymentFlow;
  /** The payment and simulator commands, bound to this session's payment flow. */
  readonly paymentHandlers: ReturnType<typeof paymentHandlers>;
  /** X and Z reports of this ledger, and the completion of provisional closes. */
  readonly dayClose: DayCloseService;
  /** Refunds and voids of this ledger's payments. */
  readonly corrections: CorrectionService;
  private readonly central: CentralKnowledge;
  private readonly alerts: MerchantAlerts;
  private readonly sync: OutboxSync | null;
  private readonly settings: SettingsReplication | null;
  private readonly summaryReader: OutboxSummaryReader;
  private offlineLimits: OfflineLimits | null = null;
  private syncSummary: UnsyncedSummary = { count: 0, amountsMinor: {}, oldestAgeMs: null };
  private summaryRefresh: Promise<void> | null = null;
  private summaryStale = false;
  private readonly subscriptions: Array<() => void> = [];
  /** Reads started by change events and timers, awaited at stop so none outlives the ledger. */
  private readonly background = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly options: LedgerSessionOptions) {
    const { ledger, link, syncKey, terminalId, clock, random, logger } = options;
    this.ledger = ledger;
    const synced = link && syncKey ? { link, key: syncKey } : null;
    this.alerts = new MerchantAlerts({ ledger, clock, nextId: createUlidFactory(clock, random), logger: logger.child({ component: 'alerts' }), publish: options.alert });
    this.sync = synced
      ? new OutboxSync({
          ...synced,
          ledger,
          terminalId,
          clock,
          random,
          log: logger.child({ component: 'sync' }),
          nextId: createUlidFactory(clock, random),
          onRejected: (transactionId, reason) => this.inBackground(this.alerts.paymentRejected(transactionId, reason), 'alert not raised'),
          onAgentReceivable: (transactionId, account, amountMinor) => this.inBackground(this.alerts.agentReceivable(transactionId, account, amountMinor), 'alert not raised'),
        })
      : null;
    this.settings = synced ? new SettingsReplication({ ...synced, ledger, terminalId, clock, log: logger.child({ component: 'settings' }) }) : null;
    this.central = new CentralKnowledge(ledger, clock, logger, (cards) => this.inBackground(this.alerts.cardsRevoked(cards), 'alert not raised'));
    this.reserve = new ReserveStore(ledger, options.centralPublicKey);
    this.cardSync = synced
      ? new CardSync({ ...synced, terminalId, reserve: this.reserve, log: logger.child({ component: 'reserve' }), onCentralContact: () => this.central.noteContact() })
      : null;
    this.payments = new PaymentFlow({
      terminalId,
      devices: options.devices,
      ledger,
      reserve: this.reserve,
      cardSync: this.cardSync,
      clock,
      random,
      nextId: createUlidFactory(clock, random),
      logger: logger.child({ component: 'payment' }),
      limits: () => this.offlineLimits,
      isRevoked: (cardIdHex) => this.central.isRevoked(cardIdHex),
      lastCentralContactMs: () => this.central.lastCentralContactMs(),
      centralReachable: () => link?.status().centralReachable ?? false,
      publish: (update) => options.onPaymentUpdate(update),
      currentOperatorId: () => options.currentOperatorId(),
      // The card just used has one token fewer; top it up before it runs out.
      onApproved: (cardIdHex) => {
        if (this.reserve.availableFor(cardIdHex) < lowReserveTokens) void this.cardSync?.replenishCard(cardIdHex);
      },
    });
    this.paymentHandlers = paymentHandlers(this.payments, options.simCards, options.simCardReader);
    this.corrections = new CorrectionService({
      ledger,
      refunds: synced ? new RefundClient(synced.link, terminalId, synced.key, () => this.central.noteContact()) : null,
      centralReachable: () => link?.status().centralReachable ?? false,
      limits: () => this.offlineLimits,
      clock,
      nextId: createUlidFactory(clock, random),
      logger: logger.child({ component: 'corrections' }),
      sameDay: sameMerchantDay(ledger),
      currentOperatorId: () => options.currentOperatorId(),
    });
    this.summaryReader = new OutboxSummaryReader(ledger, clock);
    this.dayClose = new DayCloseService({
      ledger,
      terminalId,
      clock,
      nextId: createUlidFactory(clock, random),
      logger: logger.child({ component: 'day-close' }),
      totals: synced ? new DayTotalsClient(synced.link, terminalId, synced.key, () => this.central.noteContact()) : null,
      centralReachable: () => link?.status().centralReachable ?? false,
      onCompleted: (report) => options.onDayCloseCompleted?.(report),
    });
  }

  /** Loads what the ledger holds and starts the parts; resolves once the backlog summary is real. */
  async start(): Promise<void> {
    const { clock, logger, link } = this.options;
    await this.reserve.load();
    await this.central.load();
    this.sync?.start();
    this.settings?.start();
    this.cardSync?.start();
    this.subscriptions.push(this.central.watch(() => this.inBackground(this.refreshLimits(), 'offline limits not read')));
    await this.refreshLimits();
    // The outbox's change events come after each commit; the summary follows them.
    this.subscriptions.push(new OutboxStore(this.ledger).onChange(() => this.inBackground(this.refreshSyncSummary(), 'backlog not read')));
    // A verdict applied removes its outbox entry: a provisional close may now be complete (and at start).
    this.subscriptions.push(new OutboxStore(this.ledger).onChange(() => this.dayClose.checkOpenSoon()));
    this.dayClose.checkOpenSoon();
    await this.refreshSyncSummary();
    // A crash between central's rejection and its alert lost the alert: raise it now.
    this.inBackground(this.alerts.reconcileRejected(), 'lost alerts not reconciled');
    // Expired tokens and tokens of payments central has decided are dropped at start and hourly.
    const purge = (): void =>
      this.inBackground(
        this.reserve.purge(clock.nowMs()).then((purged) => void (purged.expired + purged.settled > 0 && logger.info(purged, 'reserve tokens purged'))),
        'reserve purge failed',
      );
    purge();
    this.every(purgeIntervalMs, purge);
    // The oldest unsynced payment ages with time, not with writes: refresh while a backlog exists.
    this.every(backlogAgeRefreshMs, () => {
      if (this.syncSummary.count > 0) this.inBackground(this.refreshSyncSummary(), 'backlog not read');
    });
    // A session built while central is already reachable sees no link change to top up on.
    if (link?.status().centralReachable) void this.cardSync?.replenishSoon();
    // Refunds a crash left between asking central and posting are asked again once central answers.
    const resumeRefunds = (): void => this.inBackground(this.corrections.resumePending(), 'pending refunds not resumed');
    resumeRefunds();
    if (link) {
      let wasReachable = link.status().centralReachable;
      this.subscriptions.push(
        link.onChange(() => {
          const reachable = link.status().centralReachable;
          if (reachable && !wasReachable) resumeRefunds();
          wasReachable = reachable;
        }),
      );
    }
  }

  /** The link told of central answering: the offline clock restarts. */
  noteCentralContact(): void {
    if (!this.stopped) this.central.noteContact();
  }

  syncStatus(): SyncStatus {
    return {
      provisioned: this.sync !== null,
      unsyncedCount: this.syncSummary.count,
      unsyncedAmountsMinor: this.syncSummary.amountsMinor,
      oldestUnsyncedAgeMs: this.syncSummary.oldestAgeMs,
      offlineLimits: this.offlineLimits,
    };
  }

  /** `sync now`: drains the outbox (when provisioned) and answers the backlog as it is then. */
  async syncNow(): Promise<SyncStatus> {
    if (this.sync) await this.sync.syncNow();
    await this.refreshSyncSummary();
    return this.syncStatus();
  }

  async summary(): Promise<CommandResult<'ledger.summary'>> {
    const { ledger } = this;
    return {
      transactionCount: await countTransactions(ledger),
      pendingOutboxCount: await new OutboxStore(ledger).count(),
      currencies: currencyCodes.map((currency) => ({
        currency,
        merchantMinor: ledger.engine.balanceOf(accountId('merchant', ledger.owner, currency)).toString(),
        offlineClearingMinor: ledger.engine.balanceOf(accountId('offline_clearing', ledger.owner, currency)).toString(),
      })),
    };
  }

  /** Stops every part; the ledger stays open (its owner closes it) but nothing here uses it after. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.payments.stop();
    for (const unsubscribe of this.subscriptions.splice(0)) unsubscribe();
    await this.settings?.stop();
    await this.cardSync?.stop();
    await this.sync?.stop();
    await this.dayClose.stop();
    await Promise.all(this.background);
  }

  private async refreshLimits(): Promise<void> {
    // Limits that fail their schema are refused by name: offline payments wait for valid ones.
    this.offlineLimits = await this.central.readLimits();
    await this.central.refreshRevocations();
    this.options.onChange();
  }

  /**
   * Recomputes the backlog summary. A drain removes entries one by one; scanning the outbox for
   * each would be quadratic, so changes arriving during a refresh coalesce into one more refresh.
   */
  private refreshSyncSummary(): Promise<void> {
    if (this.summaryRefresh) {
      this.summaryStale = true;
      return this.summaryRefresh;
    }
    this.summaryRefresh = (async () => {
      do {
        this.summaryStale = false;
        this.syncSummary = await this.summaryReader.summary();
      } while (this.summaryStale);
      this.options.onChange();
    })().finally(() => {
      this.summaryRefresh = null;
    });
    return this.summaryRefresh;
  }

  /** Keeps a background read handled (a failed ledger makes reads fail too) and awaited at stop. */
  private inBackground(work: Promise<void>, what: string): void {
    const tracked = work.then(
      () => undefined,
      (error: unknown) => {
        if (!this.stopped) this.options.logger.warn({ cause: error instanceof Error ? error.message : String(error) }, what);
      },
    );
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }

  private every(intervalMs: number, tick: () => void): void {
    const timer = setInterval(() => {
      if (!this.stopped) tick();
    }, intervalMs);
    timer.unref();
    this.subscriptions.push(() => clearInterval(timer));
  }
}
