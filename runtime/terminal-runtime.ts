// The composition root of one terminal: devices, the link to central, and the API that the UI
// talks to. It owns the terminal's status and pushes a status.changed event whenever any part
// of it changes, coalesced so a burst of device events sends one update.
import type { Clock, Random } from '../core/clock.js';
import type { LinkStatus, TerminalMode, TerminalStatus } from '../core/api/status.js';
import { DeviceManager } from '../device/device-manager.js';
import { quietSim } from '../drivers/sim/seeded-latency.js';
import { SimCardReader } from '../drivers/sim/sim-card-reader.js';
import { SimBiometricReader } from '../drivers/sim/sim-biometric-reader.js';
import { SimReceiptPrinter } from '../drivers/sim/sim-receipt-printer.js';
import { PcscService } from '../drivers/pcsc/pcsc-service.js';
import { MqttLink } from '../sync/mqtt-link.js';
import { ApiServer, type CommandHandlers } from './api/api-server.js';
import type { Logger } from './logger.js';
import type { Ledger } from '../ledger/ledger.js';
import { currencyCodes } from '../core/currency.js';
import { accountId } from '../core/ledger/accounts.js';
import { runtimeVersion } from './version.js';

export interface TerminalRuntimeOptions {
  dataDir: string;
  mode: TerminalMode;
  simulator: boolean;
  /** Whether to open the real PC/SC stack (nfc-pcsc through pcscd). */
  pcsc: boolean;
  broker: { url: string; protocolVersion: 4 | 5; username?: string; password?: string } | null;
  clock: Clock;
  random: Random;
  logger: Logger;
  heartbeatIntervalMs?: number;
  /** The terminal's ledger replica, opened by the stack with this terminal as owner. */
  ledger: Ledger;
  terminalId: string;
}

const notConfiguredLink: LinkStatus = {
  state: 'not_configured',
  brokerReachable: false,
  centralReachable: false,
  centralRoundTripMs: null,
  centralLastSeenAt: null,
};

export class TerminalRuntime {
  readonly devices = new DeviceManager();
  readonly api: ApiServer;
  readonly terminalId: string;
  readonly simCardReader: SimCardReader | null = null;
  private readonly link: MqttLink | null;
  private readonly pcsc: PcscService | null;
  private publishScheduled = false;

  constructor(private readonly options: TerminalRuntimeOptions) {
    const { logger } = options;
    this.terminalId = options.terminalId;
    this.api = new ApiServer(this.handlers(), logger);
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
          terminalId: this.terminalId,
          clock: options.clock,
          random: options.random,
          log: logger,
          ...(options.heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs: options.heartbeatIntervalMs }),
        })
      : null;
    this.devices.onChange(() => this.schedulePublish());
    this.link?.onChange(() => this.schedulePublish());
  }

  start(): void {
    this.pcsc?.start();
    this.link?.start();
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
    };
  }

  private handlers(): CommandHandlers {
    return {
      'system.ping': () => ({ pong: true, runtimeVersion }),
      'status.get': () => this.status(),
      'link.checkNow': async () => (this.link ? this.link.checkNow() : { centralReachable: false, roundTripMs: null }),
      'ledger.summary': async () => {
        const { ledger } = this.options;
        const { collections } = ledger.database;
        return {
          transactionCount: await collections.transactions.count().exec(),
          pendingOutboxCount: await collections.outbox.count().exec(),
          currencies: currencyCodes.map((currency) => ({
            currency,
            merchantMinor: ledger.engine.balanceOf(accountId('merchant', ledger.owner, currency)).toString(),
            offlineClearingMinor: ledger.engine.balanceOf(accountId('offline_clearing', ledger.owner, currency)).toString(),
          })),
        };
      },
    };
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
    await this.link?.stop();
    await this.pcsc?.close();
    await this.devices.closeAll();
  }
}
