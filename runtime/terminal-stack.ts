// A terminal runtime and, in simulator mode without an external broker, the embedded broker and
// central it talks to. Shared by `devpay serve` and the Electron utility process, so both run
// the same parts. close() stops what was started, in reverse order.
import { systemClock, systemRandom } from './system-clock.js';
import type { TerminalMode } from '../core/api/status.js';
import { startEmbeddedBroker } from '../central/embedded-broker.js';
import { CentralService } from '../central/central-service.js';
import { TerminalRuntime } from './terminal-runtime.js';
import { loadOrCreateIdentity } from './terminal-identity.js';
import { openLedger } from '../ledger/ledger.js';
import type { Logger } from './logger.js';

export interface TerminalStackOptions {
  dataDir: string;
  simulator: boolean;
  pcsc: boolean;
  mode: TerminalMode;
  /** An external broker; in simulator mode without one, an embedded broker and central start. */
  mqtt: { url: string; protocolVersion: 4 | 5; username?: string; password?: string } | null;
  logger: Logger;
  heartbeatIntervalMs?: number;
  /** The ledger's data key in hex (Electron main passes the one it keeps with safeStorage). */
  dataKeyHex?: string;
}

export interface TerminalStack {
  readonly runtime: TerminalRuntime;
  /** Registers a shutdown step; steps run in reverse order of registration. */
  onClose(step: () => Promise<void>): void;
  close(): Promise<void>;
}

export async function startTerminalStack(options: TerminalStackOptions): Promise<TerminalStack> {
  const { logger } = options;
  const closers: Array<() => Promise<void>> = [];
  const close = async (): Promise<void> => {
    while (closers.length > 0) {
      const step = closers.pop()!;
      await step().catch((error: unknown) => logger.warn({ err: error }, 'shutdown step failed'));
    }
  };
  try {
    let broker = options.mqtt;
    if (!broker && options.simulator) {
      const embedded = await startEmbeddedBroker();
      closers.push(() => embedded.close());
      broker = { url: embedded.url, protocolVersion: embedded.protocolVersion };
      const central = new CentralService({ brokerUrl: embedded.url, protocolVersion: embedded.protocolVersion, clock: systemClock, log: logger.child({ component: 'central' }) });
      await central.start();
      closers.push(() => central.stop());
      logger.info({ brokerUrl: embedded.url }, 'embedded broker and central started');
    }
    const { terminalId } = loadOrCreateIdentity(options.dataDir, systemRandom, new Date(systemClock.nowMs()));
    const ledger = await openLedger({
      dataDir: options.dataDir,
      owner: terminalId,
      clock: systemClock,
      random: systemRandom,
      environmentKey: options.dataKeyHex ?? process.env.DEVPAY_DATA_KEY,
    });
    closers.push(() => ledger.close());
    const runtime = new TerminalRuntime({
      terminalId,
      ledger,
      dataDir: options.dataDir,
      mode: options.mode,
      simulator: options.simulator,
      pcsc: options.pcsc,
      broker,
      clock: systemClock,
      random: systemRandom,
      logger,
      ...(options.heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs: options.heartbeatIntervalMs }),
    });
    runtime.start();
    closers.push(() => runtime.stop());
    return { runtime, onClose: (step) => closers.push(step), close };
  } catch (error) {
    await close();
    throw error;
  }
}
