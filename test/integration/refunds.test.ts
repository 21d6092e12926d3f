// Refunds and voids through real processes: mosquitto with ACLs, `devpay central` and a
// `devpay serve --sim` terminal behind a TCP proxy. Online, central approves partial refunds
// against the payment it settled and declines the over-refund and the refund in another currency
// by name; the same client id answers the same refund. The link stalls while a refund is being
// asked (central gets the request late, after the terminal gave the refund offline under the same
// id) and is cut for another refund and a void of an offline sale. Once the link is back,
// central and the terminal agree: the same balances, every correction settled once, the card's
// funds at central given back what was refunded, and `ledger verify` passing on both.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PaymentUpdate } from '../../core/api/payment.js';
import type { TerminalStatus } from '../../core/api/status.js';
import type { CorrectionResult, PaymentDetail } from '../../core/api/corrections.js';
import { accountId } from '../../core/ledger/accounts.js';
import { openLedger } from '../../ledger/ledger.js';
import { verifyLedger } from '../../ledger/verifier.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { requireTools } from '../harness/require-tool.js';
import { startDevpay } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { openApiSession, type ApiSession } from '../harness/api-session.js';
import { signIn } from '../harness/operator-sign-in.js';
import { cardKeys, Cleanup, relink, startCardBroker, startCardCentral, startProxy, terminalPassword, unlink, waitFor } from '../harness/card-rig.js';

const keys = cardKeys('5a'.repeat(16) + 'c3'.repeat(16));
const card0 = keys.cardIdHex(0);
const terminalId = 't-refund01';
const finalStates = new Set(['approved', 'declined', 'cancelled']);

async function pay(api: ApiSession, amountMinor: string): Promise<PaymentUpdate> {
  const started = await api.call<PaymentUpdate>('payment.start', { amountMinor, currency: 'USD' });
  await api.call('sim.tap', { cardIndex: 0 });
  return api.nextEvent<PaymentUpdate>('payment.updated', (update) => update.attemptId === started.attemptId && finalStates.has(update.state), 15_000);
}

const refund = (api: ApiSession, originalId: string, clientId: string, amountMinor: string, currency = 'USD'): Promise<CorrectionResult> =>
  api.call<CorrectionResult>('refund.start', { originalId, clientId, amountMinor, currency });

const outcome = (result: CorrectionResult): string => (result.outcome === 'approved' ? `approved ${result.mode}` : `declined ${result.reason}`);

test('refunds and voids online and offline: named refusals, once each, and central agrees after the link comes back', { timeout: 150_000 }, async (context) => {
  const tools = requireTools(context, ['mosquitto', 'mosquitto_passwd']);
  if (!tools) return;
  const cleanup = new Cleanup();
  const centralDir = freshDir('refunds-central');
  const dir = freshDir('refunds-terminal');
  try {
    const broker = await startCardBroker(tools[0]!, freshDir('refunds-mqtt'), [terminalId], cleanup);
    const central = await startCardCentral(centralDir, broker.port, keys, cleanup);
    const proxy = await startProxy(broker.port, cleanup);
    writeFileSync(join(dir, 'terminal.json'), JSON.stringify({ terminalId, createdAt: '2026-11-24T00:00:00.000Z' }));
    writeFileSync(join(dir, 'sim-cards.json'), JSON.stringify({ [card0]: 3 }));
    const terminal = await startDevpay(['serve', '--no-pcsc', '--sim', '--headless', '--data', dir, '--port', '0', '--mqtt', `127.0.0.1:${proxy.port}`, '--mqtt-user', terminalId, '--heartbeat-interval', '500'], {
      env: { DEVPAY_MQTT_PASSWORD: terminalPassword(terminalId), DEVPAY_SYNC_KEY: keys.syncKeyHex(terminalId), DEVPAY_CENTRAL_PUBLIC_KEY: keys.centralPublicKeyHex, DEVPAY_SIM_CARD_MASTER_KEY: keys.cardMasterHex, DEVPAY_LOG_LEVEL: 'info' },
    });
    cleanup.add('terminal', () => terminal.stop());
    const page = new URL(terminal.url);
    const api = await openApiSession(`ws://${page.host}/api?token=${page.searchParams.get('token')}`);
    cleanup.add('api', () => api.close());
    await signIn(api);
    const status = (): Promise<TerminalStatus> => api.call<TerminalStatus>('status.get');
    await waitFor('limits and reserve tokens', 20_000, async () => (await status()).sync.offlineLimits !== null && /reserve tokens replenished/.test(terminal.output()));

    // Online: a sale settled by central, two partial refunds, then the refusals by name.
    const sale = await pay(api, '5000');
    assert.deepEqual([sale.state, sale.mode], ['approved', 'online'], JSON.stringify(sale));
    const saleId = sale.paymentId!;
    await waitFor('the sale settled', 20_000, async () => (await status()).sync.unsyncedCount === 0);
    const first = await refund(api, saleId, 'refund-client-a', '1500');
    assert.equal(outcome(first), 'approved online', JSON.stringify(first));
    assert.equal(first.remainingMinor, '3500');
    assert.equal(outcome(await refund(api, saleId, 'refund-client-b', '2000')), 'approved online');
    const over = await refund(api, saleId, 'refund-client-c', '2000');
    assert.deepEqual([outcome(over), over.remainingMinor], ['declined refund_exceeds_remaining', '1500']);
    const retried = await refund(api, saleId, 'refund-client-a', '1500');
    assert.deepEqual([outcome(retried), retried.repeated, retried.transactionId], ['approved online', true, first.transactionId], 'the same client id is the same refund');
    assert.equal(outcome(await refund(api, saleId, 'refund-client-x', '100', 'EUR')), 'declined refund_currency_mismatch');

    // The link stalls while a refund is asked: the terminal gives it offline under its saved id,
    // and central receives the request late. Then the link is cut for a refund and a void.
    proxy.stall();
    const duringStall = await refund(api, saleId, 'refund-client-d', '500');
    assert.equal(outcome(duringStall), 'approved offline', JSON.stringify(duringStall));
    unlink(proxy);
    await waitFor('central unreachable', 20_000, async () => !(await status()).link.centralReachable);
    assert.equal(outcome(await refund(api, saleId, 'refund-client-e', '400')), 'approved offline');
    const offlineSale = await pay(api, '700');
    assert.deepEqual([offlineSale.state, offlineSale.mode], ['approved', 'offline'], JSON.stringify(offlineSale));
    const voided = await api.call<CorrectionResult>('void.start', { originalId: offlineSale.paymentId!, clientId: 'void-client-1' });
    assert.deepEqual([outcome(voided), voided.amountMinor], ['approved offline', '700']);
    assert.equal(outcome(await refund(api, offlineSale.paymentId!, 'refund-client-f', '100')), 'declined original_reversed');
    const pendingDetail = await api.call<PaymentDetail>('journal.detail', { paymentId: saleId });
    assert.deepEqual([pendingDetail.remainingMinor, pendingDetail.refundedMinor], ['600', '4400']);

    relink(proxy);
    await waitFor('everything synced', 30_000, async () => (await status()).sync.unsyncedCount === 0);
    const detail = await api.call<PaymentDetail>('journal.detail', { paymentId: saleId });
    assert.deepEqual(
      detail.related.filter((entry) => entry.kind === 'refund').map((entry) => [entry.amountMinor, entry.syncState]),
      [['1500', 'settled'], ['2000', 'settled'], ['500', 'settled'], ['400', 'settled']],
    );
    const voidDetail = await api.call<PaymentDetail>('journal.detail', { paymentId: offlineSale.paymentId! });
    assert.equal(voidDetail.syncState, 'reversed');
    assert.deepEqual(voidDetail.related.filter((entry) => entry.kind === 'void').map((entry) => entry.syncState), ['settled']);
    assert.doesNotMatch(terminal.output(), /transaction_rejected|payment_rejected/, 'central rejected nothing');

    await api.close();
    await terminal.stop();
    await central.stop();
    const terminalBooks = await openLedger({ dataDir: dir, clock: systemClock, random: systemRandom, mustExist: true });
    const centralBooks = await openLedger({ dataDir: centralDir, clock: systemClock, random: systemRandom, mustExist: true });
    try {
      for (const kind of ['merchant', 'central', 'offline_clearing'] as const) {
        const account = accountId(kind, terminalId, 'USD');
        assert.equal(centralBooks.engine.balanceOf(account), terminalBooks.engine.balanceOf(account), `${account} agrees`);
      }
      assert.equal(terminalBooks.engine.balanceOf(accountId('merchant', terminalId, 'USD')), 600n, 'the sale less 4,400 refunded; the voided sale nets to nothing');
      assert.equal(centralBooks.engine.balanceOf(accountId('card_funds', card0, 'USD')), -600n, "the card's funds at central got back what was refunded and voided");
      assert.deepEqual((await verifyLedger(terminalBooks)).violations, []);
      assert.deepEqual((await verifyLedger(centralBooks)).violations, []);
    } finally {
      await terminalBooks.close();
      await centralBooks.close();
    }
  } finally {
    await cleanup.run();
  }
});
