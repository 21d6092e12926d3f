// The merchant's day made through the real runtime's API, for the screens' layout and
// pseudo-locale tests: sales paid with the simulator's cards (payment.start, then sim.tap as the
// simulator panel does), waited on until central settled them, and refunds through refund.start.
// The flow test (merchant-day.test.ts) makes the same things through the screen instead.
import assert from 'node:assert/strict';
import type { CorrectionResult, PaymentDetail } from '../../../core/api/corrections.js';
import type { PaymentUpdate } from '../../../core/api/payment.js';
import type { CurrencyCode } from '../../../core/currency.js';
import type { ApiSession } from '../../harness/api-session.js';
import { until } from '../../harness/until.js';

const finalStates = new Set(['approved', 'declined', 'cancelled']);

/** Index of the simulator's card that pays in `currency` (sim.cards lists one per currency). */
export async function simCardFor(api: ApiSession, currency: CurrencyCode): Promise<number> {
  const cards = await api.call<{ cardIndex: number; currency: string }[]>('sim.cards');
  const card = cards.find((candidate) => candidate.currency === currency);
  assert.ok(card, `the simulator has a ${currency} card: ${JSON.stringify(cards)}`);
  return card.cardIndex;
}

/** A sale paid by the simulator's card of its currency; answers the approved update. */
export async function simSale(api: ApiSession, amountMinor: string, currency: CurrencyCode): Promise<PaymentUpdate> {
  const cardIndex = await simCardFor(api, currency);
  const started = await api.call<PaymentUpdate>('payment.start', { amountMinor, currency });
  await api.call('sim.tap', { cardIndex });
  const done = await api.nextEvent<PaymentUpdate>('payment.updated', (update) => update.attemptId === started.attemptId && finalStates.has(update.state), 20_000);
  assert.equal(done.state, 'approved', `the sale of ${amountMinor} ${currency} is approved: ${JSON.stringify(done)}`);
  return done;
}

/** Waits until central settled the payment, so it can be refunded. */
export async function untilSettled(api: ApiSession, paymentId: string): Promise<PaymentDetail> {
  let detail: PaymentDetail | null = null;
  await until(`payment ${paymentId} settled`, 30_000, async () => {
    detail = await api.call<PaymentDetail>('journal.detail', { paymentId });
    return detail.syncState === 'settled';
  }, 200);
  return detail!;
}

export async function apiRefund(api: ApiSession, originalId: string, amountMinor: string, currency: CurrencyCode, clientId: string): Promise<CorrectionResult> {
  const result = await api.call<CorrectionResult>('refund.start', { originalId, amountMinor, currency, clientId });
  assert.equal(result.outcome, 'approved', `the refund is approved: ${JSON.stringify(result)}`);
  return result;
}
