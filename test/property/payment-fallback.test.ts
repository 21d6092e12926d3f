// The payment flow's online-to-offline fallback, with a real ledger and reserve store and a card
// on a simulated reader: when central does not answer in time, the same payment (same id) is
// decided offline where the offline limits allow the currency, and declined central_unavailable
// where they do not; a decline from central is never retried offline; and a card left on the
// reader after a sale is not read for the next one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualClock, seededRandom } from '../../core/clock.js';
import { createUlidFactory } from '../../core/ids.js';
import { defaultOfflineLimits } from '../../core/ledger/limits.js';
import type { PaymentUpdate } from '../../core/api/payment.js';
import { DeviceManager } from '../../device/device-manager.js';
import { DevpayCard } from '../../drivers/sim/devpay-card.js';
import { SimCardReader } from '../../drivers/sim/sim-card-reader.js';
import { openTestLedger } from '../../ledger/test-ledger.js';
import { ReserveStore } from '../../ledger/reserve-store.js';
import { LinkError } from '../../sync/mqtt-link.js';
import type { CardSync } from '../../sync/card-sync.js';
import { createLogger } from '../../runtime/logger.js';
import { PaymentFlow } from '../../runtime/payment/payment-flow.js';
import { generousLimits, issueTestReserve, testCardMaster, testReserveKeys } from './card-test-kit.js';

type Authorize = CardSync['authorize'];

async function rig(authorize: Authorize, limits = generousLimits) {
  const { ledger } = await openTestLedger(77);
  const clock = manualClock(1_795_000_000_000);
  const reserve = new ReserveStore(ledger, testReserveKeys.publicKey);
  await reserve.load();
  const cardId = Uint8Array.from([7, 7, 7, 7, 1, 2, 3, 4]);
  const card = new DevpayCard(cardId, testCardMaster.cardKeyOf(cardId));
  await issueTestReserve(reserve, ledger.owner, card, 8, clock.nowMs());
  const devices = new DeviceManager();
  const reader = new SimCardReader({ random: seededRandom(1), minLatencyMs: 0, maxLatencyMs: 0, faultPerMille: 0 });
  devices.add(reader);
  const asked: string[] = [];
  const updates: PaymentUpdate[] = [];
  const flow = new PaymentFlow({
    terminalId: ledger.owner,
    devices,
    ledger,
    reserve,
    cardSync: { authorize: (request, timeoutMs) => (asked.push(request.paymentId), authorize(request, timeoutMs)) } as CardSync,
    clock,
    random: seededRandom(2),
    nextId: createUlidFactory(clock, seededRandom(3)),
    logger: createLogger({ level: 'silent' }),
    limits: () => limits,
    isRevoked: () => false,
    lastCentralContactMs: () => clock.nowMs(),
    centralReachable: () => true,
    publish: (update) => updates.push(update),
    onlineTimeoutMs: 50,
  });
  const pay = async (): Promise<PaymentUpdate> => {
    flow.start(1500n, 'USD');
    reader.tap(card);
    while (flow.inProgress()) await new Promise((resolve) => setTimeout(resolve, 2));
    reader.removeCard();
    return updates.at(-1)!;
  };
  return { ledger, pay, asked, flow, reader, card, updates };
}

test('central timing out: the same payment is approved offline where the limits allow it', async () => {
  const { ledger, pay, asked } = await rig(() => Promise.reject(new LinkError('timeout', 'authorize got no answer in 50 ms')));
  const update = await pay();
  assert.equal(update.state, 'approved');
  assert.equal(update.mode, 'offline');
  assert.deepEqual(asked, [update.paymentId], 'the offline payment carries the id central was asked about');
  const posted = await ledger.database.collections.transactions.findOne(update.paymentId!).exec();
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
  assert.equal(await ledger.database.collections.transactions.count().exec(), 0);
  await ledger.close();
});

test("central's decline is final: never retried offline", async () => {
  const { ledger, pay } = await rig(async (request) => ({ v: 1, kind: 'authorize_result', correlationId: '0'.repeat(32), terminalId: 't-test0001', paymentId: request.paymentId, outcome: 'declined', reason: 'card_blocked', tag: '0'.repeat(64) }));
  const update = await pay();
  assert.equal(update.state, 'declined');
  assert.equal(update.reason, 'card_blocked');
  assert.equal(await ledger.database.collections.transactions.count().exec(), 0);
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
  assert.equal(await ledger.database.collections.transactions.count().exec(), 2);
  await flow.stop();
  await ledger.close();
});
