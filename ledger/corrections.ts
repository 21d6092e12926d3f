// Refunds and voids on the terminal's ledger, each decided and posted in one engine unit: the
// shared rules (core/ledger/corrections.ts) are applied to the payment and its corrections as
// they stand inside the unit, so two refunds racing for one payment cannot both pass on the state
// before the other. The caller's request (payment + client id) is saved with the id it got before
// central is asked, and the post marks it done in the same unit, so a retry after a crash reuses
// the id and never refunds twice.
import { accountId, kindOfAccount } from '../core/ledger/accounts.js';
import {
  checkOfflineRefund,
  decideRefund,
  decideVoid,
  remainingRefundableMinor,
  type CorrectionDeclineReason,
  type OriginalFacts,
  type PriorCorrections,
} from '../core/ledger/corrections.js';
import { journalFactsOf } from '../core/ledger/journal.js';
import type { OfflineLimits } from '../core/ledger/limits.js';
import type { TransactionDraft } from '../core/ledger/transaction.js';
import type { CurrencyCode } from '../core/currency.js';
import type { Ledger } from './ledger.js';
import type { TransactionDocument } from './schemas.js';
import { CorrectionRequestsStore, type CorrectionRequest } from './stores/correction-requests-store.js';

export type CorrectionStep = { ok: true; request: CorrectionRequest; repeated: boolean; remainingMinor: bigint } | { ok: false; reason: CorrectionDeclineReason; remainingMinor: bigint };

export interface RefundAsk {
  originalId: string;
  clientId: string;
  amountMinor: bigint;
  currency: CurrencyCode;
  nowMs: number;
  /** The operator signed in, recorded on the refund. */
  operatorId?: string;
}

/** The payment's facts as the rules read them, or null when it is not this terminal's payment. */
export function originalFactsOf(ledger: Ledger, transaction: TransactionDocument | null): OriginalFacts | null {
  if (!transaction) return null;
  const merchant = transaction.postings.find((posting) => kindOfAccount(posting.accountId) === 'merchant');
  // Only this terminal's merchant account makes a payment this terminal may correct.
  if (transaction.kind === 'payment' && merchant?.accountId !== accountId('merchant', ledger.owner, journalFactsOf(transaction).currency)) return null;
  const facts = journalFactsOf(transaction);
  return { id: transaction.id, kind: transaction.kind, state: transaction.state, currency: facts.currency, amountMinor: facts.amountMinor, isCard: transaction.card !== undefined };
}

/** The payment's related transactions, oldest first: settlements, refunds, voids, reversals. */
export async function relatedTransactions(ledger: Ledger, paymentId: string): Promise<TransactionDocument[]> {
  const related: TransactionDocument[] = [];
  let cursor: string | undefined;
  do {
    const page = await ledger.journal.list({ paymentId, limit: 100, ...(cursor ? { cursor } : {}) });
    related.push(...page.transactions.filter((transaction) => transaction.id !== paymentId));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return related.reverse();
}

/** Refunds and the void recorded against a payment; the rejected ones gave nothing back. */
export function priorCorrectionsOf(related: readonly TransactionDocument[]): PriorCorrections {
  const standing = related.filter((transaction) => transaction.state !== 'rejected');
  return {
    refunds: standing.filter((transaction) => transaction.kind === 'refund').map((transaction) => ({ id: transaction.id, amountMinor: journalFactsOf(transaction).amountMinor })),
    voidId: standing.find((transaction) => transaction.kind === 'void')?.id ?? null,
  };
}

export class LedgerCorrections {
  private readonly requests: CorrectionRequestsStore;

  constructor(
    private readonly ledger: Ledger,
    private readonly nextId: () => string,
  ) {
    this.requests = new CorrectionRequestsStore(ledger);
  }

  /** Requests a crash left between asking central and posting; the runtime asks again. */
  pendingRequests(): Promise<CorrectionRequest[]> {
    return this.requests.pending();
  }

  /**
   * Checks a refund against the payment as this terminal knows it (settled by central, enough
   * left, same currency) and saves the request with its refund id, before central is asked. A
   * request already saved under this client id answers as it stands.
   */
  beginRefund(ask: RefundAsk): Promise<CorrectionStep> {
    return this.ledger.engine.guarded(async () => {
      const { original, prior } = await this.standing(ask.originalId);
      const saved = await this.requests.read(ask.originalId, ask.clientId);
      if (saved && (saved.kind !== 'refund' || saved.amountMinor !== ask.amountMinor.toString() || saved.currency !== ask.currency)) return this.declined('refund_client_id_conflict', original, prior);
      if (saved?.state === 'posted') return { ok: true, request: saved, repeated: true, remainingMinor: this.remaining(original, prior) };
      const refundId = saved?.transactionId ?? this.nextId();
      const decision = decideRefund(original, prior, { refundId, amountMinor: ask.amountMinor, currency: ask.currency }, true);
      if (!decision.ok) return this.declined(decision.reason, original, prior);
      const request: CorrectionRequest = saved ?? { kind: 'refund', originalId: ask.originalId, clientId: ask.clientId, transactionId: refundId, amountMinor: ask.amountMinor.toString(), currency: ask.currency, state: 'pending', mode: null, createdAtMs: ask.nowMs, ...(ask.operatorId ? { operatorId: ask.operatorId } : {}) };
      const pending: CorrectionRequest = { ...request, state: 'pending' };
      await this.requests.write(pending);
      return { ok: true, request: pending, repeated: false, remainingMinor: decision.remainingAfterMinor };
    });
  }

  /** Central declined the refund: the request is kept as declined (a retry asks again). */
  async markDeclined(request: CorrectionRequest): Promise<void> {
    await this.ledger.engine.guarded(async () => {
      const saved = await this.requests.read(request.originalId, request.clientId);
      if (saved?.state === 'pending') await this.requests.write({ ...saved, state: 'declined' });
    });
  }

  /**
   * Posts a saved refund: online once central approved it, offline within central's offline
   * refund limits. The rules are applied again inside the unit; the refund goes back to where
   * the payment came from (its wallet, or central for a card), and the request is marked posted
   * in the same unit.
   */
  postRefund(request: CorrectionRequest, mode: 'online' | 'offline', limits: OfflineLimits | null): Promise<CorrectionStep> {
    return this.ledger.engine.guarded(async (unit) => {
      const { original, prior, payment } = await this.standing(request.originalId);
      const amountMinor = BigInt(request.amountMinor);
      const already = await unit.transaction(request.transactionId);
      if (!already) {
        const decision = decideRefund(original, prior, { refundId: request.transactionId, amountMinor, currency: request.currency }, true);
        if (!decision.ok) return this.declined(decision.reason, original, prior);
        if (mode === 'offline') {
          const limitProblem = checkOfflineRefund(limits?.currencies[request.currency], amountMinor, await this.openOfflineRefunds(request.currency));
          if (limitProblem) return this.declined(limitProblem, original, prior);
        }
      }
      const posted = await unit.post(this.refundDraft(request, payment!, mode));
      if (posted.result !== 'ok' && posted.result !== 'exists') throw new Error(`refund ${request.transactionId} could not be posted: ${posted.result}`);
      const done: CorrectionRequest = { ...request, state: 'posted', mode: posted.transaction.memo === 'online' ? 'online' : 'offline' };
      await this.requests.write(done);
      if (posted.result === 'ok') this.ledger.audit.append('refund_approved', { refundId: request.transactionId, originalId: request.originalId, amountMinor: request.amountMinor, currency: request.currency, mode });
      const after = await this.standing(request.originalId);
      return { ok: true, request: done, repeated: posted.result === 'exists', remainingMinor: this.remaining(after.original, after.prior) };
    });
  }

  /**
   * Voids a card payment in one unit: the whole amount back from the merchant to where it sits
   * now (offline clearing while central has not settled an offline payment, else central), in
   * state approved_offline until central nets it. `sameDay` tells whether the payment is of the
   * merchant's current day (a settled payment may be voided only then). Its reserve token stays
   * spent: a void gives the money back, it does not make the tap new.
   */
  void(originalId: string, clientId: string, nowMs: number, sameDay: (createdAtMs: number) => boolean, operatorId?: string): Promise<CorrectionStep> {
    return this.ledger.engine.guarded(async (unit) => {
      const { original, prior, payment } = await this.standing(originalId);
      const saved = await this.requests.read(originalId, clientId);
      if (saved && saved.kind !== 'void') return this.declined('refund_client_id_conflict', original, prior);
      if (saved?.state === 'posted') return { ok: true, request: saved, repeated: true, remainingMinor: 0n };
      const voidId = saved?.transactionId ?? this.nextId();
      const decision = decideVoid(original, prior, voidId, payment !== null && sameDay(payment.createdAtMs));
      if (!decision.ok || !payment || !original) return this.declined(decision.ok ? 'original_not_found' : decision.reason, original, prior);
      const mode = payment.card?.mode ?? 'online';
      const from = payment.state === 'approved_offline' ? 'offline_clearing' : 'central';
      const draft: TransactionDraft = {
        id: voidId,
        kind: 'void',
        state: 'approved_offline',
        postings: [
          { accountId: accountId('merchant', this.ledger.owner, original.currency), amountMinor: (-original.amountMinor).toString() },
          { accountId: accountId(from, this.ledger.owner, original.currency), amountMinor: original.amountMinor.toString() },
        ],
        referencesId: originalId,
        memo: mode,
        ...(operatorId ? { operatorId } : {}),
      };
      const posted = await unit.post(draft);
      if (posted.result !== 'ok' && posted.result !== 'exists') throw new Error(`void ${voidId} could not be posted: ${posted.result}`);
      const request: CorrectionRequest = { kind: 'void', originalId, clientId, transactionId: voidId, amountMinor: original.amountMinor.toString(), currency: original.currency, state: 'posted', mode: 'offline', createdAtMs: nowMs, ...(operatorId ? { operatorId } : {}) };
      await this.requests.write(request);
      if (posted.result === 'ok') this.ledger.audit.append('payment_voided', { voidId, originalId, amountMinor: request.amountMinor, currency: request.currency });
      return { ok: true, request, repeated: posted.result === 'exists', remainingMinor: 0n };
    });
  }

  private refundDraft(request: CorrectionRequest, payment: TransactionDocument, mode: 'online' | 'offline'): TransactionDraft {
    // The money goes back where it came from: the paying wallet, or central's account for a card.
    const source = payment.postings.find((posting) => kindOfAccount(posting.accountId) !== 'merchant')!;
    const credit = kindOfAccount(source.accountId) === 'customer_wallet' ? source.accountId : accountId('central', this.ledger.owner, request.currency);
    return {
      id: request.transactionId,
      kind: 'refund',
      state: mode === 'online' ? 'approved_online' : 'approved_offline',
      postings: [
        { accountId: accountId('merchant', this.ledger.owner, request.currency), amountMinor: `-${request.amountMinor}` },
        { accountId: credit, amountMinor: request.amountMinor },
      ],
      referencesId: request.originalId,
      memo: mode,
      ...(request.operatorId ? { operatorId: request.operatorId } : {}),
    };
  }

  /** Offline refunds central has not yet decided in a currency: their total and count. */
  private async openOfflineRefunds(currency: CurrencyCode): Promise<{ amountMinor: bigint; count: number }> {
    let amountMinor = 0n;
    let count = 0;
    for (const transaction of await this.ledger.transactions.hot()) {
      if (transaction.kind !== 'refund' || transaction.state !== 'approved_offline') continue;
      const facts = journalFactsOf(transaction);
      if (facts.currency !== currency) continue;
      amountMinor += facts.amountMinor;
      count += 1;
    }
    return { amountMinor, count };
  }

  private async standing(originalId: string): Promise<{ original: OriginalFacts | null; prior: PriorCorrections; payment: TransactionDocument | null }> {
    const payment = await this.ledger.transactions.get(originalId);
    const original = originalFactsOf(this.ledger, payment);
    const prior = original ? priorCorrectionsOf(await relatedTransactions(this.ledger, originalId)) : { refunds: [], voidId: null };
    return { original, prior, payment: original ? payment : null };
  }

  private remaining(original: OriginalFacts | null, prior: PriorCorrections): bigint {
    return original && original.kind === 'payment' ? remainingRefundableMinor(original, prior) : 0n;
  }

  private declined(reason: CorrectionDeclineReason, original: OriginalFacts | null, prior: PriorCorrections): CorrectionStep {
    return { ok: false, reason, remainingMinor: this.remaining(original, prior) };
  }
}

