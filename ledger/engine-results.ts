// What the posting engine answers: the precise result of a post or a state transition, the
// maintained balance of an account, and what a guarded operation may do inside the engine's
// exclusive unit. Kept apart from the engine so callers depend on the answers, not on it.
import type { RxDocumentData } from 'rxdb';
import type { TransactionRuleError } from '../core/ledger/transaction.js';
import type { TransactionDocument } from './schemas.js';
import type { ReversalPlan } from './reversal-postings.js';

export type PostResult =
  | { result: 'ok'; transaction: TransactionDocument }
  | { result: 'exists'; transaction: TransactionDocument }
  | { result: 'exists_with_different_content'; transaction: TransactionDocument }
  | { result: 'invalid_draft'; detail: string }
  | { result: 'rule_violation'; error: TransactionRuleError }
  | { result: 'unknown_account'; accountId: string }
  | { result: 'insufficient_funds'; accountId: string; balanceMinor: string }
  | { result: 'original_not_found'; referencesId: string };

export type TransitionResult =
  | { result: 'ok'; transaction: TransactionDocument; followUp: TransactionDocument | null; receivable: ReversalPlan['receivable'] }
  | { result: 'exists'; transaction: TransactionDocument }
  | { result: 'not_found' }
  | { result: 'invalid_transition'; from: TransactionDocument['state']; to: 'settled' | 'rejected' };

/** A stored transaction without RxDB's bookkeeping fields. */
export function withoutMeta(document: RxDocumentData<TransactionDocument>): TransactionDocument {
  const { _meta, _rev, _deleted, _attachments, ...rest } = document as RxDocumentData<TransactionDocument> & Record<string, unknown>;
  void _meta;
  void _rev;
  void _deleted;
  void _attachments;
  return rest as TransactionDocument;
}

/** What a guarded operation may do inside the engine's exclusive unit (see PostingEngine.guarded). */
export interface EngineUnit {
  post(input: unknown, options?: { toOutbox?: boolean }): Promise<PostResult>;
  /** A transaction as it stands inside the unit, or null. */
  transaction(id: string): Promise<TransactionDocument | null>;
  /** Settles a transaction this unit (or an earlier one) posted, with its settlement entry. */
  settle(id: string, followUpId: string, reason: string): Promise<TransitionResult>;
}

export interface BalanceState {
  balanceMinor: bigint;
  entryCount: number;
  lastTransactionId: string;
}

