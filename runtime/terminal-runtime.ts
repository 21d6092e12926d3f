// The composition root of one terminal: devices, the link to central, and the API that the UI
// talks to. It owns the terminal's status and pushes a status.changed event whenever any part
// of it changes, coalesced so a burst of device events sends one update.
import { currencyOfAccount } from '../core/ledger/accounts.js';
import type { Clock, Random } from '../core/clock.js';
import type { LinkStatus, TerminalMode, TerminalStatus } from '../core/api/status.js';
import { DeviceManager } from '../device/device-manager.js';
import { quietSim } from '../drivers/sim/seeded-latency.js';
import { SimCardReader } from '../drivers/sim/sim-card-reader.js';
import { SimBiometricReader } from '../drivers/sim/sim-biometric-reader.js';
import { SimReceiptPrinter } from '../drivers/sim/sim-receipt-printer.js';
import { PcscService } from '../drivers/pcsc/pcsc-service.js';
import { MqttLink } from '../sync/mqtt-link.js';
import { OutboxSync, OutboxSummaryReader, type UnsyncedSummary } from '../sync/outbox-sync.js';
import { SettingsReplication } from '../sync/settings-replication.js';
import { countTransactions, OutboxStore } from '../ledger/stores/outbox-store.js';
import type { OfflineLimits } from '../core/ledger/limits.js';
import { createUlidFactory } from '../core/ids.js';
import { ApiServer, type CommandHandlers } from './api/api-server.js';
import type { Logger } from './logger.js';
import type { Ledger } from '../ledger/ledger.js';
import { currencyCodes } from '../core/currency.js';
import { accountId } from '../core/ledger/accounts.js';
import { runtimeVersion } from './version.js';
import { ReserveStore } from '../ledger/reserve-store.js';
import { CardSync } from '../sync/card-sync.js';
import { PaymentFlow } from './payment/payment-flow.js';
import { paymentHandlers } from './payment/payment-handlers.js';
import { CentralKnowledge } from './central-knowledge.js';
import type { SimCardWallet } from './payment/sim-card-wallet.js';
import type { PaymentUpdate } from '../core/api/payment.js';

export interface TerminalRuntimeOptions {
  dataDir: string;
  mode: TerminalMode;
  simulator: boolean;
  /** Whether to open the real PC/SC stack (nfc-pcsc through pcscd). */
  pcsc: boolean;
  broker: { url: string; protocolVersion: 4 | 5; username?: string; password?: string; caPem?: string } | null;
  clock: Clock;
  random: Random;
  logger: Logger;
  heartbeatIntervalMs?: number;
  /** The terminal's ledger replica, opened by the stack with this terminal as owner. */
  ledger: Ledger;
  terminalId: string;
  /** The terminal's sync key from central; without one nothing is pushed. */
  syncKey: Uint8Array | null;
  /** Central's Ed25519 public key for reserve token batches; without one nothing is approved offline. */
  centralPublicKey: Uint8Array | null;
  /** Simulator mode: the virtual cards of the panel. */
  simCards?: SimCardWallet | null;
}

/** A card with fewer available tokens than this is topped up after a payment. */
const lowReserveTokens = 4;

const notConfiguredLink: LinkStatus = {
  state: 'not_configured',
  brokerReachable: false,
  centralReachable: false,
  centralRoundTripMs: null,
  centralLastSeenAt: null,
  clockOffsetMs: null,
};

/** The ledger's health for the status: the cause is the failed commit's own message, never data. */
function ledgerHealth(ledger: Ledger): TerminalStatus['ledger'] {
  const failure = ledger.failure();
  return failure ? { state: 'failed', cause: failure.message.slice(0, 200) } : { state: 'ok', cause: null };
}

export class TerminalRuntime {
  readonly devices = new DeviceManager();
  readonly api: ApiServer;
  readonly terminalId: string;
  readonly simCardReader: SimCardReader | null = null;
  private readonly link: MqttLink | null;
  private readonly pcsc: PcscService | null;
  private readonly sync: OutboxSync | null;
  private readonly settings: SettingsReplication | null;
  private offlineLimits: OfflineLimits | null = null;
  private syncSummary: UnsyncedSummary = { count: 0, amountsMinor: {}, oldestAgeMs: null };
  private readonly summaryReader: OutboxSummaryReader;
  private summaryRefresh: Promise<void> | null = null;
  private summaryStale = false;
  private readonly subscriptions: Array<{ unsubscribe(): void }> = [];
  private publishScheduled = false;
  readonly reserve: ReserveStore;
  readonly cardSync: CardSync | null;
  readonly payments: PaymentFlow;
  private readonly central: CentralKnowledge;

  constructor(private readonly options: TerminalRuntimeOptions) {
    const { logger } = options;
    this.terminalId = options.terminalId;
    if (options.simulator) {
      const behaviour = quietSim(options.random);
      this.simCardReader = new SimCardReader(behaviour);
      this.devices.add(this.simCardReader);
      this.devices.add(new SimBiometricReader(behaviour));
      this.devices.add(new SimReceiptPrinter(behaviour));
    }
    this.pcsc = options.pcsc
      ? new PcscService({ devices: this.devices, onWarning: (message, error) => logger.warn({ err: error }, message) })
      : null;
    this.link = options.broker
      ? new MqttLink({
          brokerUrl: options.broker.url,
          protocolVersion: options.broker.protocolVersion,
          ...(options.broker.username === undefined ? {} : { username: options.broker.username }),
          ...(options.broker.password === undefined ? {} : { password: options.broker.password }),
          ...(options.broker.caPem === undefined ? {} : { caPem: options.broker.caPem }),
          terminalId: this.terminalId,
          syncKey: options.syncKey,
          clock: options.clock,
          random: options.random,
          log: logger,
          ...(options.heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs: options.heartbeatIntervalMs }),
        })
      : null;
    this.sync =
      this.link && options.syncKey
        ? new OutboxSync({
            link: this.link,
            ledger: options.ledger,
            terminalId: this.terminalId,
            key: options.syncKey,
            clock: options.clock,
            random: options.random,
            log: logger.child({ component: 'sync' }),
            nextId: createUlidFactory(options.clock, options.random),
            onRejected: (transactionId, reason) => this.api.publish('alert', { kind: 'payment_rejected', transactionId, reason }),
            onAgentReceivable: (transactionId, accountId, amountMinor) =>
              this.api.publish('alert', { kind: 'agent_receivable', transactionId, reason: amountMinor < 0n ? 'refused_after_spending' : 'receivable_repaid', amountMinor: amountMinor.toString(), currency: currencyOfAccount(accountId) }),
          })
        : null;
    this.settings =
      this.link && options.syncKey
        ? new SettingsReplication({ link: this.link, ledger: options.ledger, terminalId: this.terminalId, key: options.syncKey, clock: options.clock, log: logger.child({ component: 'settings' }) })
        : null;
    this.central = new CentralKnowledge(options.ledger, options.clock, logger, (cardIdHex, reason) =>
      this.api.publish('alert', { kind: 'card_revoked', transactionId: '', reason: `card …${cardIdHex.slice(-4)} blocked: ${reason}` }),
    );
    this.reserve = new ReserveStore(options.ledger, options.centralPublicKey);
    this.cardSync =
      this.link && options.syncKey
        ? new CardSync({ link: this.link, terminalId: this.terminalId, key: options.syncKey, reserve: this.reserve, log: logger.child({ component: 'reserve' }), onCentralContact: () => this.central.noteContact() })
        : null;
    this.payments = new PaymentFlow({
      terminalId: this.terminalId,
      devices: this.devices,
      ledger: options.ledger,
      reserve: this.reserve,
      cardSync: this.cardSync,
      clock: options.clock,
      random: options.random,
      nextId: createUlidFactory(options.clock, options.random),
      logger: logger.child({ component: 'payment' }),
      limits: () => this.offlineLimits,
      isRevoked: (cardIdHex) => this.central.isRevoked(cardIdHex),
      lastCentralContactMs: () => this.central.lastCentralContactMs(),
      centralReachable: () => this.link?.status().centralReachable ?? false,
      publish: (update) => this.onPaymentUpdate(update),
      // The card just used has one token fewer; top it up before it runs out.
      onApproved: (cardIdHex) => {
        if (this.reserve.availableFor(cardIdHex) < lowReserveTokens) void this.cardSync?.replenishCard(cardIdHex);
      },
    });
    this.summaryReader = new OutboxSummaryReader(options.ledger, options.clock);
    // Last: the handlers close over the parts made above.
    this.api = new ApiServer(this.handlers(), logger);
    this.devices.onChange(() => this.schedulePublish());
    this.link?.onChange(() => {
      if (this.link?.status().centralReachable) this.central.noteContact();
      this.schedulePublish();
    });
  }

  /** Starts devices, link and sync; resolves once the status holds the real outbox backlog. */
  async start(): Promise<void> {
    await this.reserve.load();
    await this.central.load();
    this.pcsc?.start();
    this.link?.start();
    this.sync?.start();
    this.settings?.start();
    this.cardSync?.start();
    this.subscriptions.push({ unsubscribe: this.central.watch(() => void this.refreshLimits()) });
    await this.refreshLimits();
    // The outbox's change events come after each commit; the summary follows them.
    this.subscriptions.push({ unsubscribe: new OutboxStore(this.options.ledger).onChange(() => void this.refreshSyncSummary()) });
    await this.refreshSyncSummary();
    // Expired tokens and tokens of payments central has decided are dropped at start and hourly.
    const purge = (): void =>
      void this.reserve.purge(this.options.clock.nowMs()).then(
        (purged) => purged.expired + purged.settled > 0 && this.options.logger.info(purged, 'reserve tokens purged'),
        (error: unknown) => this.options.logger.warn({ err: error }, 'reserve purge failed'),
      );
    purge();
    const purgeTimer = setInterval(purge, 60 * 60 * 1000);
    purgeTimer.unref();
    this.subscriptions.push({ unsubscribe: () => clearInterval(purgeTimer) });
    // The oldest unsynced payment ages with time, not with writes: refresh while a backlog exists.
    const ageTimer = setInterval(() => {
      if (this.syncSummary.count > 0) void this.refreshSyncSummary();
    }, 10_000);
    ageTimer.unref();
    this.subscriptions.push({ unsubscribe: () => clearInterval(ageTimer) });
    if (!this.options.syncKey && this.link) this.options.logger.warn({}, 'no sync key: payments stay in the outbox until central provisions this terminal');
    this.options.logger.info({ terminalId: this.terminalId, mode: this.options.mode, simulator: this.options.simulator }, 'runtime started');
  }

  status(): TerminalStatus {
    return {
      terminalId: this.terminalId,
      mode: this.options.mode,
      simulator: this.options.simulator,
      runtimeVersion,
      link: this.link?.status() ?? notConfiguredLink,
      devices: this.devices.statuses(),
      sync: {
        provisioned: this.sync !== null,
        unsyncedCount: this.syncSummary.count,
        unsyncedAmountsMinor: this.syncSummary.amountsMinor,
        oldestUnsyncedAgeMs: this.syncSummary.oldestAgeMs,
        offlineLimits: this.offlineLimits,
      },
      ledger: ledgerHealth(this.options.ledger),
    };
  }

  private handlers(): CommandHandlers {
    return {
      'system.ping': () => ({ pong: true, runtimeVersion }),
      'status.get': () => this.status(),
      'link.checkNow': async () => (this.link ? this.link.checkNow() : { centralReachable: false, roundTripMs: null }),
      'sync.now': async () => {
        if (this.sync) await this.sync.syncNow();
        await this.refreshSyncSummary();
        return this.status().sync;
      },
      ...paymentHandlers(this.payments, this.options.simCards ?? null, this.simCardReader),
      'ledger.summary': async () => {
        const { ledger } = this.options;
        return {
          transactionCount: await countTransactions(ledger),
          pendingOutboxCount: await new OutboxStore(ledger).count(),
          currencies: currencyCodes.map((currency) => ({
            currency,
            merchantMinor: ledger.engine.balanceOf(accountId('merchant', ledger.owner, currency)).toString(),
            offlineClearingMinor: ledger.engine.balanceOf(accountId('offline_clearing', ledger.owner, currency)).toString(),
          })),
        };
      },
    };
  }

  private async refreshLimits(): Promise<void> {
    // Limits that fail their schema are refused by name: offline payments wait for valid ones.
    this.offlineLimits = await this.central.readLimits();
    await this.central.refreshRevocations();
    this.schedulePublish();
  }

  private onPaymentUpdate(update: PaymentUpdate): void {
    this.api.publish('payment.updated', update);
    const final = update.state === 'approved' || update.state === 'declined' || update.state === 'cancelled';
    // A simulated tap is brief: the card leaves the field when the payment ends.
    if (final && this.simCardReader) this.simCardReader.removeCard();
    // A failed commit changes the ledger's health: the status bar shows it now, not at the next change.
    if (update.reason === 'terminal_storage_failed' || update.reason === 'storage_failed_after_approval') this.schedulePublish();
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
      this.schedulePublish();
    })().finally(() => {
      this.summaryRefresh = null;
    });
    return this.summaryRefresh;
  }

  private schedulePublish(): void {
    if (this.publishScheduled) return;
    this.publishScheduled = true;
    setImmediate(() => {
      this.publishScheduled = false;
      this.api.publish('status.changed', this.status());
    });
  }

  async stop(): Promise<void> {
    await this.payments.stop();
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
    await this.settings?.stop();
    await this.cardSync?.stop();
    await this.sync?.stop();
    await this.link?.stop();
    await this.pcsc?.close();
    await this.devices.closeAll();
  }
}
