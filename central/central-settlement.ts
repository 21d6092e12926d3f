// Central's side of sync: checks a terminal's push (schema, the terminal it names, its
// authentication tag), then each transaction against the closed set of kinds a terminal may
// push (push-rules.ts) and the evidence its kind needs, records what passes in central's own
// durable ledger exactly once (a repeated id answers with the verdict already given), settles
// it (with its card funding, card-funding.ts, when a card's money moves), and answers with a
// signed verdict per transaction, only after central's ledger has committed it. A transaction
// that fails is rejected by name; the rest of the batch is answered.
import type { Clock } from '../core/clock.js';
import { signMessage } from '../core/wire/auth-tag.js';
import { authenticateRequest } from './authenticate-request.js';
import { pushRequestSchema, type PushResult, type VerdictReason, type WireTransaction } from '../core/wire/sync-messages.js';
import { wireProtocolVersion } from '../core/wire/topics.js';
import type { LogSink } from '../core/log-sink.js';
import { currencyOfAccount, kindOfAccount } from '../core/ledger/accounts.js';
import { agentFloatLimitMinor, cvmLimitMinor, type OfflineLimits } from '../core/ledger/limits.js';
import type { TransactionDraft } from '../core/ledger/transaction.js';
import { addChecked, MoneyError } from '../core/money.js';
import type { Ledger } from '../ledger/ledger.js';
import type { PostingEngine, PostResult } from '../ledger/posting-engine.js';
import type { CentralCards } from './central-cards.js';
import { checkCardPayment } from './card-payment-evidence.js';
import { shapePush, type ShapedPush } from './push-rules.js';
import { checkRefund, checkTopUpFloat, checkVoid, type CorrectionEvidence } from './unit-evidence.js';
import { CentralCorrectionsStore } from '../ledger/stores/central-corrections-store.js';
import { checkCardFundingInRange, openCardFundingAccounts, postCardFunding } from './card-funding.js';

type Verdict = PushResult['results'][number];
/** A transaction ready to post; a top-up carries its float limit, read before any post is queued. */
type Prepared = { terminalId: string; draft: TransactionDraft; transaction: WireTransaction; shaped: ShapedPush; floatLimitMinor: bigint | null };

/** Where central finds what a terminal may do beyond its cards: its limits (the agent's float). */
export interface TerminalLimitsSource {
  limitsOf(terminalId: string): Promise<OfflineLimits>;
}

const postRejections: Partial<Record<PostResult['result'], VerdictReason>> = {
  exists_with_different_content: 'conflicting_content',
  insufficient_funds: 'insufficient_funds',
  original_not_found: 'original_not_found',
};

/** A balance that would leave the signed 64-bit range refuses this transaction, not the batch. */
function overflowIsRefusal(error: unknown): { reason: VerdictReason } {
  if (error instanceof MoneyError) return { reason: 'amount_out_of_range' };
  throw error;
}

/**
 * Throws a MoneyError, before anything is written (a unit that throws after writing stops the
 * ledger), if posting this transaction or settling it would take a balance out of range. The
 * settlement of an offline approval moves its offline-clearing posting to central.
 */
function checkBalancesInRange(engine: PostingEngine, shaped: ShapedPush, settlesOffline: boolean): void {
  addChecked(engine.balanceOf(shaped.debit.accountId), -shaped.amountMinor);
  addChecked(engine.balanceOf(shaped.credit.accountId), shaped.amountMinor);
  const clearing = [shaped.debit, shaped.credit].find((posting) => kindOfAccount(posting.accountId) === 'offline_clearing');
  if (settlesOffline && clearing) addChecked(engine.balanceOf(clearing.accountId.replace(/^offline_clearing:/, 'central:')), BigInt(clearing.amountMinor));
}

/** How a settled kind moves its card's funds: a payment spends them, a refund or void gives back. */
function cardFundsDeltaMinor(shaped: ShapedPush): bigint {
  return shaped.kind === 'card_payment' ? -shaped.amountMinor : shaped.amountMinor;
}

export class CentralSettlement {
  /** Pushes refused for a bad tag or a terminal mismatch, for tests and metrics. */
  refusedCount = 0;
  /** Per terminal, the batch being prepared and queued: the next waits for it. */
  private readonly queuing = new Map<string, Promise<void>>();
  private readonly corrections: CentralCorrectionsStore;

  constructor(
    private readonly ledger: Ledger,
    private readonly masterKey: Uint8Array,
    private readonly clock: Clock,
    private readonly nextId: () => string,
    private readonly log: LogSink,
    /** Central's card issuer, which checks card payments' cryptograms and ATCs. */
    private readonly cards: CentralCards,
    private readonly limits: TerminalLimitsSource,
  ) {
    this.corrections = new CentralCorrectionsStore(ledger);
  }

  /** The push handler for CentralService: answers a signed push_result, or null to refuse. */
  handlePush = async (terminalId: string, payload: Buffer): Promise<Record<string, unknown> | null> => {
    const checked = authenticateRequest(pushRequestSchema, terminalId, payload, this.masterKey);
    if (!checked.ok) return this.refuse(terminalId, checked.reason, checked.detail);
    const { request: push, key } = checked;
    const results = await this.settleBatch(terminalId, push.transactions);
    return signMessage(key, { v: wireProtocolVersion, kind: 'push_result', correlationId: push.correlationId, terminalId, results });
  };

  /**
   * Settles a push in the order the terminal sent it (a wallet's top-up before the spend that
   * needs it): each transaction is shaped and its card evidence checked one at a time, then every
   * post is queued on the engine in push order before any is awaited, so the batch shares group
   * commits without any transaction overtaking an earlier one. A terminal keeps two batches in
   * flight: the second is prepared and queued only once the first is queued, so it never
   * overtakes it either.
   */
  private async settleBatch(terminalId: string, transactions: WireTransaction[]): Promise<Verdict[]> {
    const previous = this.queuing.get(terminalId) ?? Promise.resolve();
    let queued!: () => void;
    const mine = new Promise<void>((resolve) => (queued = resolve));
    this.queuing.set(terminalId, mine);
    let outcomes: Array<Verdict | Promise<Verdict>>;
    try {
      await previous;
      const prepared: Array<Verdict | Prepared> = [];
      for (const transaction of transactions) prepared.push(await this.prepare(terminalId, transaction));
      outcomes = prepared.map((entry) => ('outcome' in entry ? entry : this.post(entry)));
    } finally {
      queued();
      if (this.queuing.get(terminalId) === mine) this.queuing.delete(terminalId);
    }
    return Promise.all(outcomes);
  }

  /** Shapes a pushed transaction, checks its card evidence and opens its accounts; its draft or a rejection. */
  private async prepare(terminalId: string, transaction: WireTransaction): Promise<Verdict | Prepared> {
    const { engine } = this.ledger;
    const rejected = (reason: VerdictReason): Verdict => ({ id: transaction.id, outcome: 'rejected', reason });
    const shaped = shapePush(terminalId, transaction);
    if ('reason' in shaped) return rejected(shaped.reason);
    if (shaped.kind === 'card_payment') {
      const offlineCvmLimit = cvmLimitMinor(await this.limits.limitsOf(terminalId), shaped.currency, 'offline');
      const problem = await checkCardPayment(this.cards, this.log, terminalId, transaction, shaped, offlineCvmLimit);
      if (problem) return rejected(problem);
    }
    for (const posting of [shaped.debit, shaped.credit]) {
      const kind = kindOfAccount(posting.accountId);
      await engine.openAccount({ id: posting.accountId, kind, currency: shaped.currency, createdAtMs: this.clock.nowMs() });
      // Settling an offline approval moves it to the terminal's central account.
      if (kind === 'offline_clearing') await engine.openAccount({ id: `central:${terminalId}:${shaped.currency}`, kind: 'central', currency: shaped.currency, createdAtMs: this.clock.nowMs() });
    }
    await this.openFundingAccounts(transaction, shaped);
    const draft: TransactionDraft = {
      id: transaction.id,
      kind: transaction.kind,
      state: transaction.state === 'approved_offline' || transaction.state === 'approved_online' ? transaction.state : 'posted',
      postings: transaction.postings,
      ...(transaction.referencesId ? { referencesId: transaction.referencesId } : {}),
      ...(transaction.memo ? { memo: transaction.memo } : {}),
      ...(transaction.card ? { card: transaction.card } : {}),
      ...(transaction.operatorId ? { operatorId: transaction.operatorId } : {}),
    };
    const floatLimitMinor = shaped.kind === 'wallet_top_up' ? agentFloatLimitMinor(await this.limits.limitsOf(terminalId), shaped.currency) : null;
    return { terminalId, draft, transaction, shaped, floatLimitMinor };
  }

  /**
   * Opens the card funding accounts a settlement may post to: the tapped card's for a card
   * payment, the original's card for a refund or void (an original later in this batch opened
   * its own when it was prepared, before this one).
   */
  private async openFundingAccounts(transaction: WireTransaction, shaped: ShapedPush): Promise<void> {
    if (shaped.kind === 'card_payment') return openCardFundingAccounts(this.ledger.engine, transaction.card!.cardId, shaped.currency, this.clock.nowMs());
    if (shaped.kind !== 'refund' && shaped.kind !== 'void') return;
    const original = await this.ledger.transactions.get(transaction.referencesId!);
    const first = original?.postings[0];
    if (original?.card && first) await openCardFundingAccounts(this.ledger.engine, original.card.cardId, currencyOfAccount(first.accountId), this.clock.nowMs());
  }

  /**
   * Posts and settles one prepared transaction in one engine unit, queued at once so push order
   * is kept. Its evidence inside the unit (a top-up's float, a refund's or void's original) is
   * checked only when the transaction is new: a repeated push of one central settled answers as
   * before, never judged again against the float or refunds it has itself used. What a new
   * correction records (its claim, the payment's void) and the card funding of what moved a
   * card's money commit in the same unit. Balances that would leave the signed 64-bit range
   * refuse it before anything is written.
   */
  private post({ terminalId, draft, transaction, shaped, floatLimitMinor }: Prepared): Promise<Verdict> {
    const { engine } = this.ledger;
    const rejected = (reason: VerdictReason): Verdict => ({ id: draft.id, outcome: 'rejected', reason });
    return engine
      .guarded(async (unit): Promise<Verdict> => {
        const isNew = !(await unit.transaction(draft.id));
        let evidence: CorrectionEvidence = { record: null, cardId: shaped.kind === 'card_payment' ? transaction.card!.cardId : null };
        if (isNew) {
          if (floatLimitMinor !== null) {
            const problem = checkTopUpFloat(shaped, engine.balanceOf(shaped.debit.accountId), floatLimitMinor);
            if (problem) return rejected(problem);
          }
          if (shaped.kind === 'refund') evidence = await checkRefund(unit, this.corrections, terminalId, transaction, shaped);
          if (shaped.kind === 'void') evidence = await checkVoid(unit, this.corrections, terminalId, transaction, shaped, this.clock.nowMs());
          if ('reason' in evidence) return rejected(evidence.reason);
          checkBalancesInRange(engine, shaped, draft.state === 'approved_offline');
          if (evidence.cardId) checkCardFundingInRange(engine, evidence.cardId, shaped.currency, cardFundsDeltaMinor(shaped));
        }
        const posted = await unit.post(draft, { toOutbox: false });
        if (posted.result !== 'ok' && posted.result !== 'exists') return rejected(postRejections[posted.result] ?? 'shape_invalid');
        if (posted.transaction.state === 'rejected') return rejected('rejected_earlier');
        if (posted.transaction.state === 'approved_offline' || posted.transaction.state === 'approved_online') {
          const settlement = await unit.settle(draft.id, this.nextId(), 'settled');
          if (settlement.result !== 'ok' && settlement.result !== 'exists') return rejected('shape_invalid');
        }
        if (isNew && 'record' in evidence) {
          await evidence.record?.();
          if (evidence.cardId) await postCardFunding(unit, this.nextId(), draft.id, evidence.cardId, shaped.currency, cardFundsDeltaMinor(shaped));
        }
        return { id: draft.id, outcome: 'settled', reason: 'settled' };
      })
      .catch((error: unknown) => rejected(overflowIsRefusal(error).reason));
  }

  private refuse(terminalId: string, reason: string, detail: string): null {
    this.refusedCount += 1;
    this.log.warn({ terminalId, reason, detail }, 'central refused a push');
    return null;
  }
}
