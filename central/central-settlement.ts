// Central's side of sync: checks a terminal's push (schema, the terminal it names, its
// authentication tag), then each transaction against the closed set of kinds a terminal may
// push (push-rules.ts) and the evidence its kind needs, records what passes in central's own
// durable ledger exactly once (a repeated id answers with the verdict already given), settles
// it, and answers with a signed verdict per transaction, only after central's ledger has
// committed it. A transaction that fails is rejected by name; the rest of the batch is answered.
import type { Clock } from '../core/clock.js';
import { signMessage } from '../core/wire/auth-tag.js';
import { authenticateRequest } from './authenticate-request.js';
import { pushRequestSchema, type PushResult, type VerdictReason, type WireTransaction } from '../core/wire/sync-messages.js';
import { wireProtocolVersion } from '../core/wire/topics.js';
import type { LogSink } from '../core/log-sink.js';
import { kindOfAccount } from '../core/ledger/accounts.js';
import { agentFloatLimitMinor, type OfflineLimits } from '../core/ledger/limits.js';
import type { TransactionDraft } from '../core/ledger/transaction.js';
import { MoneyError } from '../core/money.js';
import type { Ledger } from '../ledger/ledger.js';
import type { PostResult } from '../ledger/posting-engine.js';
import type { CentralCards } from './central-cards.js';
import { checkCardPayment } from './card-payment-evidence.js';
import { shapePush, type ShapedPush } from './push-rules.js';
import { checkRefund, checkTopUpFloat } from './unit-evidence.js';

type Verdict = PushResult['results'][number];
/** A transaction ready to post; a top-up carries its float limit, read before any post is queued. */
type Prepared = { draft: TransactionDraft; transaction: WireTransaction; shaped: ShapedPush; floatLimitMinor: bigint | null };
type Posted = PostResult | { result: 'refused'; reason: VerdictReason };

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
function overflowIsRefusal(error: unknown): { result: 'refused'; reason: VerdictReason } {
  if (error instanceof MoneyError) return { result: 'refused', reason: 'amount_out_of_range' };
  throw error;
}

export class CentralSettlement {
  /** Pushes refused for a bad tag or a terminal mismatch, for tests and metrics. */
  refusedCount = 0;

  constructor(
    private readonly ledger: Ledger,
    private readonly masterKey: Uint8Array,
    private readonly clock: Clock,
    private readonly nextId: () => string,
    private readonly log: LogSink,
    /** Central's card issuer, which checks card payments' cryptograms and ATCs. */
    private readonly cards: CentralCards,
    private readonly limits: TerminalLimitsSource,
  ) {}

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
   * commits without any payment overtaking an earlier one; settlements follow the same way.
   */
  private async settleBatch(terminalId: string, transactions: WireTransaction[]): Promise<Verdict[]> {
    const { engine } = this.ledger;
    const prepared: Array<Verdict | Prepared> = [];
    for (const transaction of transactions) prepared.push(await this.prepare(terminalId, transaction));
    const posted = await Promise.all(prepared.map((entry) => ('outcome' in entry ? null : this.post(entry))));
    const settled = await Promise.all(
      posted.map((result) =>
        result && (result.result === 'ok' || result.result === 'exists') && (result.transaction.state === 'approved_offline' || result.transaction.state === 'approved_online')
          ? engine.transition(result.transaction.id, 'settled', this.nextId(), 'settled').catch(overflowIsRefusal)
          : null,
      ),
    );
    return prepared.map((entry, index): Verdict => {
      if ('outcome' in entry) return entry;
      const id = entry.draft.id;
      const result = posted[index]!;
      const settlement = settled[index];
      if (result.result === 'refused') return { id, outcome: 'rejected', reason: result.reason };
      if (result.result !== 'ok' && result.result !== 'exists') return { id, outcome: 'rejected', reason: postRejections[result.result] ?? 'shape_invalid' };
      if (result.transaction.state === 'rejected') return { id, outcome: 'rejected', reason: 'rejected_earlier' };
      if (settlement && settlement.result === 'refused') return { id, outcome: 'rejected', reason: settlement.reason };
      if (settlement && settlement.result !== 'ok' && settlement.result !== 'exists') return { id, outcome: 'rejected', reason: 'shape_invalid' };
      return { id, outcome: 'settled', reason: 'settled' };
    });
  }

  /** Shapes a pushed transaction, checks its card evidence and opens its accounts; its draft or a rejection. */
  private async prepare(terminalId: string, transaction: WireTransaction): Promise<Verdict | Prepared> {
    const { engine } = this.ledger;
    const rejected = (reason: VerdictReason): Verdict => ({ id: transaction.id, outcome: 'rejected', reason });
    const shaped = shapePush(terminalId, transaction);
    if ('reason' in shaped) return rejected(shaped.reason);
    if (shaped.kind === 'card_payment') {
      const problem = await checkCardPayment(this.cards, this.log, terminalId, transaction, shaped);
      if (problem) return rejected(problem);
    }
    for (const posting of [shaped.debit, shaped.credit]) {
      const kind = kindOfAccount(posting.accountId);
      await engine.openAccount({ id: posting.accountId, kind, currency: shaped.currency, createdAtMs: this.clock.nowMs() });
      // Settling an offline approval moves it to the terminal's central account.
      if (kind === 'offline_clearing') await engine.openAccount({ id: `central:${terminalId}:${shaped.currency}`, kind: 'central', currency: shaped.currency, createdAtMs: this.clock.nowMs() });
    }
    const draft: TransactionDraft = {
      id: transaction.id,
      kind: transaction.kind,
      state: transaction.state === 'approved_offline' || transaction.state === 'approved_online' ? transaction.state : 'posted',
      postings: transaction.postings,
      ...(transaction.referencesId ? { referencesId: transaction.referencesId } : {}),
      ...(transaction.memo ? { memo: transaction.memo } : {}),
      ...(transaction.card ? { card: transaction.card } : {}),
    };
    const floatLimitMinor = shaped.kind === 'wallet_top_up' ? agentFloatLimitMinor(await this.limits.limitsOf(terminalId), shaped.currency) : null;
    return { draft, transaction, shaped, floatLimitMinor };
  }

  /**
   * Posts one prepared transaction. A top-up and a refund check their evidence inside the
   * engine's unit, after the transaction is known to be new: a repeated push of one central
   * settled answers as before, never judged again against the float it has itself used.
   * Amounts that would overflow a balance are this transaction's rejection, not the batch's.
   */
  private post({ draft, transaction, shaped, floatLimitMinor }: Prepared): Promise<Posted> {
    const { engine } = this.ledger;
    // Queued on the engine at once, with nothing awaited first, so push order is kept.
    const posting =
      shaped.kind === 'wallet_top_up' || shaped.kind === 'refund'
        ? engine.guarded(async (unit): Promise<Posted> => {
            if (!(await unit.transaction(draft.id))) {
              const problem = floatLimitMinor !== null ? checkTopUpFloat(shaped, engine.balanceOf(shaped.debit.accountId), floatLimitMinor) : await checkRefund(unit, transaction, shaped);
              if (problem) return { result: 'refused', reason: problem };
            }
            return unit.post(draft, { toOutbox: false });
          })
        : engine.post(draft, { toOutbox: false });
    return posting.catch(overflowIsRefusal);
  }

  private refuse(terminalId: string, reason: string, detail: string): null {
    this.refusedCount += 1;
    this.log.warn({ terminalId, reason, detail }, 'central refused a push');
    return null;
  }
}
