// Central's online authorization of a refund: the request is the terminal's (its tag); in one
// engine unit central reads the payment from its own books (only a payment of this terminal:
// anything else is original_not_found, so no terminal learns of another's payments), the
// refunds and void recorded against it, and judges with the shared rules
// (core/ledger/corrections.ts) that the payment is settled here, in the refund's currency, and
// not refunded past its amount. An approval is recorded durably as the refund id's claim (added
// to the payment's refunded total) before it is answered, so a second refund under another id
// sees it, and the refund, when pushed as approved_online, settles on it. The refund id is the
// idempotency key: asked again with the same payment and amount it is approved again; with
// other content, or when the id is already another transaction's, refund_client_id_conflict.
import type { LogSink } from '../core/log-sink.js';
import { decideRefund, remainingRefundableMinor, type CorrectionDeclineReason } from '../core/ledger/corrections.js';
import { signMessage } from '../core/wire/auth-tag.js';
import { refundAuthorizeRequestSchema, type RefundAuthorizeRequest } from '../core/wire/correction-messages.js';
import { wireProtocolVersion } from '../core/wire/topics.js';
import type { Ledger } from '../ledger/ledger.js';
import type { EngineUnit } from '../ledger/posting-engine.js';
import { CentralCorrectionsStore } from '../ledger/stores/central-corrections-store.js';
import { authenticateRequest } from './authenticate-request.js';
import { priorCorrections, terminalOriginal } from './correction-facts.js';

type RefundDecision = { reason: CorrectionDeclineReason | null; remainingMinor: bigint };

export class RefundAuthorization {
  approvedCount = 0;
  declinedCount = 0;
  private readonly corrections: CentralCorrectionsStore;

  constructor(
    private readonly ledger: Ledger,
    private readonly masterKey: Uint8Array,
    private readonly log: LogSink,
  ) {
    this.corrections = new CentralCorrectionsStore(ledger);
  }

  /** The `refund` request handler for CentralService: a signed refund_result, or null to refuse. */
  handleRefundAuthorize = async (terminalId: string, payload: Buffer): Promise<Record<string, unknown> | null> => {
    const checked = authenticateRequest(refundAuthorizeRequestSchema, terminalId, payload, this.masterKey);
    if (!checked.ok) {
      this.log.warn({ terminalId, reason: checked.reason, detail: checked.detail }, 'central refused a refund authorization request');
      return null;
    }
    const { request, key } = checked;
    const decision = await this.ledger.engine.guarded((unit) => this.decide(unit, terminalId, request));
    if (decision.reason) this.declinedCount += 1;
    else this.approvedCount += 1;
    return signMessage(key, {
      v: wireProtocolVersion,
      kind: 'refund_result',
      correlationId: request.correlationId,
      terminalId,
      refundId: request.refundId,
      outcome: decision.reason ? 'declined' : 'approved',
      reason: decision.reason,
      remainingMinor: decision.remainingMinor.toString(),
    });
  };

  private async decide(unit: EngineUnit, terminalId: string, request: RefundAuthorizeRequest): Promise<RefundDecision> {
    const original = await terminalOriginal(unit, terminalId, request.originalId);
    if (!original) return { reason: 'original_not_found', remainingMinor: 0n };
    const prior = await priorCorrections(this.corrections, original.document.id);
    const remainingMinor = remainingRefundableMinor(original.facts, prior);
    const claim = await this.corrections.claimOf(request.refundId);
    if (claim) {
      const same = claim.originalId === request.originalId && claim.amountMinor === request.amountMinor;
      return { reason: same ? null : 'refund_client_id_conflict', remainingMinor };
    }
    if (await unit.transaction(request.refundId)) return { reason: 'refund_client_id_conflict', remainingMinor };
    const amountMinor = BigInt(request.amountMinor);
    const decision = decideRefund(original.facts, prior, { refundId: request.refundId, amountMinor, currency: request.currency }, true);
    if (!decision.ok) return { reason: decision.reason, remainingMinor };
    await this.corrections.recordRefund(request.refundId, { originalId: original.document.id, amountMinor: request.amountMinor, mode: 'online' });
    return { reason: null, remainingMinor: decision.remainingAfterMinor };
  }
}
