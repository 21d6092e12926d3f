// Table of reversal plans: a plain negation where the wallet can give the money back, the
// shortfall booked to the agent's receivable where it cannot, and an open receivable repaid
// first by a reversal that gives money back to the wallet. Every plan balances.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMinorUnits } from '../core/money.js';
import type { Posting } from '../core/ledger/transaction.js';
import { planReversal } from './reversal-postings.js';

const wallet = 'customer_wallet:t-a:TRY';
const float = 'agent_float:t-a:TRY';
const receivable = 'agent_receivable:t-a:TRY';
const merchant = 'merchant:t-a:TRY';
const topUp: Posting[] = [{ accountId: float, amountMinor: '-3000' }, { accountId: wallet, amountMinor: '3000' }];
const spend: Posting[] = [{ accountId: wallet, amountMinor: '-1000' }, { accountId: merchant, amountMinor: '1000' }];

const rows: Array<{ name: string; original: Posting[]; balances: Record<string, bigint>; postings: Posting[]; receivableMinor: bigint | null }> = [
  { name: 'a top-up the wallet still holds is negated', original: topUp, balances: { [wallet]: 3000n }, postings: [{ accountId: float, amountMinor: '3000' }, { accountId: wallet, amountMinor: '-3000' }], receivableMinor: null },
  { name: 'a top-up partly spent books the rest to the receivable', original: topUp, balances: { [wallet]: 500n }, postings: [{ accountId: float, amountMinor: '3000' }, { accountId: wallet, amountMinor: '-500' }, { accountId: receivable, amountMinor: '-2500' }], receivableMinor: -2500n },
  { name: 'a top-up wholly spent books it all to the receivable', original: topUp, balances: { [wallet]: 0n }, postings: [{ accountId: float, amountMinor: '3000' }, { accountId: receivable, amountMinor: '-3000' }], receivableMinor: -3000n },
  { name: 'a refused spend repays an open receivable first', original: spend, balances: { [wallet]: 0n, [receivable]: -600n }, postings: [{ accountId: wallet, amountMinor: '400' }, { accountId: merchant, amountMinor: '-1000' }, { accountId: receivable, amountMinor: '600' }], receivableMinor: 600n },
  { name: 'a refused spend with nothing owed goes back to the wallet', original: spend, balances: { [wallet]: 0n }, postings: [{ accountId: wallet, amountMinor: '1000' }, { accountId: merchant, amountMinor: '-1000' }], receivableMinor: null },
  { name: 'a refused spend repays at most itself', original: spend, balances: { [receivable]: -5000n }, postings: [{ accountId: merchant, amountMinor: '-1000' }, { accountId: receivable, amountMinor: '1000' }], receivableMinor: 1000n },
  {
    name: 'every wallet posting is planned: a transfer between two wallets',
    original: [{ accountId: wallet, amountMinor: '-100' }, { accountId: 'customer_wallet:t-b:TRY', amountMinor: '100' }],
    balances: { 'customer_wallet:t-b:TRY': 0n },
    postings: [{ accountId: wallet, amountMinor: '100' }, { accountId: 'agent_receivable:t-b:TRY', amountMinor: '-100' }],
    receivableMinor: -100n,
  },
];

for (const row of rows) {
  test(`reversal plan: ${row.name}`, () => {
    const plan = planReversal(row.original, (accountId) => row.balances[accountId] ?? 0n);
    assert.deepEqual(plan.postings, row.postings);
    assert.equal(plan.receivable?.amountMinor ?? null, row.receivableMinor);
    assert.equal(plan.postings.reduce((sum, posting) => sum + parseMinorUnits(posting.amountMinor), 0n), 0n, 'balances');
    assert.ok(plan.postings.every((posting) => posting.amountMinor !== '0'), 'no zero posting');
  });
}
