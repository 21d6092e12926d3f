// The payment flow's online-to-offline fallback, with a real ledger and reserve store and a card
// on a simulated reader: when central does not answer in time, the same payment (same id) is
// decided offline where the offline limits allow the currency, and declined central_unavailable
// where they do not; a decline from central is never retried offline; and a card left on the
// reader after a sale is not read for the next one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultOfflineLimits } from '../../core/ledger/limits.js';
import type { PaymentUpdate } from '../../core/api/payment.js';
import { openTestLedger } from '../../ledger/test-ledger.js';
import { LinkError } from '../../sync/mqtt-link.js';
import type { CardSync } from '../../sync/card-sync.js';
import { generousLimits } from './card-test-kit.js';
import { startPaymentFlowRig } from './payment-flow-rig.js';

type Authorize = CardSync['authorize'];

async function rig(authorize: Authorize, limits = generousLimits) {
  const { ledger } = await openTestLedger(77);
  const parts = await startPaymentFlowRig({ ledger, authorize, limits, cardId: Uint8Array.from([7, 7, 7, 7, 1, 2, 3, 4]) });
  return { ledger, ...parts };
}

test('central timing out: the same payment is approved offline where the limits allow it', async () => {
  const { ledger, pay, asked } = await rig(() => Promise.reject(new LinkError('timeout', 'authorize got no answer in 50 ms')));
  const update = await pay();
  assert.equal(update.state, 'approved');
  assert.equal(update.mode, 'offline');
  assert.deepEqual(asked, [update.paymentId], 'the offline payment carries the id central was asked about');
  const posted = await ledger.transactions.get(update.paymentId!);
  assert.equal(posted?.state, 'approved_offline');
  await ledger.close();
});

test('central timing out where offline is not allowed for the currency: central_unavailable, nothing posted', async () => {
  const { USD: _usd, ...others } = defaultOfflineLimits.currencies;
  void _usd;
  const { ledger, pay } = await rig(() => Promise.reject(new LinkError('timeout', 'no answer')), { ...defaultOfflineLimits, currencies: others as typeof defaultOfflineLimits.currencies });
  const update = await pay();
  assert.equal(update.state, 'declined');
  assert.equal(update.reason, 'central_unavailable');
  assert.equal(await ledger.transactions.count(), 0);
  await ledger.close();
});

test("central's decline is final: never retried offline", async () => {
  const { ledger, pay } = await rig(async (request) => ({ v: 1, kind: 'authorize_result', correlationId: '0'.repeat(32), terminalId: 't-test0001', paymentId: request.paymentId, outcome: 'declined', reason: 'card_blocked', tag: '0'.repeat(64) }));
  const update = await pay();
  assert.equal(update.state, 'declined');
  assert.equal(update.reason, 'card_blocked');
  assert.equal(await ledger.transactions.count(), 0);
  await ledger.close();
});

test('a card left on the reader after a sale does not pay the next one', async () => {
  const { ledger, flow, reader, card, updates } = await rig(() => Promise.reject(new LinkError('timeout', 'no answer')));
  const settle = async (): Promise<PaymentUpdate> => {
    while (flow.inProgress()) await new Promise((resolve) => setTimeout(resolve, 2));
    return updates.at(-1)!;
  };
  flow.start(1500n, 'USD');
  reader.tap(card);
  assert.equal((await settle()).state, 'approved');
  // The card stays in the field; the next sale waits for a fresh tap.
  const next = flow.start(700n, 'USD');
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(flow.current()?.state, 'waiting_for_card', 'the card already read is not read again');
  reader.removeCard();
  reader.tap(card);
  const paid = await settle();
  assert.equal(paid.attemptId, next.attemptId);
  assert.equal(paid.state, 'approved');
  assert.equal(paid.receipt?.amountMinor, '700');
  assert.equal(await ledger.transactions.count(), 2);
  await flow.stop();
  await ledger.close();
});
