// The message keys that follow a code defined in core: one per decline reason, per reason central
// gives for refusing a synced transaction, per API error code, per alert kind and reason. Typing
// them from core's own lists means a new code added there fails to compile until every
// catalogue says it in the merchant's words.
import type { DeclineReason } from '../../core/card/decline-reasons.js';
import type { VerdictReason } from '../../core/wire/sync-messages.js';
import type { ApiErrorCode } from '../../core/api/envelope.js';
import type { syncStates } from '../../core/api/corrections.js';
import type { reconciliationDifferenceSchema } from '../../core/api/day-reports.js';
import type { PrintFailureCode } from '../../core/api/receipts.js';
import type { DeviceStatus } from '../../core/api/status.js';
import type { AccountKind } from '../../core/ledger/accounts.js';
import type { CorrectionDeclineReason } from '../../core/ledger/corrections.js';
import type { TransactionKind } from '../../core/ledger/transaction.js';

/** Every reason a synced transaction can be refused for (settled is not a refusal). */
export type RejectionReason = Exclude<VerdictReason, 'settled'>;

/**
 * What the merchant should do after central refused and reversed a payment. Several reasons
 * call for the same action, so the action is said once per group rather than once per reason.
 */
export type RejectionAction = 'collect_again' | 'card_blocked' | 'call_support';

export const rejectionActions: Readonly<Record<RejectionReason, RejectionAction>> = {
  kind_not_accepted: 'call_support',
  shape_invalid: 'call_support',
  foreign_account: 'call_support',
  amount_out_of_range: 'call_support',
  conflicting_content: 'call_support',
  rejected_earlier: 'call_support',
  insufficient_funds: 'collect_again',
  card_details_missing: 'call_support',
  not_a_card_payment: 'call_support',
  card_unknown: 'collect_again',
  card_blocked: 'card_blocked',
  wrong_currency: 'collect_again',
  cryptogram_invalid: 'card_blocked',
  not_authorized_online: 'collect_again',
  double_spend: 'card_blocked',
  double_spend_online: 'card_blocked',
  float_exceeded: 'call_support',
  original_not_found: 'call_support',
  original_not_settled: 'call_support',
  refund_exceeds_original: 'call_support',
  original_reversed: 'call_support',
  void_window_passed: 'call_support',
  void_after_refund: 'call_support',
  refund_currency_mismatch: 'call_support',
  cvm_missing: 'collect_again',
};

/** Reasons central names when it blocks a card; any other reason is said generically. */
export const revocationReasons = ['double_spend'] as const;
export type RevocationReason = (typeof revocationReasons)[number] | 'other';

/** The two movements of an agent's receivable the runtime raises alerts for. */
export const receivableReasons = ['refused_after_spending', 'receivable_repaid'] as const;
export type ReceivableReason = (typeof receivableReasons)[number] | 'other';

export type ReasonKey =
  | `decline.${DeclineReason}`
  | `rejection.${RejectionReason}`
  | `rejection.action.${RejectionAction}`
  | `error.reason.${ApiErrorCode}`
  | 'alert.payment_rejected.title'
  | 'alert.payment_rejected.what'
  | 'alert.card_revoked.title'
  | `alert.card_revoked.what.${RevocationReason}`
  | 'alert.card_revoked.todo'
  | `alert.agent_receivable.title.${ReceivableReason}`
  | `alert.agent_receivable.what.${ReceivableReason}`
  | `alert.agent_receivable.todo.${ReceivableReason}`;

/** A receipt printer's named problem from its status bytes (core/api/status.ts). */
export type PrinterProblem = NonNullable<DeviceStatus['problem']>;
export type SyncStateCode = (typeof syncStates)[number];
export type DifferenceProblem = ReturnType<typeof reconciliationDifferenceSchema.parse>['problem'];

/**
 * The merchant's day in core's own terms: why a refund or void is declined, why a print failed,
 * what the printer reports, and the names of transaction kinds, ledger accounts, sync states
 * and reconciliation problems, each said in the merchant's words.
 */
export type LedgerTermKey =
  | `correction.${CorrectionDeclineReason}`
  | `print.failure.${PrintFailureCode}`
  | `printer.problem.${PrinterProblem}`
  | `kind.${TransactionKind}`
  | `account.${AccountKind}`
  | `syncState.${SyncStateCode}`
  | `day.problem.${DifferenceProblem}`;
