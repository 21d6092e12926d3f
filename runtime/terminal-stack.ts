// A terminal runtime and, in simulator mode without an external broker, the embedded broker and
// central it talks to. Shared by `devpay serve` and the Electron utility process, so both run
// the same parts. close() stops what was started, in reverse order.
import { systemClock, systemRandom } from './system-clock.js';
import { fromHex, toHex } from '../core/clock.js';
import { existsSync, readFileSync } from 'node:fs';
import { deriveReserveSigningKey, reservePublicKey } from '../core/card/reserve-token.js';
import { SimCardWallet } from './payment/sim-card-wallet.js';
import type { TerminalMode } from '../core/api/status.js';
import { startEmbeddedBroker } from '../central/embedded-broker.js';
import { startCentralNode } from '../central/central-node.js';
import { loadSecretKey } from '../ledger/durable/data-key.js';
import { deriveTerminalSyncKey } from '../core/wire/auth-tag.js';
import { join } from 'node:path';

export const syncKeyFileName = 'sync.key';
export const centralPublicKeyFileName = 'central.pub';
/** How many virtual cards the simulator's embedded central issues and its panel shows. */
export const simCardCount = 5;

/** Central's reserve-signing public key: DEVPAY_CENTRAL_PUBLIC_KEY, or central.pub (hex) from `devpay provision`. */
function loadCentralPublicKey(dataDir: string): Uint8Array | null {
  const fromEnvironment = process.env.DEVPAY_CENTRAL_PUBLIC_KEY;
  const path = join(dataDir, centralPublicKeyFileName);
  const text = fromEnvironment ?? (existsSync(path) ? readFileSync(path, 'utf8').trim() : null);
  if (text === null) return null;
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new Error(`central public key must be 64 hex characters (${fromEnvironment ? 'DEVPAY_CENTRAL_PUBLIC_KEY' : path})`);
  return fromHex(text.toLowerCase());
}
import { TerminalRuntime } from './terminal-runtime.js';
import { loadOrCreateIdentity } from '../ledger/stores/terminal-identity-store.js';
import { openLedger, type Ledger } from '../ledger/ledger.js';
import type { Logger } from './logger.js';
import type { PrinterAddress } from './printing/printer-address.js';
import { openFingerprintReader, type FingerprintAddress } from './fingerprint/fingerprint-address.js';
import { setUpPrinter } from './printing/printer-setup.js';

export interface TerminalStackOptions {
  dataDir: string;
  simulator: boolean;
  pcsc: boolean;
  mode: TerminalMode;
  /** An external broker; in simulator mode without one, an embedded broker and central start. */
  mqtt: { url: string; protocolVersion: 4 | 5; username?: string; password?: string; caPem?: string } | null;
  logger: Logger;
  heartbeatIntervalMs?: number;
  /** The ledger's data key in hex (Electron main passes the one it keeps with safeStorage). */
  dataKeyHex?: string;
  /** The receipt printer (`--printer`); in simulator mode without one, a simulated printer starts. */
  printer?: PrinterAddress | null;
  /** The operators' fingerprint reader (`--fingerprint`); in simulator mode without one, a simulated module. */
  fingerprint?: FingerprintAddress | null;
}

export interface TerminalStack {
  readonly runtime: TerminalRuntime;
  /** Registers a shutdown step; steps run in reverse order of registration. */
  onClose(step: () => Promise<void>): void;
  close(): Promise<void>;
}

/** The simulator's virtual cards could not save an ATC: said once per failure, the tap goes on. */
function simCardSaveFailed(logger: Logger): (error: Error) => void {
  return (error) => logger.warn({ reason: 'sim_card_save_failed', err: error.message }, 'simulated card ATC not saved');
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
    const { terminalId } = loadOrCreateIdentity(options.dataDir, systemRandom, new Date(systemClock.nowMs()));
    let broker = options.mqtt;
    // A provisioned terminal holds its sync key (DEVPAY_SYNC_KEY or sync.key, from
    // `devpay provision`); the simulator derives it from its embedded central's master key.
    let centralPublicKey = loadCentralPublicKey(options.dataDir);
    let simCards: SimCardWallet | null = null;
    let syncKey = loadSecretKey({ path: join(options.dataDir, syncKeyFileName), environmentKey: process.env.DEVPAY_SYNC_KEY, environmentName: 'DEVPAY_SYNC_KEY', random: systemRandom, mayCreate: false });
    if (!broker && options.simulator) {
      // The embedded broker authenticates both parties with passwords made for this run and
      // holds the terminal to its own topics, as a production broker's ACL does.
      const centralPassword = toHex(systemRandom.bytes(16));
      const terminalPassword = toHex(systemRandom.bytes(16));
      const embedded = await startEmbeddedBroker({
        log: options.logger,
        users: [
          { username: 'central', password: centralPassword, who: { role: 'central' } },
          { username: terminalId, password: terminalPassword, who: { role: 'terminal', terminalId } },
        ],
      });
      closers.push(() => embedded.close());
      broker = { url: embedded.url, protocolVersion: embedded.protocolVersion, username: terminalId, password: terminalPassword };
      const central = await startCentralNode({
        dataDir: join(options.dataDir, 'central'),
        brokerUrl: embedded.url,
        protocolVersion: embedded.protocolVersion,
        username: 'central',
        password: centralPassword,
        clock: systemClock,
        random: systemRandom,
        log: logger.child({ component: 'central' }),
        simCards: simCardCount,
      });
      closers.push(() => central.close());
      syncKey = deriveTerminalSyncKey(central.masterKey, terminalId);
      centralPublicKey = reservePublicKey(deriveReserveSigningKey(central.masterKey));
      simCards = new SimCardWallet(options.dataDir, central.cards.cardMasterKey, simCardCount, simCardSaveFailed(logger));
      logger.info({ brokerUrl: embedded.url }, 'embedded broker and central started');
    }
    // A simulator against an external central gets its virtual cards from that central's card
    // master key (simulator and tests only: a real terminal never holds it).
    const simCardMaster = process.env.DEVPAY_SIM_CARD_MASTER_KEY;
    if (options.simulator && !simCards && simCardMaster) {
      if (!/^[0-9a-f]{64}$/.test(simCardMaster)) throw new Error('DEVPAY_SIM_CARD_MASTER_KEY must be 64 lowercase hex characters');
      simCards = new SimCardWallet(options.dataDir, fromHex(simCardMaster), simCardCount, simCardSaveFailed(logger));
    }
    // The runtime reopens the ledger by itself after a failed commit (disk full, I/O error), so
    // the closer closes whichever ledger is open at shutdown, not the first one.
    const openTerminalLedger = (): Promise<Ledger> =>
      openLedger({
        dataDir: options.dataDir,
        owner: terminalId,
        clock: systemClock,
        random: systemRandom,
        environmentKey: options.dataKeyHex ?? process.env.DEVPAY_DATA_KEY,
      });
    const ledger = await openTerminalLedger();
    let currentLedger = (): Ledger | null => ledger;
    closers.push(async () => {
      await currentLedger()?.close();
    });
    const printer = await setUpPrinter({ address: options.printer ?? null, simulator: options.simulator, dataDir: options.dataDir, logger });
    if (printer) closers.push(() => printer.close());
    // Built even when the device is absent: the driver finds it later and the PIN signs in meanwhile.
    const fingerprintReader = options.fingerprint ? openFingerprintReader(options.fingerprint) : null;
    const runtime = new TerminalRuntime({
      printer,
      fingerprintReader,
      terminalId,
      ledger,
      openLedger: openTerminalLedger,
      syncKey,
      centralPublicKey,
      simCards,
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
    currentLedger = () => runtime.currentLedger();
    await runtime.start();
    closers.push(() => runtime.stop());
    return { runtime, onClose: (step) => closers.push(step), close };
  } catch (error) {
    await close();
    throw error;
  }
}
