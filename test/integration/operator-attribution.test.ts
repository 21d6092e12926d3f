// Who did what, end to end through a real `devpay serve --sim` with its embedded central: the
// demo cashier takes two card payments and voids one, the demo admin refunds part of the other.
// Each payment's receipt names the cashier, and the journal holds every payment, refund and void
// with the operator who was signed in when it was made, after central settled them (so the id
// travelled on the wire and came back with the settlement unchanged).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CorrectionResult } from '../../core/api/corrections.js';
import type { JournalEntry } from '../../core/api/journal.js';
import type { PaymentUpdate } from '../../core/api/payment.js';
import { openApiSession, type ApiSession } from '../harness/api-session.js';
import { startDevpay } from '../harness/devpay-process.js';
import { signIn } from '../harness/operator-sign-in.js';
import { freshDir } from '../harness/output-dir.js';
import { until } from '../harness/until.js';

async function pay(api: ApiSession, cardIndex: number, currency: string, amountMinor: string): Promise<PaymentUpdate> {
  api.discardPending();
  const started = await api.call<PaymentUpdate>('payment.start', { amountMinor, currency });
  await api.call('sim.tap', { cardIndex });
  const done = await api.nextEvent<PaymentUpdate>('payment.updated', (update) => update.attemptId === started.attemptId && ['approved', 'declined'].includes(update.state), 20_000);
  assert.equal(done.state, 'approved', `${currency} ${amountMinor}: ${done.reason}`);
  return done;
}

test('payments, refunds and voids carry the operator signed in when they were made, on the receipt and through central', { timeout: 120_000 }, async () => {
  const server = await startDevpay(['serve', '--sim', '--no-pcsc', '--data', freshDir('operator-attribution'), '--port', '0']);
  const api = await openApiSession(server.url);
  try {
    await until('central reachable', 20_000, async () => (await api.call<{ link: { centralReachable: boolean } }>('status.get')).link.centralReachable);
    const card = (await api.call<Array<{ cardIndex: number; currency: string }>>('sim.cards')).find((each) => each.currency === 'USD')!;

    const cashier = (await signIn(api, 'cashier')).operator!;
    const kept = await pay(api, card.cardIndex, card.currency, '1200');
    const voidedSale = await pay(api, card.cardIndex, card.currency, '700');
    assert.equal(kept.receipt?.operatorId, cashier.id, 'the receipt names the cashier');
    assert.equal(voidedSale.receipt?.operatorId, cashier.id);
    const voided = await api.call<CorrectionResult>('void.start', { originalId: voidedSale.paymentId!, clientId: 'attribution-void-1' });
    assert.equal(voided.outcome, 'approved', String(voided.reason));
    await api.call('session.signOut');

    const admin = (await signIn(api, 'admin')).operator!;
    assert.notEqual(admin.id, cashier.id);
    await until('the kept payment settled', 30_000, async () => {
      const page = await api.call<{ entries: JournalEntry[] }>('journal.list', { paymentId: kept.paymentId!, limit: 10 });
      return page.entries.some((entry) => entry.id === kept.paymentId && entry.state === 'settled');
    });
    const refunded = await api.call<CorrectionResult>('refund.start', { originalId: kept.paymentId!, clientId: 'attribution-refund-1', amountMinor: '500', currency: 'USD' });
    assert.equal(refunded.outcome, 'approved', String(refunded.reason));

    const expected = new Map([
      [kept.paymentId!, cashier.id],
      [voidedSale.paymentId!, cashier.id],
      [voided.transactionId!, cashier.id],
      [refunded.transactionId!, admin.id],
    ]);
    await until('central settled the payments, the void and the refund', 30_000, async () => {
      const { entries } = await api.call<{ entries: JournalEntry[] }>('journal.list', { kinds: ['payment', 'refund', 'void'], limit: 100 });
      return [...expected.keys()].every((id) => entries.find((entry) => entry.id === id)?.state === 'settled');
    });
    const { entries } = await api.call<{ entries: JournalEntry[] }>('journal.list', { kinds: ['payment', 'refund', 'void'], limit: 100 });
    for (const [id, operatorId] of expected) {
      const entry = entries.find((candidate) => candidate.id === id)!;
      assert.equal(entry.operatorId, operatorId, `${entry.kind} ${id} was made by ${operatorId}`);
    }
  } finally {
    await api.close();
    await server.stop();
  }
});
