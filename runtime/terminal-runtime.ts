// The composition root of one terminal: devices, the link to central, and the API that the UI
// talks to. It owns the terminal's status and pushes a status.changed event whenever any part
// of it changes, coalesced so a burst of device events sends one update. What is bound to the
// open ledger lives in a LedgerSession; when a commit fails the runtime stops that session,
// reopens the ledger with backoff and builds a new one, while the API keeps answering; commands
// that need the ledger answer runtime_unavailable meanwhile.
import { correctionHandlers } from './api/correction-handlers.js';
import { dayHandlers } from './api/day-handlers.js';
import { receiptHandlers } from './api/receipt-handlers.js';
import { PrinterDevice } from './printing/printer-device.js';
import type { ConfiguredPrinter } from './printing/printer-setup.js';
import { ReceiptPrinting } from './printing/receipt-printing.js';
import type { Clock, Random } from '../core/clock.js';
import type { TerminalMode, TerminalStatus } from '../core/api/status.js';
import { ApiError } from '../core/api/envelope.js';
import type { PaymentUpdate } from '../core/api/payment.js';
import { createUlidFactory } from '../core/ids.js';
import { DeviceManager } from '../device/device-manager.js';
import { quietSim } from '../drivers/sim/seeded-latency.js';
import { SimCardReader } from '../drivers/sim/sim-card-reader.js';
import { PcscService } from '../drivers/pcsc/pcsc-service.js';
import { nativeModuleMessage, nativeModuleProblems } from '../drivers/native-modules.js';
import type { MqttLink } from '../sync/mqtt-link.js';
import type { Ledger } from '../ledger/ledger.js';
import type { ReserveStore } from '../ledger/reserve-store.js';
import { probeLedgerWrite } from '../ledger/ledger-probe.js';
import { ApiServer, type CommandHandlers } from './api/api-server.js';
import { journalHandlers } from './api/journal-handlers.js';
import { alertHandlers } from './api/alert-handlers.js';
import { preferencesHandlers } from './api/preferences-handlers.js';
import type { Logger } from './logger.js';
import { runtimeVersion } from './version.js';
import type { PaymentFlow } from './payment/payment-flow.js';
import type { SimCardWallet } from './payment/sim-card-wallet.js';
import { openSessionPaymentHandlers } from './payment/payment-handlers.js';
import { watchIdleTaps } from './payment/idle-taps.js';
import { LedgerSession } from './ledger-session.js';
import { TerminalOperators } from './operators/terminal-operators.js';
import type { FingerprintReader } from '../device/capabilities.js';
import { createTerminalLink, notConfiguredLink, type BrokerOptions } from './terminal-link.js';
import { closeQuietly, declinedWhileReopening, failureCause, ledgerHealth, reopenLedgerWithBackoff, type ReopenBackoff, type Wait } from './ledger-recovery.js';

export interface TerminalRuntimeOptions {
  dataDir: string;
  mode: TerminalMode;
  simulator: boolean;
  /** Whether to open the real PC/SC stack (nfc-pcsc through pcscd). */
  pcsc: boolean;
  broker: BrokerOptions | null;
  clock: Clock;
  random: Random;
  logger: Logger;
  heartbeatIntervalMs?: number;
  /** The terminal's ledger replica, opened by the stack with this terminal as owner. */
  ledger: Ledger;
  /**
   * Opens the same ledger again (folder, owner, data key). With it, a ledger whose commit failed
   * is reopened with backoff and the runtime recovers by itself; without it (a test that owns
   * its ledger) the ledger stays failed until the process restarts.
   */
  openLedger?: () => Promise<Ledger>;
  /** The reopen's delays and how often the ledger's health is checked; tests shorten them. */
  ledgerRecovery?: { backoff?: Partial<ReopenBackoff>; wait?: Wait; checkIntervalMs?: number };
  terminalId: string;
  /** The terminal's sync key from central; without one nothing is pushed. */
  syncKey: Uint8Array | null;
  /** Central's Ed25519 public key for reserve token batches; without one nothing is approved offline. */
  centralPublicKey: Uint8Array | null;
  /** Simulator mode: the virtual cards of the panel. */
  simCards?: SimCardWallet | null;
  /** The receipt printer (runtime/printing/printer-setup.ts); without one, printing answers printer_not_configured. */
  printer?: ConfiguredPrinter | null;
  /** How often the printer's status is read for the status bar. */
  printerStatusIntervalMs?: number;
  /** The operators' fingerprint reader (`--fingerprint`); simulator mode makes a simulated one. */
  fingerprintReader?: FingerprintReader | null;
}

type PaymentCommands = LedgerSession['paymentHandlers'];

/** A failed commit not seen through a payment (a sync verdict, a token batch) is noticed this often. */
const defaultLedgerCheckIntervalMs = 5000;
/** Devices' own health (a fingerprint module reopened after a replug) is looked at this often. */
const deviceHealthIntervalMs = 1000;
/** The printer's paper and cover are read this often for the status bar (and after every print). */
const defaultPrinterStatusIntervalMs = 5000;

export class TerminalRuntime {
  readonly devices = new DeviceManager();
  readonly api: ApiServer;
  readonly terminalId: string;
  readonly simCardReader: SimCardReader | null = null;
  /** The operator session, operator management and the access guard every API call passes. */
  readonly operators: TerminalOperators;
  private readonly link: MqttLink | null;
  private readonly pcsc: PcscService | null;
  /** The parts bound to the open ledger; null while a failed ledger is being reopened. */
  private session: LedgerSession | null;
  /** The last session built: its backlog and limits are what the status shows while reopening. */
  private latestSession: LedgerSession;
  /** The open ledger, to be closed at shutdown; null once recovery closed a failed one. */
  private ledger: Ledger | null;
  /** Why the ledger failed, shown while it is being reopened. */
  private failedCause: string | null = null;
  private recovering: Promise<void> | null = null;
  private readonly stopping = new AbortController();
  private readonly nextAttemptId: () => string;
  private checkTimer: NodeJS.Timeout | null = null;
  private deviceHealthTimer: NodeJS.Timeout | null = null;
  private stopWatchingIdleTaps: (() => void) | null = null;
  private publishScheduled = false;
  private readonly printerDevice: PrinterDevice | null = null;
  private readonly printing: ReceiptPrinting;

  constructor(private readonly options: TerminalRuntimeOptions) {
    const { logger } = options;
    this.terminalId = options.terminalId;
    if (options.simulator) {
      const behaviour = quietSim(options.random);
      this.simCardReader = new SimCardReader(behaviour);
      this.devices.add(this.simCardReader);
    }
    if (options.printer) {
      this.printerDevice = new PrinterDevice(options.printer.driver, options.printer.descriptor, () => this.devices.changed());
      this.devices.add(this.printerDevice);
    }
    this.printing = new ReceiptPrinting({
      printer: this.printerDevice,
      terminalId: options.terminalId,
      currentLedger: () => this.openSession().ledger,
      // A stored Z report by id (day.list holds the latest 100), or the X report now.
      reportFor: async (reportId) => {
        const dayClose = this.openSession().dayClose;
        if (reportId === undefined) return dayClose.report();
        const stored = (await dayClose.store.list(100)).find((report) => report.id === reportId);
        if (!stored) throw new ApiError('invalid_params', `report_not_found: no stored day report ${reportId}`);
        return stored;
      },
      publish: (event) => this.api.publish('receipt.printed', event),
      logger,
    });
    this.pcsc = options.pcsc
      ? new PcscService({ devices: this.devices, onWarning: (message, error) => logger.warn({ err: error }, message) })
      : null;
    this.link = createTerminalLink(options);
    this.nextAttemptId = createUlidFactory(options.clock, options.random);
    this.ledger = options.ledger;
    this.session = this.latestSession = this.createSession(options.ledger);
    // Last: the handlers reach the session through `this` at each call, never a captured one.
    this.operators = new TerminalOperators({
      devices: this.devices,
      currentLedger: () => this.openSession().ledger,
      terminalId: this.terminalId,
      syncKey: options.syncKey,
      simulator: options.simulator,
      fingerprintReader: options.fingerprintReader ?? null,
      clock: options.clock,
      random: options.random,
      logger,
      publishSession: (session) => this.api.publish('session.changed', session),
      publishEnrolStep: (step) => this.api.publish('operators.enrolStep', step),
    });
    this.api = new ApiServer(this.handlers(), logger, this.operators.authorize);
    this.devices.onChange(() => {
      this.schedulePublish();
      this.operators.devicesChanged();
    });
    this.link?.onChange(() => {
      if (this.link?.status().centralReachable) this.session?.noteCentralContact();
      this.schedulePublish();
    });
  }

  /** The open ledger, or null while a failed one is being reopened; the stack closes it at shutdown. */
  currentLedger(): Ledger | null {
    return this.ledger;
  }

  /** The open session's reserve tokens (tests); there is none while the ledger is being reopened. */
  get reserve(): ReserveStore {
    return this.openSession().reserve;
  }

  /** The open session's payment flow (tests); there is none while the ledger is being reopened. */
  get payments(): PaymentFlow {
    return this.openSession().payments;
  }

  /** Starts devices, link and sync; resolves once the status holds the real outbox backlog. */
  async start(): Promise<void> {
    await this.openSession().start();
    await this.operators.start();
    // Each missing native module once, by name with its fix; the status bar shows them too.
    for (const problem of nativeModuleProblems()) this.options.logger.warn({ reason: problem.code, module: problem.subject }, nativeModuleMessage(problem));
    this.stopWatchingIdleTaps = watchIdleTaps(this.devices, () => this.session?.payments.inProgress() ?? false, (reader) => this.onCardIgnored(reader.info.descriptor));
    this.pcsc?.start();
    this.printerDevice?.startPolling(this.options.printerStatusIntervalMs ?? defaultPrinterStatusIntervalMs);
    this.link?.start();
    this.checkTimer = setInterval(() => this.checkLedger(), this.options.ledgerRecovery?.checkIntervalMs ?? defaultLedgerCheckIntervalMs);
    this.checkTimer.unref();
    // Drivers that recover by themselves change their health without telling anyone.
    this.deviceHealthTimer = setInterval(() => this.devices.noticeHealthChanges(), deviceHealthIntervalMs);
    this.deviceHealthTimer.unref();
    if (!this.options.syncKey && this.link) this.options.logger.warn({}, 'no sync key: payments stay in the outbox until central provisions this terminal');
    this.options.logger.info({ terminalId: this.terminalId, mode: this.options.mode, simulator: this.options.simulator }, 'runtime started');
  }

  status(): TerminalStatus {
    return {
      terminalId: this.terminalId,
      mode: this.options.mode,
      simulator: this.options.simulator,
      runtimeVersion,
      link: this.link?.status() ?? notConfiguredLink(this.options.heartbeatIntervalMs),
      devices: this.devices.statuses(),
      // While reopening, the backlog and limits last known; nothing was lost with the session.
      sync: this.latestSession.syncStatus(),
      ledger: this.session ? ledgerHealth(this.session.ledger) : { state: 'failed', cause: this.failedCause },
      problems: nativeModuleProblems(),
    };
  }

  private handlers(): CommandHandlers {
    const { clock, logger } = this.options;
    // The ledger at call time: a reopened one is the one used, none answers runtime_unavailable.
    const currentLedger = (): Ledger => this.openSession().ledger;
    return {
      'system.ping': () => ({ pong: true, runtimeVersion }),
      'status.get': () => this.status(),
      'link.checkNow': async () => (this.link ? this.link.checkNow() : { centralReachable: false, roundTripMs: null }),
      'sync.now': async () => this.openSession().syncNow(),
      'ledger.summary': async () => this.openSession().summary(),
      ...journalHandlers(currentLedger),
      ...correctionHandlers(() => this.openSession().corrections),
      ...dayHandlers(() => this.openSession().dayClose),
      ...receiptHandlers(() => this.printing),
      ...alertHandlers(currentLedger, clock, logger),
      ...preferencesHandlers({ currentLedger, publish: (preferences) => this.api.publish('preferences.changed', preferences), logger }),
      ...this.operators.handlers(),
      ...openSessionPaymentHandlers(
        () => this.session?.paymentHandlers ?? null,
        () => this.latestSession.paymentHandlers,
        (params) => this.declineWhileReopening(params),
      ),
    };
  }

  /** A card presented while no charge was open: it pays nothing, and the screen says so. */
  private onCardIgnored(reader: string): void {
    this.options.logger.info({ reader }, 'card presented while no charge was open; ignored');
    this.api.publish('reader.cardIgnored', { atMs: this.options.clock.nowMs() });
  }

  /** A charge asked for while the ledger is being reopened: declined before any card is read. */
  private declineWhileReopening(params: Parameters<PaymentCommands['payment.start']>[0]): PaymentUpdate {
    const update = declinedWhileReopening(this.nextAttemptId(), params.amountMinor, params.currency);
    this.options.logger.info({ attemptId: update.attemptId, reason: update.reason }, 'card payment declined');
    // The UI follows a charge by its events, so the decline is pushed too, after the answer.
    setImmediate(() => this.onPaymentUpdate(update));
    return update;
  }

  private openSession(): LedgerSession {
    if (!this.session) throw new ApiError('runtime_unavailable', 'the ledger failed and is being reopened; try again shortly');
    return this.session;
  }

  private createSession(ledger: Ledger): LedgerSession {
    const { options } = this;
    return new LedgerSession({
      ledger,
      currentOperatorId: () => this.operators.currentOperatorId(),
      terminalId: this.terminalId,
      devices: this.devices,
      link: this.link,
      syncKey: options.syncKey,
      centralPublicKey: options.centralPublicKey,
      clock: options.clock,
      random: options.random,
      logger: options.logger,
      simCards: options.simCards ?? null,
      simCardReader: this.simCardReader,
      alert: (alert) => this.api.publish('alert', alert),
      onPaymentUpdate: (update) => this.onPaymentUpdate(update),
      onChange: () => this.schedulePublish(),
      onDayCloseCompleted: (report) => this.api.publish('day.closeCompleted', { reportId: report.id, completedAtMs: report.completedAtMs ?? this.options.clock.nowMs() }),
    });
  }

  private onPaymentUpdate(update: PaymentUpdate): void {
    this.api.publish('payment.updated', update);
    // The receipts print in the background: a printer problem never holds or fails the payment.
    if (update.state === 'approved' && update.paymentId) this.printing.afterApproval(update.paymentId);
    const final = update.state === 'approved' || update.state === 'declined' || update.state === 'cancelled';
    // A simulated tap is brief: the card leaves the field when the payment ends.
    if (final && this.simCardReader) this.simCardReader.removeCard();
    if (update.reason === 'terminal_storage_failed' || update.reason === 'storage_failed_after_approval') {
      // A failed commit changes the ledger's health: the status bar shows it now, not at the next change.
      this.schedulePublish();
      // Deferred: the payment flow is still inside its attempt, which stopping the session awaits.
      setImmediate(() => this.checkLedger());
    }
  }

  /** Starts the recovery if the open ledger has failed and a way to reopen it was given. */
  private checkLedger(): void {
    const { session } = this;
    if (this.recovering || this.stopping.signal.aborted || !this.options.openLedger || !session) return;
    const failure = session.ledger.failure();
    if (!failure) return;
    this.recovering = this.recover(session, failureCause(failure))
      .catch((error: unknown) => this.options.logger.error({ cause: failureCause(error) }, 'ledger recovery ended unexpectedly'))
      .finally(() => {
        this.recovering = null;
      });
  }

  /** Stops the failed session, closes its ledger (and the folder lock), reopens and rebuilds. */
  private async recover(failed: LedgerSession, cause: string): Promise<void> {
    const { logger } = this.options;
    this.failedCause = cause;
    this.session = null;
    this.schedulePublish();
    logger.warn({ cause }, 'ledger commit failed; reopening the ledger');
    await this.stopQuietly(failed);
    await closeQuietly(failed.ledger, logger);
    this.ledger = null;
    await reopenLedgerWithBackoff({
      open: this.options.openLedger!,
      probe: (ledger) => probeLedgerWrite(ledger, this.options.clock.nowMs()),
      use: async (ledger) => {
        const session = this.createSession(ledger);
        try {
          await session.start();
        } catch (error) {
          await this.stopQuietly(session);
          throw error;
        }
        this.ledger = ledger;
        this.session = this.latestSession = session;
        this.failedCause = null;
        this.schedulePublish();
      },
      logger,
      signal: this.stopping.signal,
      backoff: this.options.ledgerRecovery?.backoff,
      wait: this.options.ledgerRecovery?.wait,
    });
  }

  private async stopQuietly(session: LedgerSession): Promise<void> {
    await session.stop().catch((error: unknown) => this.options.logger.warn({ cause: failureCause(error) }, 'ledger session did not stop cleanly'));
  }

  private schedulePublish(): void {
    if (this.publishScheduled) return;
    this.publishScheduled = true;
    setImmediate(() => {
      this.publishScheduled = false;
      this.api.publish('status.changed', this.status());
    });
  }

  /** Stops everything it started; the ledger it holds (currentLedger) is left to its opener to close. */
  async stop(): Promise<void> {
    this.stopping.abort();
    if (this.checkTimer) clearInterval(this.checkTimer);
    if (this.deviceHealthTimer) clearInterval(this.deviceHealthTimer);
    this.stopWatchingIdleTaps?.();
    this.operators.stop();
    await this.recovering;
    await this.session?.stop();
    await this.link?.stop();
    await this.pcsc?.close();
    await this.devices.closeAll();
  }
}
