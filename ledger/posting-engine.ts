// The posting engine: the only writer of accounts, transactions, balances, outbox and audit.
// Every operation runs as one unit of work, so its documents reach disk together. Operations
// are serialised in memory (balances are checked against the state every earlier operation
// left) and pipelined on disk (the next operation starts while the previous one waits for its
// group commit). Each answer is a precise result code; nothing is acknowledged before it is
// durable. Balances are maintained here, never recomputed on the hot path.
import type { Clock } from '../core/clock.js';
import { currencyOfAccount, kindOfAccount, mayGoNegative, type Account } from '../core/ledger/accounts.js';
import {
  checkTransactionRules,
  stateTransitions,
  transactionContentKey,
  transactionDraftSchema,
  type TransactionDraft,
  type TransactionRuleError,
} from '../core/ledger/transaction.js';
import { addChecked, parseMinorUnits } from '../core/money.js';
import type { AuditJournal } from './audit-journal.js';
import type { LedgerDatabase } from './ledger-database.js';
import type { RxDocumentData } from 'rxdb';
import { readCurrent, writeInserts, writeUpdates } from './storage-writes.js';
import type { BalanceDocument, OutboxDocument, TransactionDocument } from './schemas.js';
import { isFinalState, TransactionStore } from './transaction-store.js';
import { planReversal, type ReversalPlan } from './reversal-postings.js';
import { type BalanceState, type EngineUnit, type PostResult, type TransitionResult } from './engine-results.js';

export type { BalanceState, EngineUnit, PostResult, TransitionResult } from './engine-results.js';

export class PostingEngine {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly accounts = new Map<string, Account>();
  private readonly balances = new Map<string, BalanceState>();
  /** Offline approvals central has not yet settled or rejected, per currency (the count limit). */
  private readonly offlineOpen = new Map<string, number>();
  /** Every transaction, hot (undecided) and cold (final); the engine is its only writer. */
  readonly transactions: TransactionStore;

  constructor(
    private readonly ledger: LedgerDatabase,
    private readonly audit: AuditJournal,
    private readonly clock: Clock,
  ) {
    this.transactions = new TransactionStore(ledger);
  }

  /** Loads accounts and maintained balances into memory; called once at open. */
  async load(): Promise<void> {
    await this.moveFinalToCold();
    for (const account of await this.ledger.collections.accounts.find().exec()) {
      this.accounts.set(account.id, { id: account.id, kind: account.kind, currency: account.currency, createdAtMs: account.createdAtMs });
    }
    for (const balance of await this.ledger.collections.balances.find().exec()) {
      this.balances.set(balance.accountId, { balanceMinor: parseMinorUnits(balance.balanceMinor), entryCount: balance.entryCount, lastTransactionId: balance.lastTransactionId });
    }
    const open = await this.ledger.collections.transactions.find({ selector: { state: 'approved_offline' } }).exec();
    for (const transaction of open) this.countOffline(transaction, 1);
    this.audit.load();
  }

  /**
   * Ledgers written before the cold store kept final transactions in memory: at the first open
   * they move to cold, in units of a thousand, each atomic. Afterwards this finds nothing.
   */
  private async moveFinalToCold(): Promise<void> {
    const final = await this.ledger.collections.transactions.find({ selector: { state: { $in: ['settled', 'rejected', 'posted'] } } }).exec();
    const ids = final.map((document) => document.id);
    for (let start = 0; start < ids.length; start += 1000) {
      await this.exclusive(async () => {
        for (const id of ids.slice(start, start + 1000)) {
          const document = await this.transactions.getHot(id);
          if (document && isFinalState(document.state)) await this.transactions.finalize(document, { state: document.state, updatedAtMs: document.updatedAtMs });
        }
      });
    }
  }

  /** Offline approvals not yet settled or rejected in a currency. */
  unsettledOfflineCount(currency: string): number {
    return this.offlineOpen.get(currency) ?? 0;
  }

  private countOffline(transaction: Pick<TransactionDocument, 'postings'>, delta: number): void {
    // Only receivables (a payment approved offline) count; a void giving one back does not.
    const clearing = transaction.postings.find((posting) => kindOfAccount(posting.accountId) === 'offline_clearing' && parseMinorUnits(posting.amountMinor) < 0n);
    if (!clearing) return;
    const currency = clearing.accountId.slice(clearing.accountId.lastIndexOf(':') + 1);
    this.offlineOpen.set(currency, (this.offlineOpen.get(currency) ?? 0) + delta);
  }

  /**
   * Runs a check-then-post as one exclusive unit: `operation` sees the state every earlier
   * operation left and may read and write other ledger documents (a reserve token) through
   * storage-writes.ts; whatever it writes commits with the transaction it posts, or not at all.
   */
  guarded<T>(operation: (unit: EngineUnit) => Promise<T>): Promise<T> {
    return this.exclusive(() =>
      operation({
        post: async (input, options = {}) => {
          const parsed = transactionDraftSchema.safeParse(input);
          if (!parsed.success) return { result: 'invalid_draft', detail: parsed.error.issues[0]?.message ?? 'invalid' };
          const ruleError = checkTransactionRules(parsed.data);
          if (ruleError) return { result: 'rule_violation', error: ruleError };
          return this.postChecked(parsed.data, options.toOutbox ?? true);
        },
        transaction: async (id) => {
          const found = await this.findTransaction(id);
          return found ? found : null;
        },
        settle: (id, followUpId, reason) => this.transitionChecked(id, 'settled', followUpId, reason),
      }),
    );
  }

  balanceOf(accountId: string): bigint {
    return this.balances.get(accountId)?.balanceMinor ?? 0n;
  }

  allBalances(): ReadonlyMap<string, BalanceState> {
    return this.balances;
  }

  /** Opens an account if it does not exist; the holder's PII is sealed at rest with the rest. */
  openAccount(account: Account, holder?: { name: string; phone?: string; nationalId?: string }): Promise<'ok' | 'exists'> {
    // Known accounts answer at once: a payment that follows is ordered after the account's
    // creation and waits for the same or a later commit, so it never outruns it on disk.
    if (this.accounts.has(account.id)) return Promise.resolve('exists');
    return this.exclusive(() => this.openAccountInUnit(account, holder));
  }

  private async openAccountInUnit(account: Account, holder?: { name: string; phone?: string; nationalId?: string }): Promise<'ok' | 'exists'> {
    if (this.accounts.has(account.id)) return 'exists';
    await this.ledger.collections.accounts.insert({ ...account, ...(holder ? { holder } : {}) });
    this.accounts.set(account.id, account);
    this.audit.append('account_opened', { accountId: account.id, kind: account.kind, ...(holder ? { holder } : {}) });
    return 'ok';
  }

  /**
   * Posts a transaction, idempotently by its id. A terminal's own payments go to its outbox for
   * central; central records what terminals pushed with `toOutbox: false` (nothing to send on).
   */
  post(input: unknown, options: { toOutbox?: boolean } = {}): Promise<PostResult> {
    const parsed = transactionDraftSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return Promise.resolve({ result: 'invalid_draft', detail: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` });
    }
    const draft = parsed.data;
    let ruleError: TransactionRuleError | null;
    try {
      ruleError = checkTransactionRules(draft);
    } catch (error) {
      return Promise.resolve({ result: 'invalid_draft', detail: (error as Error).message });
    }
    if (ruleError) return Promise.resolve({ result: 'rule_violation', error: ruleError });
    return this.exclusive(() => this.postChecked(draft, options.toOutbox ?? true));
  }

  /**
   * Checks and writes one transaction inside the caller's unit. Transactions made here from
   * central's verdicts (settlements, reversals) mirror entries central has already made, so they
   * stay out of the outbox.
   */
  private async postChecked(draft: TransactionDraft, toOutbox = true): Promise<PostResult> {
    const contentKey = transactionContentKey(draft);
    const existing = await this.findTransaction(draft.id);
    if (existing) {
      const transaction = existing;
      return transactionContentKey(transaction as unknown as TransactionDraft) === contentKey ? { result: 'exists', transaction } : { result: 'exists_with_different_content', transaction };
    }
    if (draft.referencesId && !(await this.findTransaction(draft.referencesId))) {
      return { result: 'original_not_found', referencesId: draft.referencesId };
    }
    const next = new Map<string, bigint>();
    for (const posting of draft.postings) {
      const account = this.accounts.get(posting.accountId);
      if (!account) return { result: 'unknown_account', accountId: posting.accountId };
      const balance = addChecked(this.balanceOf(posting.accountId), parseMinorUnits(posting.amountMinor));
      if (balance < 0n && !mayGoNegative(account.kind)) return { result: 'insufficient_funds', accountId: posting.accountId, balanceMinor: this.balanceOf(posting.accountId).toString() };
      next.set(posting.accountId, balance);
    }
    const nowMs = this.clock.nowMs();
    const transaction: TransactionDocument = {
      id: draft.id,
      kind: draft.kind,
      state: draft.state,
      postings: draft.postings,
      ...(draft.referencesId ? { referencesId: draft.referencesId } : {}),
      ...(draft.fx ? { fx: draft.fx } : {}),
      ...(draft.memo ? { memo: draft.memo } : {}),
      ...(draft.card ? { card: draft.card } : {}),
      ...(draft.operatorId ? { operatorId: draft.operatorId } : {}),
      createdAtMs: nowMs,
      updatedAtMs: nowMs,
    };
    await this.writeTransaction(transaction, next, toOutbox);
    return { result: 'ok', transaction };
  }

  private async writeTransaction(transaction: TransactionDocument, next: Map<string, bigint>, toOutbox: boolean): Promise<void> {
    const collections = this.ledger.collections;
    const balanceDocuments: BalanceDocument[] = [];
    for (const [accountId, balanceMinor] of next) {
      const entryCount = (this.balances.get(accountId)?.entryCount ?? 0) + 1;
      this.balances.set(accountId, { balanceMinor, entryCount, lastTransactionId: transaction.id });
      balanceDocuments.push({ accountId, balanceMinor: balanceMinor.toString(), entryCount, lastTransactionId: transaction.id });
    }
    await this.transactions.insert(transaction);
    const existing = new Map((await readCurrent(collections.balances, balanceDocuments.map((balance) => balance.accountId))).map((document) => [document.accountId, document]));
    const fresh = balanceDocuments.filter((balance) => !existing.has(balance.accountId));
    if (fresh.length > 0) {
      await writeInserts(collections.balances, fresh);
    }
    await writeUpdates(
      collections.balances,
      balanceDocuments.flatMap((balance) => {
        const current = existing.get(balance.accountId);
        return current ? [{ previous: current, change: balance }] : [];
      }),
    );
    if (transaction.state === 'approved_offline') this.countOffline(transaction, 1);
    if (toOutbox) await writeInserts<OutboxDocument>(collections.outbox, [{ id: transaction.id, transactionId: transaction.id, state: 'pending', attempts: 0, createdAtMs: transaction.createdAtMs }]);
    this.audit.append('transaction_posted', {
      transactionId: transaction.id,
      kind: transaction.kind,
      state: transaction.state,
      postings: transaction.postings,
      ...(transaction.referencesId ? { referencesId: transaction.referencesId } : {}),
      ...(transaction.fx ? { fx: transaction.fx } : {}),
    });
  }

  /**
   * Moves a transaction to settled or rejected, as central's verdict says. Settling an offline
   * approval posts a settlement moving the amount from offline clearing to central; rejecting
   * posts a reversal of every posting. The original's postings are never touched.
   */
  transition(id: string, to: 'settled' | 'rejected', followUpId: string, reason: string): Promise<TransitionResult> {
    return this.exclusive(() => this.transitionChecked(id, to, followUpId, reason));
  }

  /**
   * Applies central's verdict on a pushed transaction: the state change, its settlement or
   * reversal, and the removal of its outbox entry, in one unit. Applying a verdict twice is
   * harmless (the second answers exists and the entry is already gone).
   */
  applyVerdict(id: string, to: 'settled' | 'rejected', followUpId: string, reason: string): Promise<TransitionResult> {
    return this.exclusive(async () => {
      const result = await this.transitionChecked(id, to, followUpId, reason);
      const [entry] = await readCurrent(this.ledger.collections.outbox, [id]);
      if (entry) await writeUpdates(this.ledger.collections.outbox, [{ previous: entry, change: { _deleted: true } as Partial<RxDocumentData<OutboxDocument>> }]);
      return result;
    });
  }

  private async transitionChecked(id: string, to: 'settled' | 'rejected', followUpId: string, reason: string): Promise<TransitionResult> {
    const document = await this.findTransaction(id);
    if (!document) return { result: 'not_found' };
    const original = document;
    if (original.state === to) return { result: 'exists', transaction: original };
    if (!stateTransitions[original.state].includes(to)) return { result: 'invalid_transition', from: original.state, to };
    const plan: ReversalPlan = to === 'rejected' ? planReversal(original.postings, (accountId) => this.balanceOf(accountId)) : { postings: this.settlementPostings(original), receivable: null };
    if (plan.receivable) {
      const currency = currencyOfAccount(plan.receivable.accountId);
      await this.openAccountInUnit({ id: plan.receivable.accountId, kind: 'agent_receivable', currency, createdAtMs: this.clock.nowMs() });
    }
    let followUp: TransactionDocument | null = null;
    if (plan.postings.length > 0) {
      const draft: TransactionDraft = { id: followUpId, kind: to === 'rejected' ? 'reversal' : 'settlement', state: 'posted', postings: plan.postings, referencesId: id, memo: reason.slice(0, 200) };
      const posted = await this.postChecked(draft, false);
      if (posted.result !== 'ok') throw new Error(`follow-up of ${id} could not be posted: ${posted.result}`);
      followUp = posted.transaction;
    }
    const hot = await this.transactions.getHot(id);
    if (!hot) throw new Error(`transaction ${id} in state ${original.state} is not in the hot set`);
    await this.transactions.finalize(hot, { state: to, updatedAtMs: this.clock.nowMs() });
    if (original.state === 'approved_offline') this.countOffline(original, -1);
    const updated = (await this.findTransaction(id))!;
    this.audit.append(to === 'rejected' ? 'transaction_rejected' : 'transaction_settled', {
      transactionId: id,
      reason,
      ...(followUp ? { followUpId: followUp.id } : {}),
      ...(plan.receivable ? { receivableAccountId: plan.receivable.accountId, receivableMinor: plan.receivable.amountMinor.toString() } : {}),
    });
    return { result: 'ok', transaction: updated, followUp, receivable: plan.receivable };
  }

  private settlementPostings(original: TransactionDocument): TransactionDraft['postings'] {
    if (original.state !== 'approved_offline') return [];
    // Offline clearing held the receivable; settlement moves it to central's confirmed account.
    return original.postings
      .filter((posting) => kindOfAccount(posting.accountId) === 'offline_clearing')
      .flatMap((posting) => {
        const amount = parseMinorUnits(posting.amountMinor);
        const centralAccount = posting.accountId.replace(/^offline_clearing:/, 'central:');
        return [
          { accountId: posting.accountId, amountMinor: (-amount).toString() },
          { accountId: centralAccount, amountMinor: amount.toString() },
        ];
      });
  }

  /** Looks a transaction up by id, hot then cold, through primary keys (no query planning). */
  private findTransaction(id: string): Promise<TransactionDocument | null> {
    return this.transactions.get(id);
  }

  /** Runs operations one at a time in memory, letting each wait for its commit off the queue. */
  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = turn;
    return previous.then(() => this.ledger.storage.runUnit(operation, release)).finally(release);
  }
}
