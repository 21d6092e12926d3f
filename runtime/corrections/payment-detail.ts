// The detail of a payment as the journal screen shows it before correcting it: the payment,
// every transaction that refers to it with its sync state, what is left to refund, and whether
// a void or a refund is possible now (and if not, the named reason), by the same rules the
// correction itself applies.
import { toJournalEntry } from '../../core/api/journal.js';
import type { PaymentDetail, syncStates } from '../../core/api/corrections.js';
import { ApiError } from '../../core/api/envelope.js';
import { decideRefund, decideVoid, remainingRefundableMinor } from '../../core/ledger/corrections.js';
import { originalFactsOf, priorCorrectionsOf, relatedTransactions } from '../../ledger/corrections.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { TransactionDocument } from '../../ledger/stores/outbox-store.js';

type SyncState = (typeof syncStates)[number];

/** A transaction's sync state in the merchant's terms; a payment with a standing void is reversed. */
export function syncStateOf(transaction: Pick<TransactionDocument, 'state'>, voided = false): SyncState {
  if (transaction.state === 'rejected') return 'rejected';
  if (voided) return 'reversed';
  if (transaction.state === 'settled') return 'settled';
  if (transaction.state === 'posted') return 'local';
  return 'pending';
}

export async function paymentDetail(ledger: Ledger, id: string, sameDay: (atMs: number) => Promise<boolean>): Promise<PaymentDetail> {
  const found = await ledger.transactions.get(id);
  // A refund's or void's id opens the payment it corrects.
  const payment = found && found.kind !== 'payment' && found.referencesId ? await ledger.transactions.get(found.referencesId) : found;
  const original = originalFactsOf(ledger, payment);
  if (!payment || !original || original.kind !== 'payment') throw new ApiError('invalid_params', `original_not_found: no payment ${id} on this terminal`);
  const related = await relatedTransactions(ledger, payment.id);
  const prior = priorCorrectionsOf(related);
  const remaining = remainingRefundableMinor(original, prior);
  const refund = decideRefund(original, prior, { refundId: '', amountMinor: remaining > 0n ? remaining : 1n, currency: original.currency }, true);
  const voiding = decideVoid(original, prior, '', await sameDay(payment.createdAtMs));
  return {
    payment: toJournalEntry(payment),
    related: related.map((transaction) => ({ ...toJournalEntry(transaction), syncState: syncStateOf(transaction) })),
    syncState: syncStateOf(payment, prior.voidId !== null),
    refundedMinor: prior.refunds.reduce((sum, refund) => sum + refund.amountMinor, 0n).toString(),
    remainingMinor: remaining.toString(),
    voidable: voiding.ok,
    voidRefusal: voiding.ok ? null : voiding.reason,
    refundable: refund.ok,
    refundRefusal: refund.ok ? null : refund.reason,
  };
}
