// A card presented while no charge is open never pays a later charge. Through a real `devpay
// serve --sim`: a tap with nothing to pay is announced (reader.cardIgnored) and dropped, and the
// next charge waits for a card presented after it started, then is approved once tapped. With a
// card that stays in the field (as on a PC/SC reader, where the merchant leaves it lying), the
// charge waits until it is taken away and presented again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PaymentUpdate } from '../../core/api/payment.js';
import { openTestLedger } from '../../ledger/test-ledger.js';
import { startDevpay } from '../harness/devpay-process.js';
import { openApiSession } from '../harness/api-session.js';
import { signIn } from '../harness/operator-sign-in.js';
import { freshDir } from '../harness/output-dir.js';
import { until } from '../harness/until.js';
import { generousLimits } from '../property/card-test-kit.js';
import { startPaymentFlowRig } from '../property/payment-flow-rig.js';

const finalStates = new Set(['approved', 'declined', 'cancelled']);

test('devpay serve --sim: an idle tap is ignored by name and does not pay the next charge', { timeout: 90_000 }, async () => {
  const server = await startDevpay(['serve', '--sim', '--no-pcsc', '--data', freshDir('idle-tap'), '--port', '0']);
  const api = await openApiSession(server.url);
  try {
    await signIn(api);
    await until('central reachable', 20_000, async () => (await api.call<{ link: { centralReachable: boolean } }>('status.get')).link.centralReachable);
    const [card] = await api.call<Array<{ cardIndex: number; currency: string; atc: number }>>('sim.cards');
    assert.ok(card);

    const beforeMs = Date.now();
    assert.deepEqual(await api.call('sim.tap', { cardIndex: card.cardIndex }), { tapped: true });
    const ignored = await api.nextEvent<{ atMs: number }>('reader.cardIgnored', () => true, 5_000);
    assert.ok(ignored.atMs >= beforeMs - 1000 && ignored.atMs <= Date.now() + 1000, `atMs is now: ${ignored.atMs}`);
    assert.deepEqual(Object.keys(ignored), ['atMs'], 'nothing about the card');
    assert.equal((await api.call<{ removed: boolean }>('sim.removeCard')).removed, false, 'the idle card left the field at once');
    assert.equal((await api.call<Array<{ atc: number }>>('sim.cards'))[0]?.atc, card.atc, 'the card was never read');

    const started = await api.call<PaymentUpdate>('payment.start', { amountMinor: '250', currency: card.currency });
    assert.equal(started.state, 'waiting_for_card');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal((await api.call<PaymentUpdate | null>('payment.current'))?.state, 'waiting_for_card', 'still waiting: the idle tap pays nothing');
    assert.deepEqual(api.events('payment.updated').map((event) => (event.payload as PaymentUpdate).state).filter((state) => state !== 'waiting_for_card'), [], 'no card read, no approval');

    await api.call('sim.tap', { cardIndex: card.cardIndex });
    const done = await api.nextEvent<PaymentUpdate>('payment.updated', (update) => update.attemptId === started.attemptId && finalStates.has(update.state), 20_000);
    assert.equal(done.state, 'approved', `approved once tapped: ${done.reason}`);
    assert.equal(done.receipt?.amountMinor, '250');
    assert.equal(api.events('reader.cardIgnored').length, 1, 'the tap during the charge was not ignored');
  } finally {
    await api.close();
    await server.stop();
  }
});

test('a card already in the field when a charge starts is not read until presented again', async () => {
  const { ledger } = await openTestLedger(79);
  const { flow, reader, card, updates } = await startPaymentFlowRig({ ledger, authorize: () => Promise.reject(new Error('offline')), limits: generousLimits, cardId: Uint8Array.from([7, 7, 7, 7, 4, 3, 2, 1]) });
  try {
    // Placed while idle and left lying there, as on a PC/SC reader.
    reader.tap(card);
    const started = flow.start(900n, 'USD');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(flow.current()?.state, 'waiting_for_card', 'the card lying there is not read');
    assert.equal(card.atc, 0, 'not one command reached it');
    reader.removeCard();
    reader.tap(card);
    while (flow.inProgress()) await new Promise((resolve) => setTimeout(resolve, 2));
    const done = updates.at(-1)!;
    assert.equal(done.attemptId, started.attemptId);
    assert.equal(done.state, 'approved', JSON.stringify(done));
  } finally {
    await flow.stop();
    await ledger.close();
  }
});
