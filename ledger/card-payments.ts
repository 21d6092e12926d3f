// Posting a card payment is one unit: the decision's last checks, the reserve token (or a spent
// marker) and the payment's transaction, balances, outbox entry and audit entry commit together.
// Offline, the unit re-reads the token, so two taps racing for one ATC cannot both pass; online,
// central has already approved and marked the ATC used, and the unit records it here too.
import { toHex } from '../core/clock.js';
import { accountId } from '../core/ledger/accounts.js';
import type { CardDetails, TransactionDraft } from '../core/ledger/transaction.js';
import type { CurrencyCode } from '../core/currency.js';
import type { OfflineLimits } from '../core/ledger/limits.js';
import { checkOfflineCvm, checkOfflineLimits, checkTapAgainstToken, maskPan, type TapSecrets } from '../core/card/offline-checks.js';
import type { CardCvm } from '../core/card/card-crypto.js';
import type { DeclineReason } from '../core/card/decline-reasons.js';
import type { Ledger } from './ledger.js';
import type { ReserveStore } from './reserve-store.js';
import type { TransactionDocument } from './schemas.js';
import type { EngineUnit } from './posting-engine.js';

export interface CardPaymentRequest {
  paymentId: string;
  /** The tap as parsed; `cvm` is the card's CVM result under its cryptogram (none when absent). */
  tap: TapSecrets & { cryptogram: Uint8Array; cvm?: CardCvm };
  amountMinor: bigint;
  currency: CurrencyCode;
  /** The terminal data the card signed, as sent in GENERATE. */
  terminalData: Uint8Array;
  nowMs: number;
  /** The operator signed in, recorded on the payment. */
  operatorId?: string;
}

export type CardPaymentOutcome = { outcome: 'approved'; transaction: TransactionDocument; repeated: boolean } | { outcome: 'declined'; reason: DeclineReason };

export interface OfflineContext {
  limits: OfflineLimits | null;
  isRevoked: (cardIdHex: string) => boolean;
  lastCentralContactMs: number | null;
}

function cardDetails(request: CardPaymentRequest, mode: 'online' | 'offline'): CardDetails {
  return {
    cardId: toHex(request.tap.cardId),
    atc: request.tap.atc,
    panMasked: maskPan(request.tap.pan),
    cryptogram: toHex(request.tap.cryptogram),
    terminalData: toHex(request.terminalData),
    mode,
    cvm: request.tap.cvm ?? 'none',
  };
}

function paymentDraft(ledger: Ledger, request: CardPaymentRequest, mode: 'online' | 'offline'): TransactionDraft {
  // Offline, the receivable sits in offline clearing until central settles it; online, central
  // has confirmed it already.
  const from = accountId(mode === 'offline' ? 'offline_clearing' : 'central', ledger.owner, request.currency);
  return {
    id: request.paymentId,
    kind: 'payment',
    state: mode === 'offline' ? 'approved_offline' : 'approved_online',
    postings: [
      { accountId: from, amountMinor: (-request.amountMinor).toString() },
      { accountId: accountId('merchant', ledger.owner, request.currency), amountMinor: request.amountMinor.toString() },
    ],
    card: cardDetails(request, mode),
    ...(request.operatorId ? { operatorId: request.operatorId } : {}),
  };
}

async function postAndSpend(ledger: Ledger, reserve: ReserveStore, request: CardPaymentRequest, mode: 'online' | 'offline', post: EngineUnit['post']): Promise<CardPaymentOutcome> {
  const posted = await post(paymentDraft(ledger, request, mode));
  // A retry of the same payment (same id, same content) answers what was approved, once.
  if (posted.result === 'exists') return { outcome: 'approved', transaction: posted.transaction, repeated: true };
  if (posted.result !== 'ok') throw new Error(`card payment ${request.paymentId} could not be posted: ${posted.result}`);
  const spent = await reserve.markSpent(toHex(request.tap.cardId), request.tap.atc, request.paymentId);
  if (!spent.ok) throw new Error(`ATC spent by ${spent.spentBy} while the unit held it`);
  ledger.audit.append('card_payment_approved', { paymentId: request.paymentId, cardId: toHex(request.tap.cardId), atc: request.tap.atc, mode });
  return { outcome: 'approved', transaction: posted.transaction, repeated: false };
}

/** Decides a tap offline against the reserve token and limits, and posts it if approved. */
export function approveOffline(ledger: Ledger, reserve: ReserveStore, request: CardPaymentRequest, context: OfflineContext): Promise<CardPaymentOutcome> {
  return ledger.engine.guarded(async (unit) => {
    const cardIdHex = toHex(request.tap.cardId);
    const held = await reserve.readToken(cardIdHex, request.tap.atc);
    if (held?.document.state === 'spent') {
      if (held.document.spentByPaymentId === request.paymentId) return postAndSpend(ledger, reserve, request, 'offline', (draft) => unit.post(draft));
      return { outcome: 'declined', reason: 'token_already_used' };
    }
    if (context.isRevoked(cardIdHex)) return { outcome: 'declined', reason: 'card_revoked' };
    if (!held || !reserve.centralPublicKey) return { outcome: 'declined', reason: 'no_reserve_token' };
    if (!held.token) return { outcome: 'declined', reason: 'token_signature_invalid' };
    const payment = { amountMinor: request.amountMinor, currency: request.currency, nowMs: request.nowMs };
    const tokenProblem = checkTapAgainstToken(request.tap, held.token, reserve.centralPublicKey, payment);
    if (tokenProblem) return { outcome: 'declined', reason: tokenProblem };
    const cvmProblem = checkOfflineCvm(context.limits, payment, request.tap.cvm ?? 'none');
    if (cvmProblem) return { outcome: 'declined', reason: cvmProblem };
    const exposure = {
      openAmountMinor: -ledger.engine.balanceOf(accountId('offline_clearing', ledger.owner, request.currency)),
      openCount: ledger.engine.unsettledOfflineCount(request.currency),
      lastCentralContactMs: context.lastCentralContactMs,
    };
    const limitProblem = checkOfflineLimits(context.limits, payment, exposure);
    if (limitProblem) return { outcome: 'declined', reason: limitProblem };
    return postAndSpend(ledger, reserve, request, 'offline', (draft) => unit.post(draft));
  });
}

/** Records an approval central gave online; the ATC is marked spent here in the same unit. */
export function recordOnlineApproval(ledger: Ledger, reserve: ReserveStore, request: CardPaymentRequest): Promise<CardPaymentOutcome> {
  return ledger.engine.guarded(async (unit) => {
    const held = await reserve.readToken(toHex(request.tap.cardId), request.tap.atc);
    if (held?.document.state === 'spent' && held.document.spentByPaymentId !== request.paymentId) return { outcome: 'declined', reason: 'token_already_used' };
    return postAndSpend(ledger, reserve, request, 'online', (draft) => unit.post(draft));
  });
}
