// Raising an alert in the merchant's terms: what happened (a kind and a reason code, as central
// named it), to which payment, for how much, with the masked PAN printed on that receipt and
// never a card id, kept in the ledger until dismissed, then pushed as an `alert` event. An alert
// raised again for the same thing (a verdict re-applied after a restart, a revocation list
// rewritten) is the one already kept: nothing is pushed twice.
import type { AlertRecord } from '../core/api/alerts.js';
import type { Clock } from '../core/clock.js';
import { currencyOfAccount } from '../core/ledger/accounts.js';
import { journalFactsOf } from '../core/ledger/journal.js';
import type { RevocationList } from '../core/wire/card-messages.js';
import type { Ledger } from '../ledger/ledger.js';
import { AlertsStore } from '../ledger/stores/alerts-store.js';
import type { Logger } from './logger.js';

/**
 * How many of the latest card payments a revocation looks through for one of that card's (the
 * cold store has no index by card, and a revoked card's latest payment here is recent if at all).
 */
const revokedCardLookBackPayments = 1000;
const lookBackPageRows = 100;
/** How far back a start looks for rejections whose alert a crash may have lost. */
const rejectedLookBackMs = 7 * 24 * 60 * 60 * 1000;

export interface MerchantAlertsOptions {
  ledger: Ledger;
  clock: Clock;
  nextId: () => string;
  logger: Logger;
  publish: (alert: AlertRecord) => void;
}

/** A transaction as the ledger reads it back (hot or cold). */
type StoredTransaction = NonNullable<Awaited<ReturnType<Ledger['transactions']['get']>>>;

type AlertFacts = Pick<AlertRecord, 'kind' | 'reason' | 'transactionId' | 'amountMinor' | 'currency' | 'panMasked'>;

export class MerchantAlerts {
  private readonly store: AlertsStore;

  constructor(private readonly options: MerchantAlertsOptions) {
    this.store = new AlertsStore(options.ledger);
  }

  /** Central rejected a synced payment (now reversed): its amount, currency and masked PAN. */
  async paymentRejected(transactionId: string, reason: string): Promise<void> {
    const transaction = await this.transaction(transactionId);
    const facts = transaction ? journalFactsOf(transaction) : null;
    await this.raise(
      { kind: 'payment_rejected', reason, transactionId, amountMinor: facts?.amountMinor.toString() ?? null, currency: facts?.currency ?? null, panMasked: transaction?.card?.panMasked ?? null },
      `payment_rejected/${transactionId}`,
    );
  }

  /**
   * Raises the alerts a crash may have lost: central's rejection is applied in its own unit and
   * the alert kept just after, so a crash in between leaves a rejected payment with no alert, and
   * a re-applied verdict does not call back. At start, the last week's rejected transactions
   * without an alert get theirs (with central's reason from the reversal's memo); the rest are
   * the ones already kept, which raise() leaves alone.
   */
  async reconcileRejected(): Promise<void> {
    const { ledger, clock } = this.options;
    const page = await ledger.journal.list({ states: ['rejected'], limit: 100 });
    for (const transaction of page.transactions) {
      if (transaction.updatedAtMs < clock.nowMs() - rejectedLookBackMs || (await this.store.isKept(`payment_rejected/${transaction.id}`))) continue;
      const reversal = (await ledger.journal.list({ paymentId: transaction.id, kinds: ['reversal'], limit: 1 })).transactions[0];
      await this.paymentRejected(transaction.id, reversal?.memo ?? 'rejected');
    }
  }

  /** A reversal moved an agent's receivable by a signed amount (negative: now owed by the agent). */
  async agentReceivable(transactionId: string, accountId: string, amountMinor: bigint): Promise<void> {
    const transaction = await this.transaction(transactionId);
    await this.raise(
      {
        kind: 'agent_receivable',
        reason: amountMinor < 0n ? 'refused_after_spending' : 'receivable_repaid',
        transactionId,
        amountMinor: amountMinor.toString(),
        currency: currencyOfAccount(accountId),
        panMasked: transaction?.card?.panMasked ?? null,
      },
      `agent_receivable/${transactionId}`,
    );
  }

  /**
   * Cards central newly revoked: each names the latest payment of that card here, if there is
   * one among the recent ones, and its masked PAN, so the merchant knows which customer it was.
   */
  async cardsRevoked(cards: RevocationList['cards']): Promise<void> {
    if (cards.length === 0) return;
    const latest = await this.latestPayments(new Set(cards.map((card) => card.cardId))).catch((error: unknown) => {
      this.options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'payments of revoked cards not read');
      return new Map<string, StoredTransaction>();
    });
    for (const card of cards) {
      const payment = latest.get(card.cardId);
      // Keyed by the card inside the ledger only: the merchant sees the masked PAN, never the id.
      await this.raise(
        { kind: 'card_revoked', reason: card.reason, transactionId: payment?.id ?? null, amountMinor: null, currency: null, panMasked: payment?.card?.panMasked ?? null },
        `card_revoked/${card.cardId}/${card.atMs}`,
      );
    }
  }

  /**
   * Keeps the alert, then pushes it. One that cannot be kept (the ledger failed) is still
   * pushed, so the merchant hears of it now; one kept already is not pushed again.
   */
  private async raise(facts: AlertFacts, dedupeKey: string): Promise<void> {
    const { clock, logger, publish } = this.options;
    const alert: AlertRecord = { id: this.options.nextId(), atMs: clock.nowMs(), ...facts, dismissedAtMs: null };
    const context = { alertId: alert.id, kind: alert.kind, reason: alert.reason, transactionId: alert.transactionId };
    try {
      const kept = await this.store.raise(alert, dedupeKey);
      if (!kept.raised) return logger.info({ ...context, alertId: kept.alert.id }, 'alert raised before; not repeated');
    } catch (error) {
      logger.error({ ...context, err: error instanceof Error ? error.message : String(error) }, 'alert not saved; shown anyway');
    }
    logger.warn(context, 'alert raised');
    publish(alert);
  }

  private async transaction(id: string): Promise<StoredTransaction | null> {
    try {
      return await this.options.ledger.transactions.get(id);
    } catch (error) {
      this.options.logger.warn({ transactionId: id, err: error instanceof Error ? error.message : String(error) }, 'alerted payment not read');
      return null;
    }
  }

  /** The latest card payment of each card, among the most recent payments. */
  private async latestPayments(cardIds: ReadonlySet<string>): Promise<Map<string, StoredTransaction>> {
    const found = new Map<string, StoredTransaction>();
    let cursor: string | null = null;
    for (let seen = 0; seen < revokedCardLookBackPayments && found.size < cardIds.size; seen += lookBackPageRows) {
      const page = await this.options.ledger.journal.list({ kinds: ['payment'], limit: lookBackPageRows, ...(cursor ? { cursor } : {}) });
      for (const transaction of page.transactions) {
        const cardId = transaction.card?.cardId;
        if (cardId && cardIds.has(cardId) && !found.has(cardId)) found.set(cardId, transaction);
      }
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    return found;
  }
}
