// The shared rig of the card payment tests: mosquitto with per-terminal ACLs, `devpay central`
// issuing the simulator's cards from a master key the test chose, loopback proxies that take a
// terminal off the link and bring it back, provisioning computed from the same master key, and
// `devpay ledger verify` with the environment a data folder needs. Everything started is
// registered with a Cleanup, which stops it in reverse order whatever happened.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fromHex, toHex } from '../../core/clock.js';
import { deriveCardKey } from '../../core/card/card-crypto.js';
import { deriveReserveSigningKey, reservePublicKey } from '../../core/card/reserve-token.js';
import { deriveTerminalSyncKey } from '../../core/wire/auth-tag.js';
import { deriveCardMasterKey, simCardId } from '../../central/central-cards.js';
import { devpayBin, startDevpay, type DevpayProcess } from './devpay-process.js';
import { centralBrokerUser, startMosquitto, terminalBrokerUser, type MosquittoBroker, type MosquittoUser } from './mosquitto.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
import { Cleanup } from './cleanup.js';

export { Cleanup };
import { until } from './until.js';

/** The keys a test derives from the sync master key it gives central. */
export interface CardKeys {
  masterHex: string;
  master: Uint8Array;
  cardMaster: Uint8Array;
  cardMasterHex: string;
  centralPublicKeyHex: string;
  cardId(index: number): Uint8Array;
  cardIdHex(index: number): string;
  cardKey(index: number): Uint8Array;
  syncKeyHex(terminalId: string): string;
}

export function cardKeys(masterHex: string): CardKeys {
  const master = fromHex(masterHex);
  const cardMaster = deriveCardMasterKey(master);
  const cardId = (index: number): Uint8Array => simCardId(cardMaster, index);
  return {
    masterHex,
    master,
    cardMaster,
    cardMasterHex: toHex(cardMaster),
    centralPublicKeyHex: toHex(reservePublicKey(deriveReserveSigningKey(master))),
    cardId,
    cardIdHex: (index) => toHex(cardId(index)),
    cardKey: (index) => deriveCardKey(cardMaster, cardId(index)),
    syncKeyHex: (terminalId) => toHex(deriveTerminalSyncKey(master, terminalId)),
  };
}

export const centralPassword = 'pw-central';
export const terminalPassword = (terminalId: string): string => `pw-${terminalId}`;

/** mosquitto with the production ACL shape: each terminal under its own topics, central across them. */
export async function startCardBroker(mosquitto: string, dir: string, terminalIds: string[], cleanup: Cleanup): Promise<MosquittoBroker> {
  const users: MosquittoUser[] = [
    ...terminalIds.map((terminalId) => terminalBrokerUser(terminalId, terminalPassword(terminalId))),
    centralBrokerUser(centralPassword),
  ];
  const broker = await startMosquitto(mosquitto, dir, users);
  cleanup.add('mosquitto', () => broker.stop());
  return broker;
}

export async function startCardCentral(centralDir: string, brokerPort: number, keys: CardKeys, cleanup: Cleanup, simCards = 5): Promise<DevpayProcess> {
  const central = await startDevpay(['central', '--data', centralDir, '--mqtt', `127.0.0.1:${brokerPort}`, '--mqtt-user', 'central', '--sim-cards', String(simCards)], {
    readyPattern: /(DevPay central is answering)/,
    env: { DEVPAY_MQTT_PASSWORD: centralPassword, DEVPAY_SYNC_MASTER_KEY: keys.masterHex },
  });
  cleanup.add('central', () => central.stop());
  return central;
}

/** A loopback proxy in front of the broker for one terminal (test/harness/tcp-proxy.ts), stopped with the rest. */
export async function startProxy(targetPort: number, cleanup: Cleanup): Promise<TcpProxy> {
  const proxy = await startTcpProxy(targetPort);
  cleanup.add('proxy', () => proxy.close());
  return proxy;
}

/** Takes a terminal off the link: open connections dropped, new ones accepted and left hanging. */
export function unlink(proxy: TcpProxy): void {
  proxy.cut();
  proxy.stall();
}

/** Brings it back: the hanging connections are dropped too, so the client reconnects cleanly. */
export function relink(proxy: TcpProxy): void {
  proxy.resume();
  proxy.cut();
}

/** `devpay <args>` to completion, with extra environment (DEVPAY_DATA_KEY for a ledger opened with a fixed key). */
export function runDevpayWithEnv(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [devpayBin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DEVPAY_LOG_LEVEL: 'warn', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export async function assertLedgerVerifies(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const verified = await runDevpayWithEnv(['ledger', 'verify', '--data', dataDir], env);
  assert.equal(verified.code, 0, `devpay ledger verify --data ${dataDir} exited ${verified.code}:\n${verified.stdout}${verified.stderr}`);
}

/** Waits for a condition, and names what was last seen if it never holds. */
export async function waitFor(what: string, timeoutMs: number, check: () => boolean | Promise<boolean>, describe?: () => unknown): Promise<void> {
  try {
    await until(what, timeoutMs, check, 50);
  } catch (error) {
    if (!describe) throw error;
    throw new Error(`${(error as Error).message}; last seen: ${JSON.stringify(await Promise.resolve().then(describe).catch((problem: unknown) => String(problem)))}`);
  }
}
