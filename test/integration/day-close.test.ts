// The day close through real processes. First a `devpay serve --sim` with its embedded central:
// card payments online in two currencies, the X report's numbers, the Z close reconciled with
// central (matched), a retry with the same client id answering the same close, and a second
// close covering only the payments after the first. Then a terminal in front of mosquitto and
// `devpay central` through a loopback proxy: a payment approved offline makes the close refuse
// with its count; a provisional close is stored as such (reconciliation says central lacks the
// payment); once the link is back and the payment synced, the close completes by itself, pushes
// day.closeCompleted and reconciles matched; day.list shows it completed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DayReport } from '../../core/api/day-reports.js';
import type { PaymentUpdate } from '../../core/api/payment.js';
import type { TerminalStatus } from '../../core/api/status.js';
import { startDevpay } from '../harness/devpay-process.js';
import { openApiSession, type ApiSession } from '../harness/api-session.js';
import { freshDir } from '../harness/output-dir.js';
import { until } from '../harness/until.js';
import { reauthenticate, signIn } from '../harness/operator-sign-in.js';
import { requireTools } from '../harness/require-tool.js';
import { cardKeys, Cleanup, relink, startCardBroker, startCardCentral, startProxy, terminalPassword, unlink, waitFor } from '../harness/card-rig.js';

type Closed = { outcome: 'closed'; report: DayReport; repeated: boolean };
type Refused = { outcome: 'refused'; reason: string; unsyncedCount: number };
const finalStates = new Set(['approved', 'declined', 'cancelled']);

async function pay(api: ApiSession, cardIndex: number, currency: string, amountMinor: string): Promise<PaymentUpdate> {
  api.discardPending();
  const started = await api.call<PaymentUpdate>('payment.start', { amountMinor, currency });
  await api.call('sim.tap', { cardIndex });
  const done = await api.nextEvent<PaymentUpdate>('payment.updated', (update) => update.attemptId === started.attemptId && finalStates.has(update.state), 20_000);
  assert.equal(done.state, 'approved', `${currency} ${amountMinor}: ${done.reason}`);
  return done;
}

const synced = async (api: ApiSession): Promise<boolean> => (await api.call<TerminalStatus>('status.get')).sync.unsyncedCount === 0;

test('X and Z reports through devpay serve --sim: numbers, reconciliation with central, once per client id, the next period', { timeout: 120_000 }, async () => {
  const server = await startDevpay(['serve', '--sim', '--no-pcsc', '--data', freshDir('day-close'), '--port', '0']);
  const api = await openApiSession(server.url);
  try {
    await signIn(api);
    await until('central reachable', 20_000, async () => (await api.call<TerminalStatus>('status.get')).link.centralReachable);
    const cards = await api.call<Array<{ cardIndex: number; currency: string }>>('sim.cards');
    const usd = cards.find((card) => card.currency === 'USD')!;
    const eur = cards.find((card) => card.currency === 'EUR')!;
    for (const amount of ['1250', '300']) await pay(api, usd.cardIndex, 'USD', amount);
    await pay(api, eur.cardIndex, 'EUR', '999');
    await until('every payment settled', 30_000, () => synced(api));

    const x = await api.call<DayReport>('day.report');
    assert.equal(x.kind, 'x');
    assert.deepEqual(x.currencies.map((line) => [line.currency, line.sales.count, line.sales.totalMinor, line.salesOnline.count, line.salesOffline.count, line.netMinor, line.unsynced.count]), [
      ['USD', 2, '1550', 2, 0, '1550', 0],
      ['EUR', 1, '999', 1, 0, '999', 0],
    ]);
    assert.equal(x.reconciliation.state, 'matched', JSON.stringify(x.reconciliation));
    assert.deepEqual(await api.call('day.list'), { reports: [] }, 'the X report is not stored');

    // The Z close is sensitive: it asks for an authentication within the policy's window.
    await reauthenticate(api);
    const first = await api.call<Closed>('day.close', { clientId: 'z-close-first-01' });
    assert.equal(first.outcome, 'closed');
    assert.deepEqual([first.report.kind, first.report.sequence, first.report.provisional, first.repeated, first.report.reconciliation.state], ['z', 1, false, false, 'matched']);
    assert.deepEqual(first.report.currencies, x.currencies, 'the Z report says what the X report said');
    const retried = await api.call<Closed>('day.close', { clientId: 'z-close-first-01' });
    assert.deepEqual(retried, { ...first, repeated: true }, 'a retry answers the same close');
    assert.deepEqual(await api.call<Refused>('day.close', { clientId: 'z-close-empty-02' }), { outcome: 'refused', reason: 'nothing_to_close', unsyncedCount: 0 });

    await pay(api, usd.cardIndex, 'USD', '4100');
    await until('the new payment settled', 30_000, () => synced(api));
    await reauthenticate(api);
    const second = await api.call<Closed>('day.close', { clientId: 'z-close-second-3' });
    assert.equal(second.report.sequence, 2);
    assert.equal(second.report.fromMs, first.report.toMs, 'the period starts where the last close ended');
    assert.deepEqual(second.report.currencies.map((line) => [line.currency, line.sales.count, line.netMinor]), [['USD', 1, '4100']]);
    assert.equal(second.report.reconciliation.state, 'matched');
    const listed = await api.call<{ reports: DayReport[] }>('day.list');
    assert.deepEqual(listed.reports.map((report) => report.sequence), [2, 1]);
    assert.deepEqual(listed.reports[1], first.report);
    for (const bad of [{ clientId: 'x' }, { clientId: 'z-close-first-01', provisional: 'yes' }, { clientId: 'ok-client-id', extra: 1 }]) {
      await assert.rejects(api.call('day.close', bad), /invalid_params/, JSON.stringify(bad));
    }
  } finally {
    await api.close();
    await server.stop();
  }
});

test('a close with an offline payment is refused, closes provisionally, and completes by itself once synced', { timeout: 150_000 }, async (context) => {
  const tools = requireTools(context, ['mosquitto', 'mosquitto_passwd']);
  if (!tools) return;
  const cleanup = new Cleanup();
  const keys = cardKeys('5a'.repeat(16) + 'c3'.repeat(16));
  const terminalId = 't-dayclose1';
  try {
    const broker = await startCardBroker(tools[0]!, freshDir('day-close-mqtt'), [terminalId], cleanup);
    await startCardCentral(freshDir('day-close-central'), broker.port, keys, cleanup);
    const proxy = await startProxy(broker.port, cleanup);
    const dir = freshDir('day-close-terminal');
    writeFileSync(join(dir, 'terminal.json'), JSON.stringify({ terminalId, createdAt: '2026-11-24T00:00:00.000Z' }));
    const terminal = await startDevpay(['serve', '--no-pcsc', '--sim', '--data', dir, '--port', '0', '--mqtt', `127.0.0.1:${proxy.port}`, '--mqtt-user', terminalId], {
      env: { DEVPAY_MQTT_PASSWORD: terminalPassword(terminalId), DEVPAY_SYNC_KEY: keys.syncKeyHex(terminalId), DEVPAY_CENTRAL_PUBLIC_KEY: keys.centralPublicKeyHex, DEVPAY_SIM_CARD_MASTER_KEY: keys.cardMasterHex, DEVPAY_LOG_LEVEL: 'info' },
    });
    cleanup.add('terminal', () => terminal.stop());
    const api = await openApiSession(terminal.url);
    cleanup.add('api session', () => api.close());
    await signIn(api);
    const status = (): Promise<TerminalStatus> => api.call<TerminalStatus>('status.get');
    await waitFor('limits and reserve tokens', 20_000, async () => (await status()).sync.offlineLimits !== null && /reserve tokens replenished/.test(terminal.output()));

    const online = await pay(api, 0, 'USD', '500');
    assert.equal(online.mode, 'online');
    await waitFor('the online payment settled', 30_000, () => synced(api));
    unlink(proxy);
    await waitFor('central unreachable', 20_000, async () => !(await status()).link.centralReachable);
    const offline = await pay(api, 0, 'USD', '700');
    assert.equal(offline.mode, 'offline');

    await reauthenticate(api);
    assert.deepEqual(await api.call<Refused>('day.close', { clientId: 'provisional-close-1' }), { outcome: 'refused', reason: 'unsynced_transactions', unsyncedCount: 1 });
    const x = await api.call<DayReport>('day.report');
    assert.equal(x.reconciliation.state, 'unavailable', 'offline, central cannot be asked');
    assert.deepEqual(x.currencies.map((line) => [line.salesOnline.count, line.salesOffline.count, line.unsynced.count, line.unsynced.totalMinor]), [[1, 1, 1, '700']]);

    const provisional = await api.call<Closed>('day.close', { clientId: 'provisional-close-1', provisional: true });
    assert.deepEqual([provisional.outcome, provisional.report.provisional, provisional.report.completedAtMs, provisional.report.reconciliation.state], ['closed', true, null, 'unavailable']);
    api.discardPending();
    relink(proxy);
    const event = await api.nextEvent<{ reportId: string; completedAtMs: number }>('day.closeCompleted', (payload) => payload.reportId === provisional.report.id, 60_000);
    assert.ok(event.completedAtMs >= provisional.report.createdAtMs);
    const [stored] = (await api.call<{ reports: DayReport[] }>('day.list')).reports;
    assert.deepEqual([stored?.id, stored?.provisional, stored?.completedAtMs, stored?.currencies[0]?.unsynced.count, stored?.currencies[0]?.netMinor], [provisional.report.id, true, event.completedAtMs, 0, '1200']);
    assert.equal(stored?.reconciliation.state, 'matched', JSON.stringify(stored?.reconciliation));
    await reauthenticate(api);
    const retried = await api.call<Closed>('day.close', { clientId: 'provisional-close-1', provisional: true });
    assert.deepEqual(retried, { outcome: 'closed', report: stored, repeated: true }, 'the client id answers the completed close');
    assert.doesNotMatch(terminal.output(), /\n\s+at /, 'no stack trace on the console');
  } finally {
    await cleanup.run();
  }
});
