// Evidence central checks inside the posting engine's exclusive unit, where it sees every
// transaction posted and settled before it (earlier ones of the same batch included), so two
// top-ups, two refunds, or a refund and a void of one payment pushed together cannot each pass
// on the state before the other. A correction's evidence says what to record once it is posted
// (its claim, or the payment's void) and which card's funds it returns money to.
import { kindOfAccount } from '../core/ledger/accounts.js';
import { decideRefund, decideVoid, voidWindowMs } from '../core/ledger/corrections.js';
import type { VerdictReason, WireTransaction } from '../core/wire/sync-messages.js';
import type { EngineUnit } from '../ledger/posting-engine.js';
import type { CentralCorrectionsStore } from '../ledger/stores/central-corrections-store.js';
import { priorCorrections, terminalOriginal, verdictOf } from './correction-facts.js';
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

/** A correction that passed: what to record with it, and the card whose funds it returns to. */
export type CorrectionEvidence = { reason: VerdictReason } | { record: (() => Promise<void>) | null; cardId: string | null };

/**
 * A refund gives back part of a payment of this terminal that central settled, in its currency,
 * to its own source (its wallet, or central for a card), and all refunds of it together never
 * pass its amount. One approved online must be one central approved (its claim under this id,
 * with this payment and amount, already counted); one approved offline is counted now, unless
 * central approved it online first (the answer was lost and the terminal went offline).
 */
export async function checkRefund(unit: EngineUnit, store: CentralCorrectionsStore, terminalId: string, transaction: WireTransaction, shaped: ShapedPush): Promise<CorrectionEvidence> {
  const original = await terminalOriginal(unit, terminalId, transaction.referencesId!);
  if (!original) return { reason: 'original_not_found' };
  const { document, merchant, facts } = original;
  if (facts.kind !== 'payment') return { reason: 'shape_invalid' };
  if (facts.currency !== shaped.currency) return { reason: 'refund_currency_mismatch' };
  const source = document.postings.find((posting) => posting !== merchant);
  if (!source) return { reason: 'shape_invalid' };
  const expectedCredit = kindOfAccount(source.accountId) === 'customer_wallet' ? source.accountId : source.accountId.replace(/^[a-z_]+:/, 'central:');
  if (shaped.credit.accountId !== expectedCredit) return { reason: 'shape_invalid' };
  const cardId = document.card?.cardId ?? null;
  const claim = await store.claimOf(transaction.id);
  if (claim) {
    const same = claim.originalId === document.id && BigInt(claim.amountMinor) === shaped.amountMinor;
    return same ? { record: null, cardId } : { reason: 'conflicting_content' };
  }
  if (transaction.state === 'approved_online') return { reason: 'not_authorized_online' };
  const decision = decideRefund(facts, await priorCorrections(store, document.id), { refundId: transaction.id, amountMinor: shaped.amountMinor, currency: shaped.currency }, true);
  if (!decision.ok) return { reason: verdictOf(decision.reason) };
  return { record: () => store.recordRefund(transaction.id, { originalId: document.id, amountMinor: shaped.amountMinor.toString(), mode: 'offline' }), cardId };
}

/**
 * A void undoes a whole card payment of this terminal: the same merchant account (so the same
 * currency) gives back exactly its amount, to offline clearing only when the payment was approved
 * offline, never after a refund or another void, and within voidWindowMs of the moment central
 * settled the payment (its updatedAtMs: central settles in the unit that posts), by central's clock.
 */
export async function checkVoid(unit: EngineUnit, store: CentralCorrectionsStore, terminalId: string, transaction: WireTransaction, shaped: ShapedPush, nowMs: number): Promise<CorrectionEvidence> {
  const original = await terminalOriginal(unit, terminalId, transaction.referencesId!);
  if (!original) return { reason: 'original_not_found' };
  const { document, merchant, facts } = original;
  const card = document.card;
  if (facts.kind !== 'payment' || !card) return { reason: 'shape_invalid' };
  if (merchant.accountId !== shaped.debit.accountId || facts.amountMinor !== shaped.amountMinor) return { reason: 'shape_invalid' };
  if (kindOfAccount(shaped.credit.accountId) === 'offline_clearing' && card.mode !== 'offline') return { reason: 'shape_invalid' };
  const withinWindow = nowMs - document.updatedAtMs <= voidWindowMs;
  const decision = decideVoid(facts, await priorCorrections(store, document.id), transaction.id, withinWindow);
  if (!decision.ok) return { reason: verdictOf(decision.reason) };
  return { record: () => store.recordVoid(document.id, transaction.id), cardId: card.cardId };
}
