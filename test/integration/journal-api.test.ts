// The journal through the real API: a `devpay serve --sim` takes card payments in several
// currencies (online, so central settles them and they move to the cold store), and journal.list
// over the WebSocket returns them newest first with the receipt's masked PAN, filters by
// currency, last four digits and payment id, pages with its cursor without gaps or repeats, and
// refuses a malformed query by name while the runtime keeps answering.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PaymentUpdate } from '../../core/api/payment.js';
import type { JournalEntry } from '../../core/api/journal.js';
import { startDevpay } from '../harness/devpay-process.js';
import { ApiCallError, openApiSession } from '../harness/api-session.js';
import { freshDir } from '../harness/output-dir.js';
import { until } from '../harness/until.js';
import { signIn } from '../harness/operator-sign-in.js';

type Page = { entries: JournalEntry[]; nextCursor: string | null };

test('journal.list pages settled card payments from the cold store with filters and a cursor', { timeout: 120_000 }, async () => {
  const server = await startDevpay(['serve', '--sim', '--no-pcsc', '--data', freshDir('journal-api'), '--port', '0']);
  const api = await openApiSession(server.url);
  try {
    await signIn(api);
    await until('central reachable', 20_000, async () => (await api.call<{ link: { centralReachable: boolean } }>('status.get')).link.centralReachable);
    const cards = await api.call<Array<{ cardIndex: number; currency: string }>>('sim.cards');
    const approved: PaymentUpdate[] = [];
    for (const [index, card] of cards.entries()) {
      for (let repeat = 0; repeat < 2; repeat += 1) {
        api.discardPending();
        const started = await api.call<PaymentUpdate>('payment.start', { amountMinor: String(100 + index * 10 + repeat), currency: card.currency });
        await api.call('sim.tap', { cardIndex: card.cardIndex });
        const done = await api.nextEvent<PaymentUpdate>('payment.updated', (update) => update.attemptId === started.attemptId && ['approved', 'declined'].includes(update.state), 20_000);
        assert.equal(done.state, 'approved', `${card.currency}: ${done.reason}`);
        approved.push(done);
      }
    }
    // Central settles what it approved online; settled payments are in the cold store.
    await until('every payment settled', 30_000, async () => {
      const page = await api.call<Page>('journal.list', { kinds: ['payment'], states: ['settled'], limit: 100 });
      return page.entries.length === approved.length;
    });

    const all = await api.call<Page>('journal.list', { kinds: ['payment'], limit: 100 });
    assert.deepEqual(all.entries.map((entry) => entry.id), approved.map((update) => update.paymentId).reverse(), 'newest first');
    for (const entry of all.entries) {
      const update = approved.find((candidate) => candidate.paymentId === entry.id)!;
      assert.equal(entry.card?.panMasked, update.receipt?.panMasked, 'the masked PAN as on the receipt');
      assert.equal(entry.amountMinor, update.amountMinor);
      assert.equal(entry.currency, update.currency);
      assert.doesNotMatch(JSON.stringify(entry), /"pan"|cvv|cryptogram/i, 'no PAN, CVV or cryptogram in the journal');
    }

    const eur = await api.call<Page>('journal.list', { kinds: ['payment'], currency: 'EUR', limit: 100 });
    assert.deepEqual(eur.entries.map((entry) => entry.id), approved.filter((update) => update.currency === 'EUR').map((update) => update.paymentId).reverse());
    const target = approved[3]!;
    const last4 = target.receipt!.panMasked.slice(-4);
    const byLast4 = await api.call<Page>('journal.list', { last4, limit: 100 });
    assert.ok(byLast4.entries.some((entry) => entry.id === target.paymentId));
    assert.ok(byLast4.entries.every((entry) => entry.card?.panMasked.endsWith(last4)));
    const byPayment = await api.call<Page>('journal.list', { paymentId: target.paymentId, limit: 100 });
    assert.ok(byPayment.entries.some((entry) => entry.id === target.paymentId));
    assert.ok(byPayment.entries.every((entry) => entry.id === target.paymentId || entry.referencesId === target.paymentId));

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await api.call<Page>('journal.list', { kinds: ['payment'], limit: 3, ...(cursor ? { cursor } : {}) });
      assert.ok(page.entries.length <= 3);
      paged.push(...page.entries.map((entry) => entry.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(paged, all.entries.map((entry) => entry.id), 'pages of three give the same list, no gap, no repeat');

    for (const bad of [{ limit: 0 }, { cursor: "x' OR 1=1 --" }, { last4: 'abcd' }, { states: ['lost'] }, { minAmountMinor: 1.5 }, { nonsense: true }]) {
      await assert.rejects(api.call('journal.list', bad), (error: unknown) => error instanceof ApiCallError && error.code === 'invalid_params', JSON.stringify(bad));
    }
    assert.equal((await api.call<{ pong: boolean }>('system.ping')).pong, true, 'the runtime keeps answering');
  } finally {
    await api.close();
    await server.stop();
  }
});
