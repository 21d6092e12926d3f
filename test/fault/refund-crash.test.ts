// SIGKILL during refunds, with retries, through real processes: mosquitto with ACLs, `devpay
// central` and a `devpay serve --sim` terminal. A sale is settled online; then, round after
// round, a refund is asked and the terminal is killed at a seeded moment while it is asked of
// central or posted, restarted, and the same refund (same client id) asked again. Each refund
// must exist exactly once at the terminal and at central, whatever the moment of the kill; once
// synced, the two books agree and `ledger verify` passes on both. The seed is printed so a
// failure replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../core/clock.js';
import type { PaymentUpdate } from '../../core/api/payment.js';
import type { TerminalStatus } from '../../core/api/status.js';
import type { CorrectionResult, PaymentDetail } from '../../core/api/corrections.js';
import { accountId } from '../../core/ledger/accounts.js';
import { openLedger } from '../../ledger/ledger.js';
import { verifyLedger } from '../../ledger/verifier.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { requireTools } from '../harness/require-tool.js';
import { startDevpay, type DevpayProcess } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { openApiSession, type ApiSession } from '../harness/api-session.js';
import { signIn } from '../harness/operator-sign-in.js';
import { cardKeys, Cleanup, startCardBroker, startCardCentral, terminalPassword, waitFor } from '../harness/card-rig.js';

const keys = cardKeys('7c'.repeat(16) + 'e1'.repeat(16));
const terminalId = 't-rfcrash1';
const rounds = 6;
const refundMinor = 100;

test(`SIGKILL during a refund, ${rounds} times with retries, refunds nothing twice`, { timeout: 240_000 }, async (context) => {
  const tools = requireTools(context, ['mosquitto', 'mosquitto_passwd']);
  if (!tools) return;
  const seed = Number(process.env.DEVPAY_CRASH_SEED ?? Date.now() % 1_000_000);
  process.stdout.write(`# refund crash test seed ${seed} (DEVPAY_CRASH_SEED=${seed} replays it)\n`);
  const random = seededRandom(seed);
  const cleanup = new Cleanup();
  const centralDir = freshDir('refund-crash-central');
  const dir = freshDir('refund-crash-terminal');
  writeFileSync(join(dir, 'terminal.json'), JSON.stringify({ terminalId, createdAt: '2026-11-24T00:00:00.000Z' }));
  writeFileSync(join(dir, 'sim-cards.json'), JSON.stringify({ [keys.cardIdHex(0)]: 3 }));
  let terminal: DevpayProcess | null = null;
  let api: ApiSession | null = null;
  const launch = async (): Promise<ApiSession> => {
    terminal = await startDevpay(['serve', '--no-pcsc', '--sim', '--headless', '--data', dir, '--port', '0', '--mqtt', `127.0.0.1:${broker.port}`, '--mqtt-user', terminalId, '--heartbeat-interval', '500'], {
      env: { DEVPAY_MQTT_PASSWORD: terminalPassword(terminalId), DEVPAY_SYNC_KEY: keys.syncKeyHex(terminalId), DEVPAY_CENTRAL_PUBLIC_KEY: keys.centralPublicKeyHex, DEVPAY_SIM_CARD_MASTER_KEY: keys.cardMasterHex },
    });
    const page = new URL(terminal.url);
    api = await openApiSession(`ws://${page.host}/api?token=${page.searchParams.get('token')}`);
    const session = api;
    // Every start, the first and each after a kill, begins signed out.
    await signIn(session);
    await waitFor('central reachable', 20_000, async () => (await session.call<TerminalStatus>('status.get')).link.centralReachable);
    return session;
  };
  const broker = await startCardBroker(tools[0]!, freshDir('refund-crash-mqtt'), [terminalId], cleanup);
  try {
    const central = await startCardCentral(centralDir, broker.port, keys, cleanup);
    let session = await launch();
    const started = await session.call<PaymentUpdate>('payment.start', { amountMinor: '10000', currency: 'USD' });
    await session.call('sim.tap', { cardIndex: 0 });
    const sale = await session.nextEvent<PaymentUpdate>('payment.updated', (update) => update.attemptId === started.attemptId && update.state !== 'waiting_for_card' && update.state !== 'reading_card' && update.state !== 'authorizing', 15_000);
    assert.deepEqual([sale.state, sale.mode], ['approved', 'online'], JSON.stringify(sale));
    const saleId = sale.paymentId!;
    await waitFor('the sale settled', 20_000, async () => (await session.call<TerminalStatus>('status.get')).sync.unsyncedCount === 0);

    const refundIds = new Set<string>();
    for (let round = 0; round < rounds; round += 1) {
      const clientId = `crash-refund-${round}`;
      const killAfterMs = random.bytes(1)[0]! % 60;
      // Asked, and killed while it is being decided: the answer may never come.
      void session.call<CorrectionResult>('refund.start', { originalId: saleId, clientId, amountMinor: String(refundMinor), currency: 'USD' }).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, killAfterMs));
      await (api as ApiSession | null)?.close().catch(() => undefined);
      assert.equal(await (terminal as DevpayProcess | null)!.stop('SIGKILL'), 'SIGKILL');
      session = await launch();
      // The merchant asks again with the same refund: it is approved once, whatever the kill left.
      const retried = await session.call<CorrectionResult>('refund.start', { originalId: saleId, clientId, amountMinor: String(refundMinor), currency: 'USD' });
      assert.equal(retried.outcome, 'approved', `seed ${seed}, round ${round}: ${JSON.stringify(retried)}`);
      refundIds.add(retried.transactionId!);
      const detail = await session.call<PaymentDetail>('journal.detail', { paymentId: saleId });
      const refunds = detail.related.filter((entry) => entry.kind === 'refund');
      assert.equal(refunds.length, round + 1, `seed ${seed}, round ${round}: ${refunds.length} refunds after ${round + 1} asked`);
      assert.equal(detail.remainingMinor, String(10000 - (round + 1) * refundMinor));
    }
    assert.equal(refundIds.size, rounds, 'one refund id per client id');
    await waitFor('every refund synced', 30_000, async () => (await session.call<TerminalStatus>('status.get')).sync.unsyncedCount === 0);
    await session.close();
    await (terminal as DevpayProcess | null)!.stop();
    await central.stop();
    const terminalBooks = await openLedger({ dataDir: dir, clock: systemClock, random: systemRandom, mustExist: true });
    const centralBooks = await openLedger({ dataDir: centralDir, clock: systemClock, random: systemRandom, mustExist: true });
    try {
      const merchant = accountId('merchant', terminalId, 'USD');
      assert.equal(terminalBooks.engine.balanceOf(merchant), BigInt(10000 - rounds * refundMinor), `seed ${seed}: the terminal refunded each once`);
      assert.equal(centralBooks.engine.balanceOf(merchant), terminalBooks.engine.balanceOf(merchant), `seed ${seed}: central agrees`);
      for (const id of refundIds) assert.equal((await centralBooks.transactions.get(id))?.state, 'settled', `seed ${seed}: refund ${id} settled at central`);
      assert.deepEqual((await verifyLedger(terminalBooks)).violations, []);
      assert.deepEqual((await verifyLedger(centralBooks)).violations, []);
    } finally {
      await terminalBooks.close();
      await centralBooks.close();
    }
  } finally {
    await (api as ApiSession | null)?.close().catch(() => undefined);
    await (terminal as DevpayProcess | null)?.stop().catch(() => undefined);
    await cleanup.run();
  }
});
