// Corrections of a payment: refunds (full or partial, to where the money came from) and voids
// (the whole payment undone before central settled it, or the same day). The rules are pure and
// shared: the terminal decides with them before posting, online and offline, and central judges
// with them again at authorization and at settlement, against its own books. Every refusal has
// a name here; the merchant sees the message, logs, the audit journal and tests use the code.
import type { CurrencyCode } from '../currency.js';
import type { TransactionKind, TransactionState } from './transaction.js';

export const correctionDeclineReasons = {
  original_not_found: 'No payment with this id is known here',
  original_not_refundable: 'Only a payment can be refunded',
  original_not_voidable: 'Only a card payment can be voided',
  original_not_settled: 'Central has not settled this payment yet; void it, or sync and refund',
  original_reversed: 'This payment was voided or reversed; nothing is left to refund',
  refund_currency_mismatch: 'A refund must be in the currency of the payment',
  refund_amount_invalid: 'Refund amount is not valid',
  refund_exceeds_remaining: 'Refund is more than what is left to refund on this payment',
  refund_client_id_conflict: 'This refund request was already used for another refund',
  offline_refund_not_allowed: 'Refunds are not allowed offline in this currency; reconnect first',
  offline_refund_limit_exceeded: 'Offline refund limit for this currency is reached; sync first',
  void_after_refund: 'This payment has refunds; refund the rest instead of voiding',
  void_window_passed: 'This payment can no longer be voided; refund it instead',
  central_unavailable: 'Central did not answer; try again',
  terminal_storage_failed: 'This terminal cannot record corrections now (storage failed); nothing was refunded',
} as const;

export type CorrectionDeclineReason = keyof typeof correctionDeclineReasons;
export const correctionDeclineReasonCodes = Object.keys(correctionDeclineReasons) as [CorrectionDeclineReason, ...CorrectionDeclineReason[]];

/** What the rules need of the payment a correction refers to. */
export interface OriginalFacts {
  id: string;
  kind: TransactionKind;
  state: TransactionState;
  currency: CurrencyCode;
  amountMinor: bigint;
  /** Whether a card paid it (voids are for card payments). */
  isCard: boolean;
}

/** Corrections already recorded against the payment (rejected ones are left out by the caller). */
export interface PriorCorrections {
  refunds: ReadonlyArray<{ id: string; amountMinor: bigint }>;
  /** The void of this payment, if one is recorded. */
  voidId: string | null;
}

export interface RefundRequest {
  refundId: string;
  amountMinor: bigint;
  currency: CurrencyCode;
}

export type CorrectionDecision = { ok: true; remainingAfterMinor: bigint } | { ok: false; reason: CorrectionDeclineReason };

/** What is still refundable: the payment less its recorded refunds, other than `exceptId`. */
export function remainingRefundableMinor(original: OriginalFacts, prior: PriorCorrections, exceptId?: string): bigint {
  if (prior.voidId !== null || original.state === 'rejected') return 0n;
  let refunded = 0n;
  for (const refund of prior.refunds) if (refund.id !== exceptId) refunded += refund.amountMinor;
  const remaining = original.amountMinor - refunded;
  return remaining > 0n ? remaining : 0n;
}

/**
 * Whether a refund of a payment may go ahead. `requireSettled`: the payment must be settled
 * (at the terminal, central's verdict seen; at central, settled in its books). A refund already
 * recorded under the same id is the same refund: it is judged without counting itself.
 */
export function decideRefund(original: OriginalFacts | null, prior: PriorCorrections, request: RefundRequest, requireSettled: boolean): CorrectionDecision {
  if (!original) return { ok: false, reason: 'original_not_found' };
  if (original.kind !== 'payment') return { ok: false, reason: 'original_not_refundable' };
  if (original.state === 'rejected' || prior.voidId !== null) return { ok: false, reason: 'original_reversed' };
  if (request.currency !== original.currency) return { ok: false, reason: 'refund_currency_mismatch' };
  if (request.amountMinor <= 0n) return { ok: false, reason: 'refund_amount_invalid' };
  if (requireSettled && original.state !== 'settled') return { ok: false, reason: 'original_not_settled' };
  const remaining = remainingRefundableMinor(original, prior, request.refundId);
  if (request.amountMinor > remaining) return { ok: false, reason: 'refund_exceeds_remaining' };
  return { ok: true, remainingAfterMinor: remaining - request.amountMinor };
}

/**
 * Whether a payment may be voided: a card payment with no refund and no other void, either not
 * yet settled or still within the void window (`withinWindow`: at the terminal the same local
 * day, at central within `voidWindowMs` of its settlement). A void under `voidId` already
 * recorded is the same void.
 */
export function decideVoid(original: OriginalFacts | null, prior: PriorCorrections, voidId: string, withinWindow: boolean): CorrectionDecision {
  if (!original) return { ok: false, reason: 'original_not_found' };
  if (original.kind !== 'payment' || !original.isCard) return { ok: false, reason: 'original_not_voidable' };
  if (original.state === 'rejected' || (prior.voidId !== null && prior.voidId !== voidId)) return { ok: false, reason: 'original_reversed' };
  if (prior.refunds.length > 0) return { ok: false, reason: 'void_after_refund' };
  if (original.state === 'settled' && !withinWindow) return { ok: false, reason: 'void_window_passed' };
  return { ok: true, remainingAfterMinor: 0n };
}

/** Central's window for voiding a payment it has settled: a day from its settlement. */
export const voidWindowMs = 24 * 60 * 60 * 1000;

/** The offline refund limits of one currency (core/ledger/limits.ts), and what is open now. */
export function checkOfflineRefund(
  limit: { offlineRefundFloatMinor?: string | undefined; offlineRefundCountLimit?: number | undefined } | undefined,
  amountMinor: bigint,
  open: { amountMinor: bigint; count: number },
): CorrectionDeclineReason | null {
  const floatMinor = BigInt(limit?.offlineRefundFloatMinor ?? '0');
  const countLimit = limit?.offlineRefundCountLimit ?? 0;
  if (floatMinor === 0n || countLimit === 0) return 'offline_refund_not_allowed';
  if (open.count + 1 > countLimit || open.amountMinor + amountMinor > floatMinor) return 'offline_refund_limit_exceeded';
  return null;
}
