// Table test of the reconciliation rules (docs/day-close.md): each pairing of the terminal's state
// with central's answer, and that only payments, refunds and voids are compared.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DayTransaction } from '../../core/ledger/day-report.js';
import type { TransactionState } from '../../core/ledger/transaction.js';
import type { DayTotalsEntry } from '../../core/wire/day-messages.js';
import { idsToReconcile, reconcile } from './reconciliation.js';

const id = (index: number): string => `01J00000000000000000000${String(index).padStart(3, '0')}`;

function payment(index: number, state: TransactionState, amountMinor = 500n): DayTransaction {
  return { id: id(index), createdAtMs: 1, state, kind: 'payment', postings: [{ accountId: 'central:t-1:USD', amountMinor: (-amountMinor).toString() }, { accountId: 'merchant:t-1:USD', amountMinor: amountMinor.toString() }] };
}

const settled = (index: number, amountMinor = '500', currency: DayTotalsEntry['currency'] = 'USD'): DayTotalsEntry => ({ id: id(index), state: 'settled', kind: 'payment', currency, amountMinor });
const rejected = (index: number): DayTotalsEntry => ({ id: id(index), state: 'rejected', kind: 'payment', currency: 'USD', amountMinor: '500' });
const unknown = (index: number): DayTotalsEntry => ({ id: id(index), state: 'unknown', kind: null, currency: null, amountMinor: null });

const rows: Array<[string, DayTransaction, DayTotalsEntry | null, string | null]> = [
  ['settled both sides', payment(1, 'settled'), settled(1), null],
  ['undecided here, settled there: the verdict is on its way', payment(2, 'approved_offline'), settled(2), null],
  ['settled here, unknown there', payment(3, 'settled'), unknown(3), 'missing_at_central'],
  ['undecided here, not answered', payment(4, 'approved_online'), null, 'missing_at_central'],
  ['rejected here, unknown there: never booked', payment(5, 'rejected'), unknown(5), null],
  ['another amount', payment(6, 'settled', 501n), settled(6), 'amount_differs'],
  ['another currency', payment(7, 'settled'), settled(7, '500', 'EUR'), 'amount_differs'],
  ['rejected here, settled there', payment(8, 'rejected'), settled(8), 'state_differs'],
  ['settled here, rejected there', payment(9, 'settled'), rejected(9), 'state_differs'],
  ['rejected both sides', payment(10, 'rejected'), rejected(10), null],
];

for (const [name, transaction, entry, problem] of rows) {
  test(`reconciliation: ${name}`, () => {
    const central = new Map(entry ? [[entry.id, entry]] : []);
    const result = reconcile([transaction], central, 42);
    assert.equal(result.checkedAtMs, 42);
    assert.equal(result.state, problem === null ? 'matched' : 'differences');
    assert.deepEqual(result.differences.map((difference) => difference.problem), problem === null ? [] : [problem]);
    if (problem) assert.equal(result.differences[0]!.transactionId, transaction.id, 'listed by transaction id');
  });
}

test('only payments, refunds and voids are asked about and compared', () => {
  const reversal: DayTransaction = { ...payment(11, 'posted'), kind: 'reversal' };
  const settlement: DayTransaction = { ...payment(12, 'posted'), kind: 'settlement' };
  const refund: DayTransaction = { ...payment(13, 'approved_offline'), kind: 'refund' };
  assert.deepEqual(idsToReconcile([reversal, settlement, refund, payment(14, 'settled')]), [id(13), id(14)]);
  assert.equal(reconcile([reversal, settlement], new Map(), 1).state, 'matched');
});
