// Wallet top-ups through a real broker and central, both ledgers on disk: a top-up within the
// agent's float settles and the spends that need it settle after it in push order; a top-up past
// central's float is refused (`float_exceeded`) and reversed at the terminal; when the customer
// had already spent it, the shortfall goes to the agent's receivable with an alert instead of
// leaving the verdict unapplied, the spends central refuses pay it back, and in the end the
// terminal's books agree with central's to the minor unit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex } from '../../core/clock.js';
import { createUlidFactory } from '../../core/ids.js';
import { silentLog } from '../../core/log-sink.js';
import { deriveTerminalSyncKey, signMessage } from '../../core/wire/auth-tag.js';
import { accountId } from '../../core/ledger/accounts.js';
import { defaultOfflineLimits, type OfflineLimits } from '../../core/ledger/limits.js';
import { verifyLedger } from '../../ledger/verifier.js';
import { openTestLedger, testOwner } from '../../ledger/test-ledger.js';
import { postWalletTopUp } from '../../ledger/wallet-top-ups.js';
import { startEmbeddedBroker } from '../../central/embedded-broker.js';
import { startCentralNode } from '../../central/central-node.js';
import { MqttLink } from '../../sync/mqtt-link.js';
import { OutboxSync } from '../../sync/outbox-sync.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { until } from '../harness/until.js';

const masterKey = new Uint8Array(32).fill(0x31);
const wallet = accountId('customer_wallet', testOwner, 'TRY');
const floatAccount = accountId('agent_float', testOwner, 'TRY');
const receivable = accountId('agent_receivable', testOwner, 'TRY');
const merchant = accountId('merchant', testOwner, 'TRY');

function withTryFloat(floatMinor: string): OfflineLimits {
  return { ...defaultOfflineLimits, currencies: { ...defaultOfflineLimits.currencies, TRY: { ...defaultOfflineLimits.currencies.TRY!, agentFloatMinor: floatMinor } } };
}

async function startRig(seed: number, centralFloatMinor: string, batchSize?: number) {
  const broker = await startEmbeddedBroker();
  const central = await startCentralNode({ dataDir: mkdtempSync(join(tmpdir(), 'devpay-topup-central-')), brokerUrl: broker.url, protocolVersion: 4, clock: systemClock, random: systemRandom, log: silentLog, environment: { dataKey: '0a'.repeat(32), masterKey: toHex(masterKey) } });
  await central.settings.setLimits(testOwner, withTryFloat(centralFloatMinor));
  const terminal = await openTestLedger(seed);
  await terminal.ledger.engine.openAccount({ id: wallet, kind: 'customer_wallet', currency: 'TRY', createdAtMs: 0 }, { name: 'Zeynep', phone: '+905321234567' });
  const key = deriveTerminalSyncKey(masterKey, testOwner);
  const rejected: Array<[string, string]> = [];
  const receivableMoves: Array<[string, bigint]> = [];
  const link = new MqttLink({ brokerUrl: broker.url, protocolVersion: 4, terminalId: testOwner, syncKey: key, clock: systemClock, random: systemRandom, log: silentLog, heartbeatIntervalMs: 60_000 });
  const sync = new OutboxSync({
    link, ledger: terminal.ledger, terminalId: testOwner, key, clock: systemClock, random: systemRandom, log: silentLog, nextId: createUlidFactory(systemClock, systemRandom), initialBackoffMs: 50, ...(batchSize === undefined ? {} : { batchSize }),
    onRejected: (id, reason) => rejected.push([id, reason]),
    onAgentReceivable: (id, _account, amountMinor) => receivableMoves.push([id, amountMinor]),
  });
  const spend = async (amountMinor: bigint): Promise<string> => {
    const id = terminal.nextId();
    const posted = await terminal.ledger.engine.post({ id, kind: 'payment', state: 'approved_offline', postings: [{ accountId: wallet, amountMinor: (-amountMinor).toString() }, { accountId: merchant, amountMinor: amountMinor.toString() }] });
    assert.equal(posted.result, 'ok');
    return id;
  };
  const drain = async (): Promise<void> => {
    link.start();
    sync.start();
    await until('the outbox to drain', 20_000, async () => (await sync.summary()).count === 0);
  };
  const close = async (): Promise<void> => {
    await sync.stop();
    await link.stop();
    await central.close();
    await terminal.ledger.close();
    await broker.close();
  };
  return { central, terminal, rejected, receivableMoves, spend, drain, close };
}

function refundOf(id: string, paymentId: string, amountMinor: bigint) {
  return { id, kind: 'refund' as const, state: 'approved_offline' as const, referencesId: paymentId, postings: [{ accountId: merchant, amountMinor: (-amountMinor).toString() }, { accountId: wallet, amountMinor: amountMinor.toString() }] };
}

test('a top-up within the agent\'s float settles, and the spends that need it settle after it in push order', { timeout: 60_000 }, async () => {
  const { central, terminal, rejected, spend, drain, close } = await startRig(41, '1000');
  try {
    const topUp = terminal.nextId();
    assert.equal((await postWalletTopUp(terminal.ledger, { id: topUp, walletId: wallet, currency: 'TRY', amountMinor: 1000n }, withTryFloat('1000'), systemClock)).result, 'ok');
    // The float is spent: a second top-up is refused on the terminal before it reaches central.
    const refused = await postWalletTopUp(terminal.ledger, { id: terminal.nextId(), walletId: wallet, currency: 'TRY', amountMinor: 1n }, withTryFloat('1000'), systemClock);
    assert.deepEqual(refused, { result: 'float_exceeded', outstandingMinor: '1000', floatLimitMinor: '1000' });
    const spends = [];
    for (let index = 0; index < 5; index += 1) spends.push(await spend(200n));
    await drain();
    assert.deepEqual(rejected, [], 'no spend overtook the top-up at central');
    assert.equal(central.ledger.engine.balanceOf(wallet), 0n);
    assert.equal(central.ledger.engine.balanceOf(floatAccount), -1000n, 'the agent owes central the cash it took');
    const atCentral = await central.ledger.transactions.getMany([topUp, ...spends]);
    assert.ok([topUp, ...spends].every((id) => atCentral.get(id)?.state === 'settled'));
    assert.deepEqual((await verifyLedger(central.ledger)).violations, []);
  } finally {
    await close();
  }
});

test('a top-up central refuses after the customer spent it books the shortfall to the agent\'s receivable, and the books end equal', { timeout: 60_000 }, async () => {
  // The terminal believes in a float of 5,000; central granted only 1,000 (lowered since, say).
  const { central, terminal, rejected, receivableMoves, spend, drain, close } = await startRig(42, '1000');
  try {
    const topUp = terminal.nextId();
    assert.equal((await postWalletTopUp(terminal.ledger, { id: topUp, walletId: wallet, currency: 'TRY', amountMinor: 3000n }, withTryFloat('5000'), systemClock)).result, 'ok');
    const spent = [await spend(1000n), await spend(1500n)];
    await drain();
    assert.deepEqual(rejected, [[topUp, 'float_exceeded'], [spent[0], 'insufficient_funds'], [spent[1], 'insufficient_funds']]);
    // The top-up's reversal took back the 500 left and booked 2,500 to the receivable; each
    // refused spend then paid the receivable back before anything reached the wallet.
    assert.deepEqual(receivableMoves, [[topUp, -2500n], [spent[0], 1000n], [spent[1], 1500n]]);
    for (const account of [wallet, floatAccount, receivable, merchant]) {
      assert.equal(terminal.ledger.engine.balanceOf(account), central.ledger.engine.balanceOf(account), `${account} agrees with central`);
      assert.equal(terminal.ledger.engine.balanceOf(account), 0n, `${account} is back to zero`);
    }
    const states = await terminal.ledger.transactions.getMany([topUp, ...spent]);
    assert.ok([topUp, ...spent].every((id) => states.get(id)?.state === 'rejected'));
    const audit = await terminal.ledger.audit.all();
    assert.ok(audit.some((entry) => entry.kind === 'transaction_rejected' && entry.payload.transactionId === topUp && entry.payload.receivableMinor === '-2500'));
    assert.deepEqual((await verifyLedger(terminal.ledger)).violations, []);
    assert.deepEqual((await verifyLedger(central.ledger)).violations, []);
  } finally {
    await close();
  }
});

test('one transaction a push, two pushes in flight: a top-up, the spends after it and refunds settle in push order', { timeout: 60_000 }, async () => {
  // Each push carries one transaction and the terminal keeps two in flight, so central receives
  // the next while it still settles the one before: it must not overtake it.
  const { central, terminal, rejected, spend, drain, close } = await startRig(43, '3000', 1);
  try {
    const topUp = terminal.nextId();
    assert.equal((await postWalletTopUp(terminal.ledger, { id: topUp, walletId: wallet, currency: 'TRY', amountMinor: 3000n }, withTryFloat('3000'), systemClock)).result, 'ok');
    const spends = [];
    for (let index = 0; index < 6; index += 1) spends.push(await spend(400n));
    // A refund pushed right behind its payment (same batch or the next) finds it settled.
    const refund = terminal.nextId();
    assert.equal((await terminal.ledger.engine.post(refundOf(refund, spends[5]!, 150n))).result, 'ok');
    await drain();
    assert.deepEqual(rejected, []);
    const atCentral = await central.ledger.transactions.getMany([topUp, ...spends, refund]);
    assert.ok([topUp, ...spends, refund].every((id) => atCentral.get(id)?.state === 'settled'));
    for (const account of [wallet, floatAccount, merchant]) assert.equal(terminal.ledger.engine.balanceOf(account), central.ledger.engine.balanceOf(account), `${account} agrees with central`);
    assert.equal(central.ledger.engine.balanceOf(wallet), 3000n - 2400n + 150n);
  } finally {
    await close();
  }
});

test('a refund pushed in the same batch as its payment settles; one past the payment is refused', { timeout: 60_000 }, async () => {
  const { central, terminal, rejected, spend, drain, close } = await startRig(44, '1000');
  try {
    assert.equal((await postWalletTopUp(terminal.ledger, { id: terminal.nextId(), walletId: wallet, currency: 'TRY', amountMinor: 1000n }, withTryFloat('1000'), systemClock)).result, 'ok');
    const payment = await spend(600n);
    const first = terminal.nextId();
    const second = terminal.nextId();
    assert.equal((await terminal.ledger.engine.post(refundOf(first, payment, 400n))).result, 'ok');
    assert.equal((await terminal.ledger.engine.post(refundOf(second, payment, 300n))).result, 'ok');
    await drain();
    assert.deepEqual(rejected, [[second, 'refund_exceeds_original']]);
    assert.equal(central.ledger.engine.balanceOf(merchant), 200n);
    for (const account of [wallet, floatAccount, merchant]) assert.equal(terminal.ledger.engine.balanceOf(account), central.ledger.engine.balanceOf(account), `${account} agrees with central`);
  } finally {
    await close();
  }
});

test('central settles two pushes handed to it at once in the order they came', { timeout: 60_000 }, async () => {
  const { central, terminal, close } = await startRig(45, '1000');
  try {
    // Straight to central's push handler, the second before the first has been answered: the top-up
    // in the first must be posted before the spend in the second, whatever either awaits. A first
    // round opens every account at central, so the spend would have nothing left to wait for.
    const key = deriveTerminalSyncKey(masterKey, testOwner);
    let sequence = 0;
    const push = (transactions: unknown[]) => central.settlement.handlePush(testOwner, Buffer.from(JSON.stringify(signMessage(key, { v: 1, kind: 'push', correlationId: (++sequence).toString(16).padStart(32, '0'), terminalId: testOwner, sentAtMs: 1, transactions }))));
    const topUpWire = (amountMinor: number) => ({ id: terminal.nextId(), kind: 'wallet_top_up', state: 'approved_offline', postings: [{ accountId: floatAccount, amountMinor: `-${amountMinor}` }, { accountId: wallet, amountMinor: `${amountMinor}` }], createdAtMs: 1 });
    const spendWire = (amountMinor: number) => ({ id: terminal.nextId(), kind: 'payment', state: 'approved_online', postings: [{ accountId: wallet, amountMinor: `-${amountMinor}` }, { accountId: merchant, amountMinor: `${amountMinor}` }], createdAtMs: 1 });
    const reasons = (answer: Record<string, unknown> | null) => (answer as { results: Array<{ reason: string }> }).results.map((result) => result.reason);
    assert.deepEqual(reasons(await push([topUpWire(100), spendWire(100)])), ['settled', 'settled']);
    const answers = await Promise.all([push([topUpWire(900)]), push([spendWire(900)])]);
    assert.deepEqual(answers.map(reasons), [['settled'], ['settled']]);
  } finally {
    await close();
  }
});
