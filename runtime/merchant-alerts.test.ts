// Alerts in the merchant's terms: a rejected payment names its amount, currency and the masked
// PAN of its receipt; a revoked card names its latest payment here and that masked PAN, never
// the card id; each is kept and pushed once, and raising it again (a verdict re-applied after a
// restart) pushes nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AlertRecord } from '../core/api/alerts.js';
import { manualClock, seededRandom } from '../core/clock.js';
import { createUlidFactory } from '../core/ids.js';
import { accountId } from '../core/ledger/accounts.js';
import type { TransactionDraft } from '../core/ledger/transaction.js';
import { openTestLedger, systemAccount, testOwner } from '../ledger/test-ledger.js';
import type { Ledger } from '../ledger/ledger.js';
import { AlertsStore } from '../ledger/stores/alerts-store.js';
import { createLogger } from './logger.js';
import { MerchantAlerts } from './merchant-alerts.js';

const cardA = '00112233445566aa';
const cardB = '00112233445566bb';

function cardPayment(id: string, cardId: string, atc: number, last4: string, amountMinor: bigint): TransactionDraft {
  return {
    id,
    kind: 'payment',
    state: 'approved_offline',
    postings: [
      { accountId: systemAccount('offline_clearing', 'USD'), amountMinor: (-amountMinor).toString() },
      { accountId: systemAccount('merchant', 'USD'), amountMinor: amountMinor.toString() },
    ],
    card: { cardId, atc, panMasked: `899100******${last4}`, cryptogram: '0'.repeat(32), terminalData: '0'.repeat(54), mode: 'offline' },
  };
}

function alertsOn(ledger: Ledger, published: AlertRecord[]): MerchantAlerts {
  const clock = manualClock(1_795_000_100_000);
  return new MerchantAlerts({ ledger, clock, nextId: createUlidFactory(clock, seededRandom(9)), logger: createLogger({ level: 'silent' }), publish: (alert) => published.push(alert) });
}

test('alerts name the payment, amount and masked PAN, never the card id, and are raised once', async () => {
  const handle = await openTestLedger(71);
  const [older, rejected, other] = [handle.nextId(), handle.nextId(), handle.nextId()];
  for (const draft of [cardPayment(older, cardA, 1, '1111', 400n), cardPayment(rejected, cardA, 2, '2222', 700n), cardPayment(other, cardB, 1, '3333', 900n)]) {
    assert.equal((await handle.ledger.engine.post(draft)).result, 'ok');
  }
  assert.equal((await handle.ledger.engine.applyVerdict(rejected, 'rejected', handle.nextId(), 'double_spend')).result, 'ok');
  const published: AlertRecord[] = [];
  try {
    const alerts = alertsOn(handle.ledger, published);
    await alerts.paymentRejected(rejected, 'double_spend');
    await alerts.paymentRejected(rejected, 'double_spend');
    assert.equal(published.length, 1, 'the same rejection twice is one alert');
    assert.deepEqual({ ...published[0], id: undefined }, {
      id: undefined,
      kind: 'payment_rejected',
      atMs: 1_795_000_100_000,
      reason: 'double_spend',
      transactionId: rejected,
      amountMinor: '700',
      currency: 'USD',
      panMasked: '899100******2222',
      dismissedAtMs: null,
    });

    await alerts.agentReceivable(rejected, accountId('agent_receivable', testOwner, 'USD'), -300n);
    assert.deepEqual([published[1]?.kind, published[1]?.reason, published[1]?.amountMinor, published[1]?.currency], ['agent_receivable', 'refused_after_spending', '-300', 'USD']);

    await alerts.cardsRevoked([
      { cardId: cardA, reason: 'double_spend', atMs: 5 },
      { cardId: 'ffffffffffffffff', reason: 'lost', atMs: 6 },
    ]);
    const [revokedA, revokedUnknown] = published.slice(2);
    assert.deepEqual([revokedA?.kind, revokedA?.reason, revokedA?.transactionId, revokedA?.panMasked], ['card_revoked', 'double_spend', rejected, '899100******2222'], "the card's latest payment here");
    assert.deepEqual([revokedUnknown?.transactionId, revokedUnknown?.panMasked, revokedUnknown?.amountMinor], [null, null, null], 'a card never seen here');
    await alerts.cardsRevoked([{ cardId: cardA, reason: 'double_spend', atMs: 5 }]);
    assert.equal(published.length, 4, 'a revocation read again is not raised again');
    for (const alert of published) assert.doesNotMatch(JSON.stringify(alert), new RegExp(`${cardA}|${cardA.slice(-4)}|ffffffff`), 'no card id in what the merchant sees');

    // After a restart the verdict may be applied again: the alert kept is not repeated.
    const reopened = await handle.reopen();
    await alertsOn(reopened, published).paymentRejected(rejected, 'double_spend');
    assert.equal(published.length, 4);
    assert.deepEqual((await new AlertsStore(reopened).list()).map((alert) => alert.id).sort(), published.map((alert) => alert.id).sort(), 'every alert pushed is kept');
  } finally {
    await handle.ledger.close();
  }
});

test('a rejection whose alert a crash lost gets its alert at the next start, with central\u2019s reason, once', async () => {
  const handle = await openTestLedger(73);
  const [lost, alerted] = [handle.nextId(), handle.nextId()];
  for (const draft of [cardPayment(lost, cardA, 1, '4444', 300n), cardPayment(alerted, cardB, 1, '5555', 500n)]) {
    assert.equal((await handle.ledger.engine.post(draft)).result, 'ok');
  }
  // Both rejected by central; only the second one's alert was kept before the "crash".
  for (const id of [lost, alerted]) assert.equal((await handle.ledger.engine.applyVerdict(id, 'rejected', handle.nextId(), 'double_spend')).result, 'ok');
  const published: AlertRecord[] = [];
  try {
    const alerts = alertsOn(handle.ledger, published);
    await alerts.paymentRejected(alerted, 'double_spend');
    published.length = 0;
    await alerts.reconcileRejected();
    assert.deepEqual(
      published.map((alert) => [alert.transactionId, alert.reason, alert.amountMinor, alert.panMasked]),
      [[lost, 'double_spend', '300', '899100******4444']],
      'only the lost alert is raised, with the reversal\u2019s reason',
    );
    await alerts.reconcileRejected();
    assert.equal(published.length, 1, 'reconciling again raises nothing');
    assert.equal((await new AlertsStore(handle.ledger).list()).length, 2);
  } finally {
    await handle.ledger.close();
  }
});
