// What each `devpay` subcommand does once its arguments are parsed. Long-running commands stay
// up until SIGINT or SIGTERM, then stop everything they started and exit 0.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { TerminalMode } from '../../core/api/status.js';
import { startCentralNode, loadMasterKey } from '../../central/central-node.js';
import { deriveTerminalSyncKey } from '../../core/wire/auth-tag.js';
import { setupCodeFor } from '../../core/operators/setup-code.js';
import { terminalIdPattern } from '../../core/wire/topics.js';
import { toHex } from '../../core/clock.js';
import { deriveReserveSigningKey, reservePublicKey } from '../../core/card/reserve-token.js';
import { InvalidArgumentError } from 'commander';
import { createLogger } from '../logger.js';
import { logFolderName } from '../log-file.js';
import { installProcessPolicyForThisProcess } from '../process-policy.js';
import { serve } from '../serve.js';
import { demoOperatorLines } from '../operators/demo-operators.js';
import type { PrinterAddress } from '../printing/printer-address.js';
import type { FingerprintAddress } from '../fingerprint/fingerprint-address.js';
import { systemClock, systemRandom } from '../system-clock.js';
import { findElectronBinary } from './electron-binary.js';
import { defaultUserDataDir } from './user-data-dir.js';

interface ServeFlags {
  headless: boolean;
  data: string;
  port: number;
  sim: boolean;
  pcsc: boolean;
  mode: TerminalMode;
  mqtt?: { host: string; port: number };
  mqttVersion: 4 | 5;
  mqttUser?: string;
  mqttCa?: string;
  heartbeatInterval?: number;
  printer?: PrinterAddress;
  fingerprint?: FingerprintAddress;
}

/** The long-running commands' log file: JSON lines in the data folder's logs/ (log-file.ts). */
function logFileIn(dataDir: string, name: string): string {
  return join(dataDir, logFolderName, `${name}.log`);
}

/** The broker's address: mqtts:// with the given CA when one is named, else plain mqtt://. */
function brokerEndpoint(address: { host: string; port: number }, caFile: string | undefined): { url: string; caPem?: string } {
  if (caFile === undefined) return { url: `mqtt://${address.host}:${address.port}` };
  return { url: `mqtts://${address.host}:${address.port}`, caPem: readFileSync(caFile, 'utf8') };
}

/** Broker credentials: the user from a flag, the password only from the environment (never argv). */
function brokerCredentials(user: string | undefined): { username?: string; password?: string } {
  if (user === undefined) return {};
  const password = process.env.DEVPAY_MQTT_PASSWORD;
  return password === undefined ? { username: user } : { username: user, password };
}

export async function runServe(flags: ServeFlags): Promise<void> {
  const logger = createLogger({ logFile: logFileIn(flags.data, 'devpay') });
  const policy = installProcessPolicyForThisProcess(logger);
  const handle = await serve({
    dataDir: flags.data,
    port: flags.port,
    headless: flags.headless,
    simulator: flags.sim,
    pcsc: flags.pcsc,
    mode: flags.mode,
    mqtt: flags.mqtt ? { ...brokerEndpoint(flags.mqtt, flags.mqttCa), protocolVersion: flags.mqttVersion, ...brokerCredentials(flags.mqttUser) } : null,
    logger,
    ...(flags.heartbeatInterval === undefined ? {} : { heartbeatIntervalMs: flags.heartbeatInterval }),
    ...(flags.printer === undefined ? {} : { printer: flags.printer }),
    ...(flags.fingerprint === undefined ? {} : { fingerprint: flags.fingerprint }),
  });
  policy.setShutdown(() => handle.close());
  const apiUrl = handle.url.replace(/^http:\/\/([^/]+)\/\?token=/, 'ws://$1/api?token=');
  process.stdout.write(flags.headless ? `DevPay Edge is serving at ${handle.url}\n` : `DevPay Edge API at ${apiUrl}\n`);
  // The simulator's demo operators, on the console only (never the log, which is scanned for PINs).
  process.stdout.write(demoOperatorLines(handle.runtime.operators.demoOperators));
  await untilSignalled();
  await handle.close();
}

export async function runCentral(flags: { data: string; mqtt: { host: string; port: number }; mqttVersion: 4 | 5; mqttUser?: string; mqttCa?: string; simCards?: number }): Promise<void> {
  const logger = createLogger({ name: 'devpay-central', logFile: logFileIn(flags.data, 'devpay-central') });
  const policy = installProcessPolicyForThisProcess(logger);
  const endpoint = brokerEndpoint(flags.mqtt, flags.mqttCa);
  const central = await startCentralNode({
    dataDir: flags.data,
    brokerUrl: endpoint.url,
    ...(endpoint.caPem === undefined ? {} : { caPem: endpoint.caPem }),
    protocolVersion: flags.mqttVersion,
    ...brokerCredentials(flags.mqttUser),
    clock: systemClock,
    random: systemRandom,
    log: logger,
    environment: { dataKey: process.env.DEVPAY_DATA_KEY, masterKey: process.env.DEVPAY_SYNC_MASTER_KEY },
    ...(flags.simCards === undefined ? {} : { simCards: flags.simCards }),
  });
  policy.setShutdown(() => central.close());
  process.stdout.write(`DevPay central is answering through ${endpoint.url}\n`);
  await untilSignalled();
  await central.close();
}

/**
 * Prints (or writes, mode 0600) a terminal's sync key, derived from central's master key; with
 * --central-public-key, central's reserve-signing public key instead (the terminal's central.pub);
 * with --setup-code, the terminal's one-time code for its first admin (derived from its sync key).
 */
export async function runProvision(flags: { data: string; terminal: string; out?: string; centralPublicKey?: boolean; setupCode?: boolean }): Promise<void> {
  if (!terminalIdPattern.test(flags.terminal)) throw new InvalidArgumentError(`not a terminal id: ${JSON.stringify(flags.terminal)}`);
  const masterKey = loadMasterKey(flags.data, systemRandom, process.env.DEVPAY_SYNC_MASTER_KEY);
  const syncKey = deriveTerminalSyncKey(masterKey, flags.terminal);
  const key = flags.setupCode ? setupCodeFor(syncKey, flags.terminal) : toHex(flags.centralPublicKey ? reservePublicKey(deriveReserveSigningKey(masterKey)) : syncKey);
  if (flags.out) writeFileSync(flags.out, `${key}\n`, { mode: 0o600, flag: 'wx' });
  else process.stdout.write(`${key}\n`);
}

export async function runStart(flags: { data?: string; mode: TerminalMode; port: number }): Promise<void> {
  const dataDir = flags.data ?? defaultUserDataDir();
  const electron = findElectronBinary();
  const mainBundle = fileURLToPath(new URL('../../dist/main/main.cjs', import.meta.url));
  if (electron.found && existsSync(mainBundle)) {
    process.stdout.write(`Starting Electron in simulator mode (data in ${dataDir})\n`);
    const child = spawn(electron.binaryPath, [mainBundle], {
      stdio: 'inherit',
      env: { ...process.env, DEVPAY_SIMULATOR: '1', DEVPAY_DATA_DIR: dataDir, DEVPAY_MODE: flags.mode },
    });
    const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const code = await new Promise<number>((resolve) => {
      child.on('exit', (exitCode) => resolve(exitCode ?? 0));
      // A binary that cannot start (removed, not executable) is reported, not an unheard 'error'.
      child.on('error', (error) => {
        process.stderr.write(`devpay: could not start Electron: ${error.message}\n`);
        resolve(1);
      });
    });
    process.exitCode = code;
    return;
  }
  const reason = electron.found ? `the Electron bundle ${mainBundle} is not built` : electron.reason;
  process.stdout.write(`Electron is not available here: ${reason}.\nServing the same UI headless instead (data in ${dataDir}).\n`);
  await runServe({ headless: true, data: dataDir, port: flags.port, sim: true, pcsc: true, mode: flags.mode, mqttVersion: 5 });
}

function untilSignalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.stdout.write(`\n${signal} received: shutting down\n`);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
