// Property test of the day report's figures against an independent model. The model never looks
// at postings: it keeps, per currency, what the merchant did (a sale of so much, online or
// offline, a refund, a void, central's rejection of one of them, a top-up) and adds it up the way
// a merchant would read the report. The transactions the ledger would hold for the same story
// (postings, states, memos, card modes, settlement entries and noise that is not the merchant's)
// go through computeDayFigures, and both must agree for any period.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { currencyCodes, type CurrencyCode } from '../currency.js';
import { computeDayFigures, countUndecided, type DayTransaction } from './day-report.js';

const owner = 't-day0001';
const account = (kind: string, currency: CurrencyCode): string => `${kind}:${owner}:${currency}`;

type Event =
  | { what: 'sale'; atMs: number; currency: CurrencyCode; amount: bigint; card: boolean; online: boolean; outcome: 'pending' | 'settled' | 'rejected'; decidedAtMs: number }
  | { what: 'refund'; atMs: number; currency: CurrencyCode; amount: bigint; online: boolean; outcome: 'pending' | 'settled' | 'rejected'; decidedAtMs: number }
  | { what: 'void'; atMs: number; currency: CurrencyCode; amount: bigint; outcome: 'pending' | 'settled' }
  | { what: 'top_up'; atMs: number; currency: CurrencyCode; amount: bigint; outcome: 'pending' | 'settled' }
  | { what: 'test_payment'; atMs: number; currency: CurrencyCode; amount: bigint };

const time = fc.integer({ min: 0, max: 1000 });
const currency = fc.constantFrom(...currencyCodes);
const amount = fc.bigInt({ min: 1n, max: 10n ** 12n });
const outcome3 = fc.constantFrom('pending' as const, 'settled' as const, 'rejected' as const);
const outcome2 = fc.constantFrom('pending' as const, 'settled' as const);

const event: fc.Arbitrary<Event> = fc.oneof(
  fc.record({ what: fc.constant('sale' as const), atMs: time, currency, amount, card: fc.boolean(), online: fc.boolean(), outcome: outcome3, decidedAtMs: time }),
  fc.record({ what: fc.constant('refund' as const), atMs: time, currency, amount, online: fc.boolean(), outcome: outcome3, decidedAtMs: time }),
  fc.record({ what: fc.constant('void' as const), atMs: time, currency, amount, outcome: outcome2 }),
  fc.record({ what: fc.constant('top_up' as const), atMs: time, currency, amount, outcome: outcome2 }),
  fc.record({ what: fc.constant('test_payment' as const), atMs: time, currency, amount }),
);

let sequence = 0;
const nextId = (): string => `T${String((sequence += 1)).padStart(25, '0')}`;

/** The ledger's transactions for a story, as the terminal would hold them. */
function ledgerOf(events: Event[]): DayTransaction[] {
  const out: DayTransaction[] = [];
  const pair = (debit: string, credit: string, value: bigint) => [
    { accountId: debit, amountMinor: (-value).toString() },
    { accountId: credit, amountMinor: value.toString() },
  ];
  const decide = (original: DayTransaction, decision: 'pending' | 'settled' | 'rejected', decidedAtMs: number): void => {
    if (decision === 'pending') return;
    original.state = decision;
    const createdAtMs = Math.max(original.createdAtMs, decidedAtMs);
    if (decision === 'rejected') {
      out.push({ id: nextId(), createdAtMs, state: 'posted', kind: 'reversal', postings: original.postings.map((posting) => ({ accountId: posting.accountId, amountMinor: (-BigInt(posting.amountMinor)).toString() })), memo: 'double_spend' });
    } else if (original.postings.some((posting) => posting.accountId.startsWith('offline_clearing:'))) {
      const clearing = original.postings.find((posting) => posting.accountId.startsWith('offline_clearing:'))!;
      const value = -BigInt(clearing.amountMinor);
      out.push({ id: nextId(), createdAtMs, state: 'posted', kind: 'settlement', postings: pair(clearing.accountId, clearing.accountId.replace('offline_clearing:', 'central:'), value) });
    }
  };
  for (const item of events) {
    const base = { id: nextId(), createdAtMs: item.atMs };
    let transaction: DayTransaction;
    switch (item.what) {
      case 'sale': {
        const from = item.card ? account(item.online ? 'central' : 'offline_clearing', item.currency) : account('customer_wallet', item.currency);
        transaction = {
          ...base,
          kind: 'payment',
          state: item.online ? 'approved_online' : 'approved_offline',
          postings: pair(from, account('merchant', item.currency), item.amount),
          ...(item.card ? { card: { mode: item.online ? ('online' as const) : ('offline' as const), panMasked: '627412******0001' } } : {}),
        };
        out.push(transaction);
        decide(transaction, item.outcome, item.decidedAtMs);
        break;
      }
      case 'refund':
        transaction = { ...base, kind: 'refund', state: 'approved_offline', postings: pair(account('merchant', item.currency), account('central', item.currency), item.amount), memo: item.online ? 'online' : 'offline' };
        out.push(transaction);
        decide(transaction, item.outcome, item.decidedAtMs);
        break;
      case 'void':
        transaction = { ...base, kind: 'void', state: 'approved_offline', postings: pair(account('merchant', item.currency), account('offline_clearing', item.currency), item.amount), memo: 'offline' };
        out.push(transaction);
        decide(transaction, item.outcome, item.atMs);
        break;
      case 'top_up':
        transaction = { ...base, kind: 'wallet_top_up', state: 'approved_offline', postings: pair(account('agent_float', item.currency), account('customer_wallet', item.currency), item.amount) };
        out.push(transaction);
        decide(transaction, item.outcome, item.atMs);
        break;
      case 'test_payment':
        out.push({ ...base, kind: 'test_payment', state: 'posted', postings: pair(account('test', item.currency), account('test_sink', item.currency), item.amount) });
        break;
    }
  }
  return out;
}

interface Expected {
  [line: string]: { count: number; total: bigint };
}

/** The merchant's reading of the story: what happened in the period, by currency and line. */
function model(events: Event[], fromMs: number, toMs: number): Map<CurrencyCode, Expected> {
  const result = new Map<CurrencyCode, Expected>();
  const within = (atMs: number): boolean => fromMs <= atMs && atMs < toMs;
  const bump = (code: CurrencyCode, line: string, value: bigint): void => {
    const lines = result.get(code) ?? {};
    result.set(code, lines);
    const current = lines[line] ?? { count: 0, total: 0n };
    lines[line] = { count: current.count + 1, total: current.total + value };
  };
  for (const item of events) {
    if (item.what === 'test_payment') continue;
    if (within(item.atMs) && item.outcome === 'pending') bump(item.currency, 'unsynced', item.amount);
    if (item.what === 'top_up') continue;
    if (item.what === 'sale') {
      if (within(item.atMs)) {
        bump(item.currency, 'sales', item.amount);
        // A wallet payment that central settled or rejected no longer says it was online.
        const online = item.card ? item.online : item.online && item.outcome === 'pending';
        bump(item.currency, online ? 'salesOnline' : 'salesOffline', item.amount);
      }
      if (item.outcome === 'rejected' && within(Math.max(item.atMs, item.decidedAtMs))) bump(item.currency, 'reversals', item.amount);
    } else if (item.what === 'refund') {
      if (within(item.atMs)) {
        bump(item.currency, 'refunds', item.amount);
        bump(item.currency, item.online ? 'refundsOnline' : 'refundsOffline', item.amount);
      }
      // A refund central refused gives the money back to the merchant: a negative reversal.
      if (item.outcome === 'rejected' && within(Math.max(item.atMs, item.decidedAtMs))) bump(item.currency, 'reversals', -item.amount);
    } else if (within(item.atMs)) {
      bump(item.currency, 'voids', item.amount);
    }
  }
  return result;
}

test('day figures agree with a model of what the merchant did, for any period', () => {
  fc.assert(
    fc.property(fc.array(event, { maxLength: 60 }), time, time, (events, first, second) => {
      const fromMs = Math.min(first, second);
      const toMs = Math.max(first, second) + 1;
      const transactions = ledgerOf(events);
      const figures = computeDayFigures(transactions, { fromMs, toMs });
      const expected = model(events, fromMs, toMs);
      assert.deepEqual(figures.map((line) => line.currency), currencyCodes.filter((code) => expected.has(code)), 'the currencies with anything to say, in table order');
      for (const line of figures) {
        const want = expected.get(line.currency)!;
        const get = (name: string) => ({ count: want[name]?.count ?? 0, totalMinor: (want[name]?.total ?? 0n).toString() });
        for (const name of ['sales', 'salesOnline', 'salesOffline', 'refunds', 'refundsOnline', 'refundsOffline', 'voids', 'reversals', 'unsynced'] as const) {
          assert.deepEqual(line[name], get(name), `${line.currency} ${name}`);
        }
        const total = (name: string): bigint => want[name]?.total ?? 0n;
        assert.equal(line.netMinor, (total('sales') - total('refunds') - total('voids') - total('reversals')).toString(), `${line.currency} net`);
      }
      const undecided = events.filter((item) => item.what !== 'test_payment' && item.outcome === 'pending' && fromMs <= item.atMs && item.atMs < toMs).length;
      assert.equal(countUndecided(transactions, { fromMs, toMs }), undecided);
    }),
    { numRuns: 500 },
  );
});

test('over consecutive periods the nets add up to the merchant account’s change', () => {
  fc.assert(
    fc.property(fc.array(event, { maxLength: 60 }), fc.array(time, { maxLength: 5 }), (events, cuts) => {
      const transactions = ledgerOf(events);
      const bounds = [0, ...[...new Set(cuts)].sort((left, right) => left - right), 1001];
      const net = new Map<string, bigint>();
      for (let index = 0; index + 1 < bounds.length; index += 1) {
        for (const line of computeDayFigures(transactions, { fromMs: bounds[index]!, toMs: bounds[index + 1]! })) net.set(line.currency, (net.get(line.currency) ?? 0n) + BigInt(line.netMinor));
      }
      for (const code of currencyCodes) {
        const merchant = transactions.flatMap((transaction) => transaction.postings).filter((posting) => posting.accountId === account('merchant', code)).reduce((sum, posting) => sum + BigInt(posting.amountMinor), 0n);
        assert.equal(net.get(code) ?? 0n, merchant, code);
      }
    }),
    { numRuns: 300 },
  );
});

test('a transaction given twice (hot and cold during its move) counts once', () => {
  const sale: DayTransaction = { id: nextId(), createdAtMs: 5, state: 'approved_online', kind: 'payment', postings: [{ accountId: account('central', 'USD'), amountMinor: '-100' }, { accountId: account('merchant', 'USD'), amountMinor: '100' }], card: { mode: 'online', panMasked: '627412******0001' } };
  const [usd] = computeDayFigures([sale, { ...sale, state: 'settled' }], { fromMs: 0, toMs: 10 });
  assert.equal(usd?.sales.count, 1);
});
