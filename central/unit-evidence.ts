// Evidence central checks inside the posting engine's exclusive unit, where it sees every
// transaction posted and settled before it (earlier ones of the same batch included), so two
// top-ups or two refunds pushed together cannot each pass on the state before the other.
import { kindOfAccount } from '../core/ledger/accounts.js';
import { parseMinorUnits } from '../core/money.js';
import type { VerdictReason, WireTransaction } from '../core/wire/sync-messages.js';
import type { EngineUnit } from '../ledger/posting-engine.js';
import type { RefundTotalsStore } from '../ledger/stores/refund-totals-store.js';
import type { ShapedPush } from './push-rules.js';

/**
 * A wallet top-up draws on the agent's float: all the agent has issued (the float account
 * below zero) may not pass the float central granted in that currency. Deposits of the cash are
 * not modelled yet: central raises the granted float when the agent hands the cash in.
 */
export function checkTopUpFloat(shaped: ShapedPush, floatBalanceMinor: bigint, floatLimitMinor: bigint): VerdictReason | null {
  const outstandingAfterMinor = -floatBalanceMinor + shaped.amountMinor;
  return outstandingAfterMinor > floatLimitMinor ? 'float_exceeded' : null;
}

/**
 * A refund gives back part of a payment central settled: the same merchant account pays, the
 * payment's own source receives (its wallet, or central for a card), and all refunds of it
 * together never pass its amount.
 */
export async function checkRefund(unit: EngineUnit, refunds: RefundTotalsStore, transaction: WireTransaction, shaped: ShapedPush): Promise<VerdictReason | null> {
  const original = await unit.transaction(transaction.referencesId!);
  if (!original) return 'original_not_found';
  const merchant = original.postings.find((posting) => kindOfAccount(posting.accountId) === 'merchant');
  const source = original.postings.find((posting) => posting !== merchant);
  if (original.kind !== 'payment' || !merchant || !source || merchant.accountId !== shaped.debit.accountId) return 'shape_invalid';
  const expectedCredit = kindOfAccount(source.accountId) === 'customer_wallet' ? source.accountId : source.accountId.replace(/^[a-z_]+:/, 'central:');
  if (shaped.credit.accountId !== expectedCredit) return 'shape_invalid';
  if (original.state !== 'settled') return 'original_not_settled';
  const refunded = await refunds.refundedMinor(original.id);
  return refunded + shaped.amountMinor > parseMinorUnits(merchant.amountMinor) ? 'refund_exceeds_original' : null;
}
