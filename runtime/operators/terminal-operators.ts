// The operator parts of one terminal runtime, put together: the fingerprint reader (the simulated
// one in simulator mode, else whatever the runtime was given), the session, operator management,
// the setup of the first admin, the access guard every API call passes, the handlers, and in
// simulator mode the demo operators whose PINs the console prints beside the URL.
import type { OperatorSession } from '../../core/api/operators.js';
import type { Clock, Random } from '../../core/clock.js';
import type { CurrencyCode } from '../../core/currency.js';
import { createUlidFactory } from '../../core/ids.js';
import { journalFactsOf } from '../../core/ledger/journal.js';
import type { EnrolStep, FingerprintReader } from '../../device/capabilities.js';
import type { DeviceManager } from '../../device/device-manager.js';
import { createSimFingerprintReader } from '../../drivers/sim/sim-fingerprint.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { Authorize } from '../api/api-server.js';
import { operatorHandlers } from '../api/operator-handlers.js';
import type { Logger } from '../logger.js';
import { AccessGuard } from './access-guard.js';
import { prepareDemoOperators, type DemoOperator, type SimFingers } from './demo-operators.js';
import { OperatorAdmin } from './operator-admin.js';
import { OperatorSessions } from './operator-sessions.js';

export interface TerminalOperatorsOptions {
  devices: DeviceManager;
  currentLedger: () => Ledger;
  terminalId: string;
  syncKey: Uint8Array | null;
  simulator: boolean;
  /** A real fingerprint reader (`--fingerprint`); simulator mode makes its own. */
  fingerprintReader: FingerprintReader | null;
  clock: Clock;
  random: Random;
  logger: Logger;
  publishSession: (session: OperatorSession) => void;
  publishEnrolStep: (step: { enrolmentId: string; step: EnrolStep }) => void;
}

export class TerminalOperators {
  readonly sessions: OperatorSessions;
  readonly admin: OperatorAdmin;
  readonly guard: AccessGuard;
  private readonly simFingers: SimFingers | null = null;
  private readonly reader: FingerprintReader | null;
  private demos: DemoOperator[] = [];
  private started = false;

  constructor(private readonly options: TerminalOperatorsOptions) {
    const { devices, clock, random, logger } = options;
    if (options.simulator) {
      const simulated = createSimFingerprintReader({ random });
      this.reader = simulated.reader;
      this.simFingers = simulated.fingers;
    } else {
      this.reader = options.fingerprintReader;
    }
    if (this.reader) devices.add(this.reader);
    this.sessions = new OperatorSessions({ currentLedger: options.currentLedger, devices, clock, logger, publish: options.publishSession });
    const nextId = createUlidFactory(clock, random);
    this.admin = new OperatorAdmin({ sessions: this.sessions, random, nowMs: () => clock.nowMs(), nextId, logger, onEnrolStep: (enrolmentId, step) => options.publishEnrolStep({ enrolmentId, step }) });
    this.guard = new AccessGuard({ sessions: this.sessions, paymentCurrency: (paymentId) => this.paymentCurrency(paymentId) });
  }

  /** Simulator mode's demo operators with their PINs, for the console; empty elsewhere. */
  get demoOperators(): readonly DemoOperator[] {
    return this.demos;
  }

  currentOperatorId(): string | null {
    return this.sessions.currentOperatorId();
  }

  async start(): Promise<void> {
    const { options } = this;
    if (options.simulator) {
      if (options.syncKey) {
        const nextId = createUlidFactory(options.clock, options.random);
        this.demos = await prepareDemoOperators({ sessions: this.sessions, terminalId: options.terminalId, key: options.syncKey, reader: this.reader, fingers: this.simFingers, random: options.random, nowMs: () => options.clock.nowMs(), nextId, logger: options.logger });
      } else {
        options.logger.warn({}, 'simulator without a sync key: no demo operators; provision this terminal and create the admin with its setup code');
      }
    }
    await this.sessions.start();
    this.started = true;
  }

  stop(): void {
    this.sessions.stop();
  }

  /** A device came, went or changed health: the session's fingerprint availability may have too. */
  devicesChanged(): void {
    if (this.started) this.sessions.changed();
  }

  handlers(): ReturnType<typeof operatorHandlers> {
    const { options } = this;
    return operatorHandlers({
      sessions: this.sessions,
      admin: this.admin,
      setup: { terminalId: options.terminalId, syncKey: options.syncKey, random: options.random, nowMs: () => options.clock.nowMs(), nextId: createUlidFactory(options.clock, options.random), logger: options.logger },
      simFingers: () => this.simFingers,
    });
  }

  /** The API server's hook: every call passes the access guard before its handler. */
  readonly authorize: Authorize = (method, params) => this.guard.authorize(method, params);

  private async paymentCurrency(paymentId: string): Promise<CurrencyCode | null> {
    const payment = await this.options.currentLedger().transactions.get(paymentId);
    return payment ? journalFactsOf(payment).currency : null;
  }
}
