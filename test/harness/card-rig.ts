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
import { topics } from '../../core/wire/topics.js';
import { deriveCardMasterKey, simCardId } from '../../central/central-cards.js';
import { devpayBin, startDevpay, type DevpayProcess } from './devpay-process.js';
import { startMosquitto, type MosquittoBroker, type MosquittoUser } from './mosquitto.js';
import { createServer, connect, type Socket } from 'node:net';
import type { TcpProxy } from './tcp-proxy.js';
import { until } from './until.js';

/** Runs registered shutdown steps in reverse order; a failing step does not stop the others. */
export class Cleanup {
  private readonly steps: Array<{ what: string; run: () => unknown }> = [];

  /** Registers a step; the function returned runs it now (and only once), for orderly shutdowns. */
  add(what: string, run: () => unknown): () => Promise<void> {
    const step = { what, run };
    this.steps.push(step);
    return async () => {
      const index = this.steps.indexOf(step);
      if (index < 0) return;
      this.steps.splice(index, 1);
      await run();
    };
  }

  async run(): Promise<void> {
    const failures: string[] = [];
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.run();
      } catch (error) {
        failures.push(`${step.what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failures.length > 0) process.stderr.write(`cleanup problems:\n${failures.join('\n')}\n`);
  }
}

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
    ...terminalIds.map((terminalId) => ({
      username: terminalId,
      password: terminalPassword(terminalId),
      acl: [`topic write ${topics.terminalRequest(terminalId, '#')}`, `topic read ${topics.terminalResponses(terminalId)}`, `topic read ${topics.centralPresence}`],
    })),
    { username: 'central', password: centralPassword, acl: [`topic read ${topics.allTerminalRequests}`, `topic write ${topics.terminalResponses('+')}`, `topic readwrite ${topics.centralPresence}`] },
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

/**
 * A loopback proxy like tcp-proxy.ts's, whose stall also holds connections opened while stalled
 * (tcp-proxy.ts pauses them before pipe(), and pipe() resumes them, so a terminal reconnects
 * straight through a "stalled" proxy). A connection opened while stalled is accepted and held
 * with no upstream at all, as a black-holed link would: the client waits for a CONNACK that
 * never comes.
 */
export async function startProxy(targetPort: number, cleanup: Cleanup): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let stalled = false;
  const server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    if (stalled) {
      client.pause();
      return;
    }
    const upstream = connect({ host: '127.0.0.1', port: targetPort });
    open.add(upstream);
    upstream.on('close', () => {
      open.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const cut = (): void => {
    for (const socket of open) socket.destroy();
    open.clear();
  };
  const proxy: TcpProxy = {
    port,
    cut,
    stall() {
      stalled = true;
      for (const socket of open) socket.pause();
    },
    resume() {
      stalled = false;
      for (const socket of open) socket.resume();
    },
    async close() {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
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
