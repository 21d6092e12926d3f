// Sync through a real broker (the embedded aedes, in-process) with real ledgers on disk at both
// ends: an offline backlog drains to central exactly once, both sides agree on every balance,
// a repeated push answers the verdicts already given, central's rejection reverses the payment
// on the terminal, and an answer that does not carry the terminal's tag changes nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { seededRandom, toHex } from '../../core/clock.js';
import { createUlidFactory } from '../../core/ids.js';
import { silentLog } from '../../core/log-sink.js';
import { deriveTerminalSyncKey, signMessage } from '../../core/wire/auth-tag.js';
import { topics } from '../../core/wire/topics.js';
import { accountId } from '../../core/ledger/accounts.js';
import type { Ledger } from '../../ledger/ledger.js';
import { verifyLedger } from '../../ledger/verifier.js';
import { offlinePayment, openTestLedger, testOwner } from '../../ledger/test-ledger.js';
import { startEmbeddedBroker } from '../../central/embedded-broker.js';
import { CentralService } from '../../central/central-service.js';
import type { CentralSettlement } from '../../central/central-settlement.js';
import type { TerminalSettingsSource } from '../../central/terminal-settings-source.js';
import { startCentralNode } from '../../central/central-node.js';
import { simCardsForEveryCurrency, VirtualCardPayments } from '../harness/virtual-card-payments.js';
import { MqttLink } from '../../sync/mqtt-link.js';
import { OutboxSync } from '../../sync/outbox-sync.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { until } from '../harness/until.js';

const masterKey = new Uint8Array(32).fill(9);
const debugLog = { info() {}, warn: (context: object, message: string) => process.env.DEBUG_SYNC && process.stderr.write(`${message} ${JSON.stringify(context)}\n`), error() {} } as unknown as typeof silentLog;

/** Central as `devpay central` runs it, with the simulator's five cards (one per currency) the payments are tapped with. */
async function startCentral(brokerUrl: string): Promise<{ ledger: Ledger; settlement: CentralSettlement; service: { stop(): Promise<void> }; settings: TerminalSettingsSource }> {
  const node = await startCentralNode({
    dataDir: mkdtempSync(join(tmpdir(), 'devpay-central-')),
    brokerUrl,
    protocolVersion: 4,
    clock: systemClock,
    random: systemRandom,
    log: debugLog,
    environment: { dataKey: '03'.repeat(32), masterKey: toHex(masterKey) },
    simCards: simCardsForEveryCurrency,
  });
  return { ledger: node.ledger, settlement: node.settlement, service: { stop: () => node.close() }, settings: node.settings };
}

function terminalSync(brokerUrl: string, ledger: Ledger, key: Uint8Array, rejected: string[] = []) {
  const link = new MqttLink({ brokerUrl, protocolVersion: 4, terminalId: testOwner, clock: systemClock, random: systemRandom, log: silentLog, heartbeatIntervalMs: 60_000 });
  const sync = new OutboxSync({ link, ledger, terminalId: testOwner, key, clock: systemClock, random: seededRandom(4), log: debugLog, nextId: createUlidFactory(systemClock, systemRandom), batchSize: 16, initialBackoffMs: 50, onRejected: (id) => rejected.push(id) });
  return { link, sync };
}

/** A broker, central and one terminal wired together; close() stops them in reverse order. */
async function startRig(seed: number) {
  const broker = await startEmbeddedBroker();
  const central = await startCentral(broker.url);
  const terminal = await openTestLedger(seed);
  const key = deriveTerminalSyncKey(masterKey, testOwner);
  const rejected: string[] = [];
  const { link, sync } = terminalSync(broker.url, terminal.ledger, key, rejected);
  const cards = new VirtualCardPayments(masterKey, systemClock, systemRandom);
  const close = async (): Promise<void> => {
    await sync.stop();
    await link.stop();
    await central.service.stop();
    await terminal.ledger.close();
    await broker.close();
  };
  return { broker, central, terminal, key, rejected, link, sync, cards, close };
}

test('an offline backlog drains exactly once and both ledgers agree', { timeout: 60_000 }, async () => {
  const { central, terminal, key, link, sync, cards, close } = await startRig(21);
  try {
    const ids: string[] = [];
    for (let index = 0; index < 50; index += 1) {
      const id = terminal.nextId();
      ids.push(id);
      assert.equal((await terminal.ledger.engine.post(cards.offlinePayment(id, testOwner, index % 2 ? 'TRY' : 'USDT', BigInt(index + 1) * 100n))).result, 'ok');
    }
    const backlog = await sync.summary();
    assert.equal(backlog.count, 50);
    assert.equal(backlog.amountsMinor.TRY, String([...Array(50).keys()].filter((index) => index % 2).reduce((sum, index) => sum + (index + 1) * 100, 0)));

    link.start();
    sync.start();
    await until('the outbox to drain', 20_000, async () => (await sync.summary()).count === 0);

    const centralTransactions = await central.ledger.transactions.all();
    const pushedAtCentral = centralTransactions.filter((document) => ids.includes(document.id));
    assert.equal(pushedAtCentral.length, 50, 'every payment exists at central exactly once');
    assert.ok(pushedAtCentral.every((document) => document.state === 'settled'));
    const local = await terminal.ledger.transactions.getMany(ids);
    assert.ok([...local.values()].every((document) => document.state === 'settled'));
    for (const [account, balance] of terminal.ledger.engine.allBalances()) {
      if (!account.includes(`:${testOwner}:`)) continue;
      assert.equal(central.ledger.engine.balanceOf(account), balance.balanceMinor, `${account} agrees`);
    }
    assert.deepEqual((await verifyLedger(terminal.ledger)).violations, []);
    assert.deepEqual((await verifyLedger(central.ledger)).violations, []);
    assert.equal(await central.ledger.database.collections.outbox.count().exec(), 0, 'central queues nothing to send on');

    // The same push again (a retry after a lost answer) changes nothing and repeats the verdicts.
    const again = (await central.settlement.handlePush(
      testOwner,
      Buffer.from(JSON.stringify(signMessage(key, { v: 1, kind: 'push', correlationId: 'a'.repeat(32), terminalId: testOwner, sentAtMs: 1, transactions: [{ ...(await terminal.ledger.transactions.get(ids[0]!))!, state: 'approved_offline', updatedAtMs: undefined }].map((transaction) => JSON.parse(JSON.stringify(transaction))) }))),
    )) as { results: Array<{ outcome: string }> };
    assert.deepEqual(again.results.map((result) => result.outcome), ['settled']);
    assert.equal((await central.ledger.transactions.all()).length, centralTransactions.length);
  } finally {
    await close();
  }
});

test('central rejects a payment into another terminal\'s account; the terminal reverses it and says so', { timeout: 60_000 }, async () => {
  const { terminal, rejected, link, sync, cards, close } = await startRig(22);
  try {
    const foreign = accountId('merchant', 't-someone-else', 'EUR');
    await terminal.ledger.engine.openAccount({ id: foreign, kind: 'merchant', currency: 'EUR', createdAtMs: 0 });
    const id = terminal.nextId();
    const payment = cards.offlinePayment(id, testOwner, 'EUR', 999n);
    payment.postings[1]!.accountId = foreign;
    assert.equal((await terminal.ledger.engine.post(payment)).result, 'ok');
    link.start();
    sync.start();
    await until('the rejection', 20_000, () => rejected.length === 1);
    assert.deepEqual(rejected, [id]);
    const local = await terminal.ledger.transactions.get(id);
    assert.equal(local?.state, 'rejected');
    assert.equal(terminal.ledger.engine.balanceOf(foreign), 0n, 'reversed');
    assert.equal((await sync.summary()).count, 0);
    const report = await verifyLedger(terminal.ledger);
    assert.deepEqual(report.violations, []);
    assert.ok((await terminal.ledger.audit.all()).some((entry) => entry.kind === 'transaction_rejected' && entry.payload.transactionId === id));
  } finally {
    await close();
  }
});

test('an answer not signed with the terminal\'s key is refused and changes nothing', { timeout: 60_000 }, async () => {
  const broker = await startEmbeddedBroker();
  const wrongKey = new Uint8Array(32).fill(1);
  // A central impostor: answers every push "settled", signed with a key that is not the terminal's.
  const impostor = new CentralService({
    brokerUrl: broker.url,
    protocolVersion: 4,
    masterKey: wrongKey,
    clock: systemClock,
    log: silentLog,
    handlers: {
      push: async (terminalId, payload) => {
        const push = JSON.parse(payload.toString()) as { correlationId: string; transactions: Array<{ id: string }> };
        return signMessage(wrongKey, { v: 1, kind: 'push_result', correlationId: push.correlationId, terminalId, results: push.transactions.map((transaction) => ({ id: transaction.id, outcome: 'settled', reason: 'settled' })) });
      },
    },
  });
  await impostor.start();
  const terminal = await openTestLedger(23);
  const { link, sync } = terminalSync(broker.url, terminal.ledger, deriveTerminalSyncKey(masterKey, testOwner));
  try {
    const id = terminal.nextId();
    await terminal.ledger.engine.post(offlinePayment(id, 'USD', 500n));
    link.start();
    sync.start();
    await until('the forged answer to be refused', 20_000, () => sync.refusedAnswers >= 1);
    assert.equal((await terminal.ledger.transactions.get(id))?.state, 'approved_offline');
    assert.equal((await sync.summary()).count, 1, 'the payment stays in the outbox');
    // A raw replay onto the response topic, with no request waiting, is dropped as well.
    const raw = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    await raw.publishAsync(topics.terminalResponses(testOwner), JSON.stringify({ v: 1, kind: 'push_result', correlationId: 'b'.repeat(32), terminalId: testOwner, results: [{ id, outcome: 'rejected', reason: 'double_spend' }], tag: '0'.repeat(64) }));
    await raw.endAsync();
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await terminal.ledger.transactions.get(id))?.state, 'approved_offline');
  } finally {
    await sync.stop();
    await link.stop();
    await impostor.stop();
    await terminal.ledger.close();
    await broker.close();
  }
});
