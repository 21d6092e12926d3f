// Refunds and voids at the counter. A refund is asked of central first (online: central judges it
// against the payment it settled and claims it under the refund's id); when central cannot be
// reached it is given offline, within central's offline refund limits, and central decides it at
// sync like a payment. The refund's id is saved before central is asked, so a retry, a lost
// answer or a crash asks again under the same id and is counted once. A void needs no answer:
// it is posted at once and central nets it with its payment at sync.
import { correctionDeclineReasons, type CorrectionDeclineReason } from '../../core/ledger/corrections.js';
import type { CorrectionResult } from '../../core/api/corrections.js';
import { ApiError } from '../../core/api/envelope.js';
import type { Clock } from '../../core/clock.js';
import type { CurrencyCode } from '../../core/currency.js';
import type { OfflineLimits } from '../../core/ledger/limits.js';
import { journalFactsOf } from '../../core/ledger/journal.js';
import type { TransactionDocument } from '../../ledger/stores/outbox-store.js';
import { isLedgerFailure } from '../../ledger/ledger-errors.js';
import { LedgerCorrections, type CorrectionStep } from '../../ledger/corrections.js';
import type { CorrectionRequest } from '../../ledger/stores/correction-requests-store.js';
import type { Ledger } from '../../ledger/ledger.js';
import { LinkError } from '../../sync/mqtt-link.js';
import type { RefundClient } from '../../sync/refund-client.js';
import type { Logger } from '../logger.js';

export interface CorrectionServiceOptions {
  ledger: Ledger;
  refunds: RefundClient | null;
  centralReachable: () => boolean;
  limits: () => OfflineLimits | null;
  clock: Clock;
  nextId: () => string;
  logger: Logger;
  /** Whether a time falls on the merchant's current day, in the terminal's time zone. */
  sameDay: (atMs: number, nowMs: number) => Promise<boolean>;
  /** The operator signed in now, recorded on each refund and void. */
  currentOperatorId: () => string | null;
  onlineTimeoutMs?: number;
}

const defaultOnlineTimeoutMs = 5_000;

export class CorrectionService {
  readonly corrections: LedgerCorrections;

  constructor(private readonly options: CorrectionServiceOptions) {
    this.corrections = new LedgerCorrections(options.ledger, options.nextId);
  }

  get ledger(): Ledger {
    return this.options.ledger;
  }

  /** Whether a time falls on the merchant's current day. */
  isSameDay(atMs: number): Promise<boolean> {
    return this.options.sameDay(atMs, this.options.clock.nowMs());
  }

  async refund(params: { originalId: string; clientId: string; amountMinor: bigint; currency: CurrencyCode }): Promise<CorrectionResult> {
    const base = { kind: 'refund' as const, originalId: params.originalId, amountMinor: params.amountMinor.toString(), currency: params.currency };
    try {
      const begun = await this.corrections.beginRefund({ ...params, nowMs: this.options.clock.nowMs(), ...this.operator() });
      if (!begun.ok || begun.repeated) return this.answer(base, begun);
      return this.answer(base, await this.decide(begun.request));
    } catch (error) {
      return this.failed(base, error);
    }
  }

  async void(params: { originalId: string; clientId: string }): Promise<CorrectionResult> {
    const payment = await this.options.ledger.transactions.get(params.originalId);
    // Only an id the journal showed can be voided; an unknown one is the caller's mistake.
    if (!payment) throw new ApiError('invalid_params', `original_not_found: no payment ${params.originalId} on this terminal`);
    const nowMs = this.options.clock.nowMs();
    const sameDay = await this.options.sameDay(payment.createdAtMs, nowMs);
    const base = { kind: 'void' as const, originalId: params.originalId, ...this.amountOf(payment) };
    try {
      const step = await this.corrections.void(params.originalId, params.clientId, nowMs, () => sameDay, this.operator().operatorId);
      if (step.ok) this.options.logger.info({ voidId: step.request.transactionId, originalId: params.originalId, repeated: step.repeated }, 'payment voided');
      return this.answer(base, step);
    } catch (error) {
      return this.failed(base, error);
    }
  }

  /**
   * Requests a crash left between asking central and posting: asked again under the same id
   * and posted if central approved (the merchant asked for them; a retry answers them as done).
   */
  async resumePending(): Promise<void> {
    if (!this.options.refunds || !this.options.centralReachable()) return;
    for (const request of await this.corrections.pendingRequests()) {
      const step = await this.decide(request, { onlineOnly: true });
      this.options.logger.info({ refundId: request.transactionId, outcome: step.ok ? 'posted' : step.reason }, 'pending refund resumed');
    }
  }

  /** Online when central answers; offline within the limits when it cannot be reached. */
  private async decide(request: CorrectionRequest, options: { onlineOnly?: boolean } = {}): Promise<CorrectionStep> {
    const { refunds, logger } = this.options;
    if (refunds && this.options.centralReachable()) {
      try {
        const answer = await refunds.authorize({ refundId: request.transactionId, originalId: request.originalId, amountMinor: BigInt(request.amountMinor), currency: request.currency }, this.options.onlineTimeoutMs ?? defaultOnlineTimeoutMs);
        if (answer.outcome === 'approved') return await this.corrections.postRefund(request, 'online', null);
        await this.corrections.markDeclined(request);
        const reason = answer.reason ?? 'original_not_found';
        logger.info({ refundId: request.transactionId, reason }, 'refund declined by central');
        return { ok: false, reason, remainingMinor: BigInt(answer.remainingMinor) };
      } catch (error) {
        if (!(error instanceof LinkError)) throw error;
        logger.warn({ refundId: request.transactionId, cause: error.code }, 'central did not answer the refund; deciding offline');
      }
    }
    if (options.onlineOnly) return { ok: false, reason: 'central_unavailable', remainingMinor: 0n };
    const step = await this.corrections.postRefund(request, 'offline', this.options.limits());
    if (!step.ok) await this.corrections.markDeclined(request);
    return step;
  }

  private answer(base: Pick<CorrectionResult, 'kind' | 'originalId' | 'amountMinor' | 'currency'>, step: CorrectionStep): CorrectionResult {
    if (!step.ok) return { ...base, outcome: 'declined', transactionId: null, mode: null, reason: step.reason, message: correctionDeclineReasons[step.reason], remainingMinor: step.remainingMinor.toString(), repeated: false };
    return { ...base, outcome: 'approved', transactionId: step.request.transactionId, mode: step.request.mode, reason: null, message: null, remainingMinor: step.remainingMinor.toString(), repeated: step.repeated };
  }

  /** A failed commit is the terminal's fault and named so; anything else is a defect, thrown. */
  private failed(base: Pick<CorrectionResult, 'kind' | 'originalId' | 'amountMinor' | 'currency'>, error: unknown): CorrectionResult {
    if (!isLedgerFailure(error)) throw error;
    this.options.logger.error({ err: error, originalId: base.originalId }, `${base.kind} could not be recorded`);
    const reason: CorrectionDeclineReason = 'terminal_storage_failed';
    return { ...base, outcome: 'declined', transactionId: null, mode: null, reason, message: correctionDeclineReasons[reason], remainingMinor: '0', repeated: false };
  }

  /** The operator signed in, as a request records it (absent when none is). */
  private operator(): { operatorId?: string } {
    const operatorId = this.options.currentOperatorId();
    return operatorId ? { operatorId } : {};
  }

  private amountOf(payment: TransactionDocument): { amountMinor: string; currency: CurrencyCode } {
    const facts = journalFactsOf(payment);
    return { amountMinor: facts.amountMinor.toString(), currency: facts.currency };
  }
}
