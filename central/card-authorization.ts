// Central's online authorization of a tap: the request is the terminal's (its tag), the card is
// one central issued and not blocked, the currency is the card's, the cryptogram checks under the
// card's key and covers this amount, currency and terminal, and the ATC is fresh. The ATC is
// claimed durably for the payment id before the approval is sent, so a lost answer retried, or
// the same payment later approved offline under the same id, settles once; a second payment of
// the ATC is declined. An amount above the terminal's maximum for the currency (its limits as
// central set them) is declined amount_above_maximum, whatever the terminal checked itself; one
// above the currency's CVM limit without the card's verified PIN (bound into the cryptogram, so a
// terminal cannot claim it falsely) is declined pin_required.
import { signMessage } from '../core/wire/auth-tag.js';
import { authorizeRequestSchema } from '../core/wire/card-messages.js';
import { wireProtocolVersion } from '../core/wire/topics.js';
import type { DeclineReason } from '../core/card/decline-reasons.js';
import type { LogSink } from '../core/log-sink.js';
import { authenticateRequest } from './authenticate-request.js';
import type { CentralCards } from './central-cards.js';
import { cvmLimitMinor, maxPaymentMinor, type OfflineLimits } from '../core/ledger/limits.js';
import { isCurrencyCode } from '../core/currency.js';

export class CardAuthorization {
  approvedCount = 0;
  declinedCount = 0;

  constructor(
    private readonly cards: CentralCards,
    private readonly masterKey: Uint8Array,
    private readonly log: LogSink,
    /** The terminal's limits as central set them (its maximum per currency among them). */
    private readonly limitsOf: (terminalId: string) => Promise<OfflineLimits>,
  ) {}

  handleAuthorize = async (terminalId: string, payload: Buffer): Promise<Record<string, unknown> | null> => {
    const checked = authenticateRequest(authorizeRequestSchema, terminalId, payload, this.masterKey);
    if (!checked.ok) {
      this.log.warn({ terminalId, reason: checked.reason, detail: checked.detail }, 'central refused an authorization request');
      return null;
    }
    const { request, key } = checked;
    const reason = await this.decide(terminalId, request.paymentId, BigInt(request.amountMinor), request.currency, request.card);
    if (reason) this.declinedCount += 1;
    else this.approvedCount += 1;
    return signMessage(key, {
      v: wireProtocolVersion,
      kind: 'authorize_result',
      correlationId: request.correlationId,
      terminalId,
      paymentId: request.paymentId,
      outcome: reason ? 'declined' : 'approved',
      reason,
    });
  };

  private async decide(terminalId: string, paymentId: string, amountMinor: bigint, currency: string, card: Parameters<CentralCards['verifyCryptogram']>[0]): Promise<DeclineReason | null> {
    const issued = this.cards.card(card.cardId);
    if (!issued) return 'card_unknown';
    if (issued.state === 'blocked') return 'card_blocked';
    if (issued.currency !== currency || !isCurrencyCode(currency)) return 'wrong_currency';
    const limits = await this.limitsOf(terminalId);
    if (amountMinor > maxPaymentMinor(limits, currency)) return 'amount_above_maximum';
    if (!this.cards.verifyCryptogram(card, { terminalId, amountMinor, currency })) return 'cryptogram_invalid';
    if (amountMinor > cvmLimitMinor(limits, currency, 'online') && card.cvm !== 'card_pin') return 'pin_required';
    const claim = await this.cards.claim(card.cardId, card.atc, paymentId);
    if (claim.result === 'used_by') return 'atc_replayed';
    return null;
  }
}
