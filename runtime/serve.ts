// `devpay serve` and the headless half of `devpay start`: one terminal runtime with its UI on a
// loopback port, and in simulator mode the embedded broker and central beside it. Everything
// started here is stopped by close(), in reverse order.
import { fileURLToPath } from 'node:url';
import { systemClock, systemRandom } from './system-clock.js';
import { toHex } from '../core/clock.js';
import type { TerminalMode } from '../core/api/status.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../central/embedded-broker.js';
import { CentralService } from '../central/central-service.js';
import { startHeadlessServer, type HeadlessServer } from './api/http-server.js';
import { TerminalRuntime } from './terminal-runtime.js';
import type { Logger } from './logger.js';

export const defaultUiRoot = fileURLToPath(new URL('../dist/renderer/', import.meta.url));

export interface ServeOptions {
  dataDir: string;
  port: number;
  headless: boolean;
  simulator: boolean;
  pcsc: boolean;
  mode: TerminalMode;
  /** An external broker; in simulator mode without one, an embedded broker and central start. */
  mqtt: { url: string; protocolVersion: 4 | 5; username?: string; password?: string } | null;
  logger: Logger;
  uiRoot?: string;
  heartbeatIntervalMs?: number;
}

export interface ServeHandle {
  readonly url: string;
  readonly runtime: TerminalRuntime;
  close(): Promise<void>;
}

export async function serve(options: ServeOptions): Promise<ServeHandle> {
  const { logger } = options;
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.reverse()) {
      await close().catch((error: unknown) => logger.warn({ err: error }, 'shutdown step failed'));
    }
  };
  try {
    let broker = options.mqtt;
    if (!broker && options.simulator) {
      const embedded: EmbeddedBroker = await startEmbeddedBroker();
      closers.push(() => embedded.close());
      broker = { url: embedded.url, protocolVersion: embedded.protocolVersion };
      const central = new CentralService({ brokerUrl: embedded.url, protocolVersion: embedded.protocolVersion, clock: systemClock, log: logger.child({ component: 'central' }) });
      await central.start();
      closers.push(() => central.stop());
      logger.info({ brokerUrl: embedded.url }, 'embedded broker and central started');
    }
    const runtime = new TerminalRuntime({
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
    const server: HeadlessServer = await startHeadlessServer({
      api: runtime.api,
      logger,
      token: toHex(systemRandom.bytes(24)),
      port: options.port,
      uiRoot: options.headless ? (options.uiRoot ?? defaultUiRoot) : null,
    });
    closers.push(() => server.close());
    return { url: server.url, runtime, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
