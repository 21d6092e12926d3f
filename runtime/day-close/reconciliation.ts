// The comparison of a period's transactions with what central's books hold for them, pure.
// Only the transactions central keeps under the terminal's own id are compared (payments,
// refunds, voids); reversals and settlements are the terminal's mirrors of central's entries.
// Per transaction, the terminal's state against central's:
// - central holds nothing: matched when the terminal has it rejected (central refused it and
//   never booked it), otherwise missing_at_central (not pushed yet, or lost on the way);
// - central settled: amount_differs when the amount or currency differ; state_differs when the
//   terminal has it rejected; otherwise matched (a terminal still waiting for the verdict will
//   settle it: the verdict is on its way);
// - central rejected: state_differs when the terminal has it settled, otherwise matched.
// A transaction central booked for this terminal that the terminal does not have
// (missing_at_terminal) cannot be seen this way: central answers only the ids it is asked.
import type { DayReport } from '../../core/api/day-reports.js';
import type { DayTotalsEntry } from '../../core/wire/day-messages.js';
import { journalFactsOf } from '../../core/ledger/journal.js';
import type { DayTransaction } from '../../core/ledger/day-report.js';
import type { TransactionKind } from '../../core/ledger/transaction.js';

type Reconciliation = DayReport['reconciliation'];
type Difference = Reconciliation['differences'][number];

/** The kinds central keeps under the terminal's id. */
export const reconciledKinds: readonly TransactionKind[] = ['payment', 'refund', 'void'];

/** The most differences a report lists (the contract's cap); the state still says differences beyond it. */
const maxListedDifferences = 500;

export function unavailableReconciliation(): Reconciliation {
  return { state: 'unavailable', checkedAtMs: null, differences: [] };
}

export function idsToReconcile(transactions: Iterable<DayTransaction>): string[] {
  const ids: string[] = [];
  for (const transaction of transactions) if (reconciledKinds.includes(transaction.kind)) ids.push(transaction.id);
  return ids;
}

export function reconcile(transactions: Iterable<DayTransaction>, central: ReadonlyMap<string, DayTotalsEntry>, checkedAtMs: number): Reconciliation {
  const differences: Difference[] = [];
  let found = 0;
  for (const transaction of transactions) {
    if (!reconciledKinds.includes(transaction.kind)) continue;
    const facts = journalFactsOf(transaction);
    const entry = central.get(transaction.id);
    const terminalAmountMinor = facts.amountMinor.toString();
    const differ = (problem: Difference['problem'], centralAmountMinor: string | null): void => {
      found += 1;
      if (differences.length < maxListedDifferences) differences.push({ transactionId: transaction.id, currency: facts.currency, terminalAmountMinor, centralAmountMinor, problem });
    };
    if (!entry || entry.state === 'unknown') {
      if (transaction.state !== 'rejected') differ('missing_at_central', null);
      continue;
    }
    if (entry.state === 'settled') {
      if (entry.amountMinor !== terminalAmountMinor || entry.currency !== facts.currency) differ('amount_differs', entry.amountMinor);
      else if (transaction.state === 'rejected') differ('state_differs', entry.amountMinor);
      continue;
    }
    if (transaction.state === 'settled') differ('state_differs', entry.amountMinor);
  }
  return { state: found === 0 ? 'matched' : 'differences', checkedAtMs, differences };
}
