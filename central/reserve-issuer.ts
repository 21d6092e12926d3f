// Central's issuance of reserve tokens. For every active card, a terminal may hold tokens for
// the card's next ATCs after the highest one central has seen used; each answer is one signed
// batch covering a page of cards in card id order, and the terminal walks the pages. Issuance is
// stateless and deterministic per ATC (the commitment depends only on card and ATC), so a lost
// answer is simply asked for again and tokens already held are kept as they are.
import type { Clock } from '../core/clock.js';
import { fromHex, toHex } from '../core/clock.js';
import type { LogSink } from '../core/log-sink.js';
import { commitmentOf, deriveAtcSecret } from '../core/card/card-crypto.js';
import { maxReserveBatchTokens, signReserveBatch, type ReserveTokenFields } from '../core/card/reserve-token.js';
import { signMessage } from '../core/wire/auth-tag.js';
import { reserveRequestSchema } from '../core/wire/card-messages.js';
import { wireProtocolVersion } from '../core/wire/topics.js';
import { authenticateRequest } from './authenticate-request.js';
import type { CentralCards } from './central-cards.js';

export interface ReservePolicy {
  /** How many future ATCs of each card a terminal may hold. */
  tokensPerCard: number;
  validityMs: number;
}

export const defaultReservePolicy: ReservePolicy = { tokensPerCard: 8, validityMs: 7 * 24 * 60 * 60 * 1000 };

export class ReserveIssuer {
  issuedCount = 0;

  constructor(
    private readonly cards: CentralCards,
    private readonly signingKey: Uint8Array,
    private readonly masterKey: Uint8Array,
    private readonly clock: Clock,
    private readonly nextId: () => string,
    private readonly log: LogSink,
    private readonly policy: ReservePolicy = defaultReservePolicy,
  ) {}

  handleReserve = async (terminalId: string, payload: Buffer): Promise<Record<string, unknown> | null> => {
    const checked = authenticateRequest(reserveRequestSchema, terminalId, payload, this.masterKey);
    if (!checked.ok) {
      this.log.warn({ terminalId, reason: checked.reason, detail: checked.detail }, 'central refused a reserve request');
      return null;
    }
    const { request, key } = checked;
    const cardsPerPage = Math.max(1, Math.floor(maxReserveBatchTokens / this.policy.tokensPerCard));
    const after = request.afterCardId;
    const only = request.onlyCardIds ? new Set(request.onlyCardIds) : null;
    const active = this.cards.activeCards().filter((card) => (after === null || card.cardId > after) && (!only || only.has(card.cardId)));
    const page = active.slice(0, cardsPerPage);
    const nowMs = this.clock.nowMs();
    const tokens: ReserveTokenFields[] = [];
    for (const card of page) {
      const cardKey = this.cards.cardKey(card.cardId);
      const cardId = fromHex(card.cardId);
      for (let atc = card.usedThroughAtc + 1; atc <= card.usedThroughAtc + this.policy.tokensPerCard; atc += 1) {
        tokens.push({ cardId: card.cardId, atc, commitment: toHex(commitmentOf(cardId, atc, deriveAtcSecret(cardKey, atc))), capMinor: card.offlineCapMinor, currency: card.currency, expiresAtMs: nowMs + this.policy.validityMs });
      }
    }
    const batch = tokens.length > 0 ? signReserveBatch(this.signingKey, { batchId: this.nextId(), terminalId, issuedAtMs: nowMs }, tokens) : null;
    this.issuedCount += tokens.length;
    return signMessage(key, {
      v: wireProtocolVersion,
      kind: 'reserve_result',
      correlationId: request.correlationId,
      terminalId,
      batch,
      usedThrough: page.map((card) => ({ cardId: card.cardId, atc: card.usedThroughAtc })),
      nextAfterCardId: active.length > page.length ? page.at(-1)!.cardId : null,
    });
  };
}
