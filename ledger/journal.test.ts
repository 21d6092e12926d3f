// The journal over hot and cold: random ledgers (offline and online card payments, some settled
// or rejected by central, test payments final from the start) paged with random filters must
// give, page after page through the cursor, exactly the transactions an independent filter and
// sort of every transaction gives, newest first, with no gap and no repeat, before and after a
// reopen. A transaction moving from hot to cold while a page is read appears exactly once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { currencyCodes, type CurrencyCode } from '../core/currency.js';
import { compareNewestFirst, journalFactsOf, journalQuerySchema, matchesJournalQuery, type JournalQuery } from '../core/ledger/journal.js';
import { transactionKinds, transactionStates, type TransactionDraft } from '../core/ledger/transaction.js';
import { openTestLedger, systemAccount, type TestLedger } from './test-ledger.js';
import { verifyLedger } from './verifier.js';
import type { Ledger } from './ledger.js';

type Step = { currency: CurrencyCode; amount: bigint; mode: 'online' | 'offline' | 'test'; last4: string; verdict: 'settled' | 'rejected' | null };

const step: fc.Arbitrary<Step> = fc.record({
  currency: fc.constantFrom(...currencyCodes),
  amount: fc.bigInt({ min: 1n, max: 10n ** 9n }),
  mode: fc.constantFrom('online' as const, 'offline' as const, 'test' as const),
  last4: fc.constantFrom('1111', '2222', '4242'),
  verdict: fc.constantFrom('settled' as const, 'rejected' as const, null),
});

const query: fc.Arbitrary<JournalQuery> = fc
  .record(
    {
      fromMs: fc.integer({ min: 1_795_000_000_000, max: 1_795_000_000_080 }),
      toMs: fc.integer({ min: 1_795_000_000_020, max: 1_795_000_000_200 }),
      states: fc.subarray([...transactionStates], { minLength: 1 }),
      kinds: fc.subarray([...transactionKinds], { minLength: 1 }),
      currency: fc.constantFrom(...currencyCodes),
      minAmountMinor: fc.bigInt({ min: 1n, max: 10n ** 9n }).map(String),
      maxAmountMinor: fc.bigInt({ min: 10n ** 6n, max: 10n ** 9n }).map(String),
      last4: fc.constantFrom('1111', '2222', '4242'),
      limit: fc.integer({ min: 1, max: 7 }),
    },
    { requiredKeys: ['limit'] },
  )
  .map((value) => journalQuerySchema.parse(value));

function cardPayment(id: string, item: Step, atc: number): TransactionDraft {
  const source = item.mode === 'offline' ? 'offline_clearing' : 'central';
  return {
    id,
    kind: 'payment',
    state: item.mode === 'offline' ? 'approved_offline' : 'approved_online',
    postings: [
      { accountId: systemAccount(source, item.currency), amountMinor: (-item.amount).toString() },
      { accountId: systemAccount('merchant', item.currency), amountMinor: item.amount.toString() },
    ],
    card: { cardId: '0011223344556677', atc, panMasked: `123456******${item.last4}`, cryptogram: '0'.repeat(32), terminalData: '0'.repeat(54), mode: item.mode === 'offline' ? 'offline' : 'online' },
  };
}

async function build(handle: TestLedger, steps: Step[]): Promise<void> {
  for (const [index, item] of steps.entries()) {
    const { engine } = handle.ledger;
    if (item.mode === 'test') {
      const draft: TransactionDraft = { id: handle.nextId(), kind: 'transfer', state: 'posted', postings: [{ accountId: systemAccount('central', item.currency), amountMinor: (-item.amount).toString() }, { accountId: systemAccount('merchant', item.currency), amountMinor: item.amount.toString() }] };
      assert.equal((await engine.post(draft, { toOutbox: false })).result, 'ok');
      continue;
    }
    const id = handle.nextId();
    assert.equal((await engine.post(cardPayment(id, item, index + 1))).result, 'ok');
    if (item.verdict) assert.equal((await engine.applyVerdict(id, item.verdict, handle.nextId(), 'central')).result, 'ok');
  }
}

async function everyPage(ledger: Ledger, first: JournalQuery): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 500; pages += 1) {
    const page = await ledger.journal.list(cursor ? { ...first, cursor } : first);
    assert.ok(page.transactions.length <= first.limit);
    ids.push(...page.transactions.map((transaction) => transaction.id));
    if (!page.nextCursor) return ids;
    assert.equal(page.transactions.length, first.limit, 'a page with a cursor after it is full');
    cursor = page.nextCursor;
  }
  throw new Error('the journal never ended');
}

async function expected(ledger: Ledger, filter: JournalQuery): Promise<string[]> {
  const all = await ledger.transactions.all();
  return all.filter((transaction) => matchesJournalQuery(journalFactsOf(transaction), filter)).sort(compareNewestFirst).map((transaction) => transaction.id);
}

test('journal pages over hot and cold equal an independent filter and sort, page after page', { timeout: 240_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), fc.array(query, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 1_000_000 }), async (steps, queries, seed) => {
      const handle = await openTestLedger(seed);
      try {
        await build(handle, steps);
        for (const reopened of [false, true]) {
          if (reopened) await handle.reopen();
          for (const filter of [journalQuerySchema.parse({ limit: 5 }), ...queries]) {
            const paged = await everyPage(handle.ledger, filter);
            assert.equal(new Set(paged).size, paged.length, 'no transaction twice');
            assert.deepEqual(paged, await expected(handle.ledger, filter), JSON.stringify(filter));
          }
        }
        const report = await verifyLedger(handle.ledger);
        assert.deepEqual(report.violations, []);
        const final = (await handle.ledger.transactions.all()).filter((transaction) => ['settled', 'rejected', 'posted'].includes(transaction.state)).length;
        assert.equal(report.coldTransactions, final, 'every final transaction is cold, nothing else is');
      } finally {
        await handle.ledger.close();
      }
    }),
    { numRuns: 25, seed: 20261201 },
  );
});

test('a transaction moving from hot to cold while a page is read is on it exactly once', { timeout: 60_000 }, async () => {
  const handle = await openTestLedger(7);
  try {
    const ids: string[] = [];
    for (let index = 0; index < 40; index += 1) {
      const id = handle.nextId();
      ids.push(id);
      assert.equal((await handle.ledger.engine.post(cardPayment(id, { currency: 'TRY', amount: 100n, mode: 'offline', last4: '4242', verdict: null }, index + 1))).result, 'ok');
    }
    const filter = journalQuerySchema.parse({ kinds: ['payment'], limit: 100 });
    // Verdicts and pages interleave: each page is read while some moves are staged, some committed.
    const verdicts = ids.map((id) => handle.ledger.engine.applyVerdict(id, 'settled', handle.nextId(), 'central'));
    for (let read = 0; read < 20; read += 1) {
      const page = await handle.ledger.journal.list(filter);
      assert.deepEqual(
        page.transactions.map((transaction) => transaction.id).sort(),
        [...ids].sort(),
        'every payment once, hot or cold',
      );
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(verdicts);
    const settled = await handle.ledger.journal.list(journalQuerySchema.parse({ kinds: ['payment'], states: ['settled'], limit: 100 }));
    assert.equal(settled.transactions.length, 40);
    assert.deepEqual((await verifyLedger(handle.ledger)).violations, []);
  } finally {
    await handle.ledger.close();
  }
});

test('a query the schema refuses is a named error, not a crash', () => {
  for (const bad of [{ limit: 0 }, { limit: 101 }, { cursor: "1'; DROP TABLE" }, { last4: '12345' }, { minAmountMinor: '1.5' }, { states: ['paid'] }, { extra: true }]) {
    const parsed = journalQuerySchema.safeParse(bad);
    assert.equal(parsed.success, false, JSON.stringify(bad));
  }
});
