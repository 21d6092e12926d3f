// Sync under faults, with real processes: a terminal (`devpay serve`) with a backlog of test
// payments drains to central (`devpay central`) through Debian's mosquitto with ACLs, while the
// test cuts and stalls the link mid-batch (a loopback proxy), restarts mosquitto, SIGKILLs
// central and SIGKILLs the terminal. After recovery every payment exists exactly once at
// central, terminal and central agree on every balance, and `devpay ledger verify` passes on both.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { openLedger } from '../../ledger/ledger.js';
import { verifyLedger } from '../../ledger/verifier.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { requireTools } from '../harness/require-tool.js';
import { type MosquittoBroker, centralBrokerUser, startMosquitto, terminalBrokerUser } from '../harness/mosquitto.js';
import { runDevpay, startDevpay, type DevpayProcess } from '../harness/devpay-process.js';
import { startTcpProxy, type TcpProxy } from '../harness/tcp-proxy.js';
import { freshDir } from '../harness/output-dir.js';
import { until } from '../harness/until.js';
import { apiCall } from '../harness/api-call.js';
import { writeCardBacklog } from '../harness/card-backlog.js';
import { simCardsForEveryCurrency } from '../harness/virtual-card-payments.js';

const terminalId = 't-fault001';
const backlog = 1500;

interface Rig {
  broker: MosquittoBroker;
  proxy: TcpProxy;
  terminalDir: string;
  centralDir: string;
  ids: string[];
  syncKey: string;
  central: DevpayProcess;
  terminal: DevpayProcess;
  startCentral(): Promise<DevpayProcess>;
  startTerminal(): Promise<DevpayProcess>;
}

async function rig(mosquitto: string, name: string): Promise<Rig> {
  const broker = await startMosquitto(mosquitto, freshDir(`${name}-mqtt`), [
    terminalBrokerUser(terminalId, 'pw-t'),
    centralBrokerUser('pw-c'),
  ]);
  const proxy = await startTcpProxy(broker.port);
  const terminalDir = freshDir(`${name}-terminal`);
  const centralDir = freshDir(`${name}-central`);
  writeFileSync(`${terminalDir}/terminal.json`, JSON.stringify({ terminalId, createdAt: '2026-11-24T00:00:00.000Z' }));
  const syncKey = (await runDevpay(['provision', '--data', centralDir, '--terminal', terminalId])).stdout.trim();
  const ids = await writeCardBacklog({ terminalDir, terminalId, centralDir, count: backlog });
  const startCentral = () =>
    startDevpay(['central', '--data', centralDir, '--mqtt', `127.0.0.1:${broker.port}`, '--mqtt-user', 'central', '--sim-cards', String(simCardsForEveryCurrency)], { readyPattern: /(DevPay central is answering)/, env: { DEVPAY_MQTT_PASSWORD: 'pw-c' } });
  const startTerminal = () =>
    startDevpay(['serve', '--no-pcsc', '--data', terminalDir, '--port', '0', '--mqtt', `127.0.0.1:${proxy.port}`, '--mqtt-user', terminalId], { env: { DEVPAY_MQTT_PASSWORD: 'pw-t', DEVPAY_SYNC_KEY: syncKey } });
  const central = await startCentral();
  const terminal = await startTerminal();
  return { broker, proxy, terminalDir, centralDir, ids, syncKey, central, terminal, startCentral, startTerminal };
}

/** Waits until the drain has made some progress but not finished, so a fault lands mid-sync. */
async function midway(setup: Rig): Promise<void> {
  await until('the drain to be under way', 30_000, async () => {
    const count = (await apiCall<{ sync: { unsyncedCount: number } }>(setup.terminal.url, 'status.get')).result.sync.unsyncedCount;
    return count < backlog && count > 0;
  });
}

async function checkBooks(setup: Rig): Promise<void> {
  await until('the outbox to drain after recovery', 60_000, async () => ((await apiCall<{ sync: { unsyncedCount: number } }>(setup.terminal.url, 'status.get')).result.sync.unsyncedCount) === 0);
  await setup.terminal.stop();
  await setup.central.stop();
  await setup.proxy.close();
  await setup.broker.stop();
  const terminal = await openLedger({ dataDir: setup.terminalDir, clock: systemClock, random: systemRandom, mustExist: true });
  const central = await openLedger({ dataDir: setup.centralDir, clock: systemClock, random: systemRandom, mustExist: true });
  try {
    assert.deepEqual((await verifyLedger(terminal)).violations, [], 'terminal ledger verifies');
    assert.deepEqual((await verifyLedger(central)).violations, [], 'central ledger verifies');
    const atCentral = await central.transactions.getMany(setup.ids);
    assert.equal(atCentral.size, backlog, 'every payment exists at central');
    const centralAudit = await central.audit.all();
    const postings = new Map<string, number>();
    for (const entry of centralAudit) if (entry.kind === 'transaction_posted') postings.set(String(entry.payload.transactionId), (postings.get(String(entry.payload.transactionId)) ?? 0) + 1);
    assert.ok(setup.ids.every((id) => postings.get(id) === 1), 'each posted exactly once at central');
    for (const [account, balance] of terminal.engine.allBalances()) {
      if (!account.includes(`:${terminalId}:`)) continue;
      assert.equal(central.engine.balanceOf(account), balance.balanceMinor, `${account} agrees`);
    }
  } finally {
    await terminal.close();
    await central.close();
  }
  for (const dataDir of [setup.terminalDir, setup.centralDir]) {
    const verified = await runDevpay(['ledger', 'verify', '--data', dataDir]);
    assert.equal(verified.code, 0, `devpay ledger verify --data ${dataDir}: ${verified.stdout}${verified.stderr}`);
  }
}

test('the link cut and stalled mid-batch', { timeout: 180_000 }, async (context) => {
  const tools = requireTools(context, ['mosquitto', 'mosquitto_passwd']);
  if (!tools) return;
  const setup = await rig(tools[0]!, 'fault-link');
  await midway(setup);
  setup.proxy.cut();
  await new Promise((resolve) => setTimeout(resolve, 300));
  setup.proxy.stall();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  setup.proxy.resume();
  setup.proxy.cut();
  await checkBooks(setup);
});

test('mosquitto restarted mid-sync', { timeout: 180_000 }, async (context) => {
  const tools = requireTools(context, ['mosquitto', 'mosquitto_passwd']);
  if (!tools) return;
  const setup = await rig(tools[0]!, 'fault-broker');
  await midway(setup);
  await setup.broker.restart();
  await checkBooks(setup);
});

test('central SIGKILLed mid-sync and restarted', { timeout: 180_000 }, async (context) => {
  const tools = requireTools(context, ['mosquitto', 'mosquitto_passwd']);
  if (!tools) return;
  const setup = await rig(tools[0]!, 'fault-central');
  await midway(setup);
  assert.equal(await setup.central.stop('SIGKILL'), 'SIGKILL');
  setup.central = await setup.startCentral();
  await checkBooks(setup);
});

test('the terminal SIGKILLed mid-sync and restarted', { timeout: 180_000 }, async (context) => {
  const tools = requireTools(context, ['mosquitto', 'mosquitto_passwd']);
  if (!tools) return;
  const setup = await rig(tools[0]!, 'fault-terminal');
  await midway(setup);
  assert.equal(await setup.terminal.stop('SIGKILL'), 'SIGKILL');
  setup.terminal = await setup.startTerminal();
  await checkBooks(setup);
});
