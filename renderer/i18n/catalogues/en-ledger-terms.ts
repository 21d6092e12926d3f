// English messages for the merchant's day in core's own codes: refund and void declines
// (core/ledger/corrections.ts), print failures (core/api/receipts.ts), printer problems
// (core/api/status.ts), transaction kinds, ledger accounts in merchant terms, sync states and
// reconciliation problems. A new code in core fails to compile until every catalogue says it.
import type { LedgerTermKey } from '../reason-keys.js';

export const enLedgerTerms: Record<LedgerTermKey, string> = {
  // Why a refund or a void was declined: what happened, then what to do.
  'correction.original_not_found': 'No payment with this id is known on this terminal.',
  'correction.original_not_refundable': 'Only a sale can be refunded.',
  'correction.original_not_voidable': 'Only a card sale can be voided.',
  'correction.original_not_settled': 'Central has not settled this sale yet. Void it, or sync and then refund.',
  'correction.original_reversed': 'This sale was voided or reversed; nothing is left to refund.',
  'correction.refund_currency_mismatch': 'A refund must be in the currency of the sale.',
  'correction.refund_amount_invalid': 'The refund amount is not valid.',
  'correction.refund_exceeds_remaining': 'The refund is more than what is left to refund on this sale.',
  'correction.refund_client_id_conflict': 'This refund request was already used for another refund. Close the dialog and start again.',
  'correction.offline_refund_not_allowed': 'Refunds are not allowed offline in this currency. Reconnect first.',
  'correction.offline_refund_limit_exceeded': 'The offline refund limit for this currency is reached. Sync first.',
  'correction.void_after_refund': 'This sale has refunds; refund the rest instead of voiding.',
  'correction.void_window_passed': 'This sale can no longer be voided; refund it instead.',
  'correction.central_unavailable': 'Central did not answer. Try again.',
  'correction.terminal_storage_failed': 'This terminal cannot record corrections now (storage failed). Nothing was refunded or voided.',

  // Why a print failed, as the end of "Not printed: {reason}".
  'print.failure.printer_paper_out': 'the printer is out of paper',
  'print.failure.printer_cover_open': 'the printer’s cover is open',
  'print.failure.printer_offline': 'the printer is offline',
  'print.failure.printer_timeout': 'the printer did not answer in time',
  'print.failure.printer_unreachable': 'the printer cannot be reached',
  'print.failure.printer_status_invalid': 'the printer’s status could not be read',
  'print.failure.printer_not_configured': 'no receipt printer is set up',
  'print.failure.printer_busy': 'the printer is busy with another print',

  // The printer's problem on the status bar, as the end of "Printer: {problem}".
  'printer.problem.paper_out': 'paper out',
  'printer.problem.paper_near_end': 'paper low',
  'printer.problem.cover_open': 'cover open',
  'printer.problem.offline': 'offline',
  'printer.problem.unreachable': 'not reachable',
  'printer.problem.timeout': 'not answering',
  'printer.problem.status_invalid': 'status unreadable',

  // Transaction kinds.
  'kind.payment': 'Sale',
  'kind.settlement': 'Settlement',
  'kind.reversal': 'Reversal',
  'kind.transfer': 'Transfer',
  'kind.fx_payment': 'Sale in another currency',
  'kind.test_payment': 'Test payment',
  'kind.wallet_top_up': 'Wallet top-up',
  'kind.refund': 'Refund',
  'kind.void': 'Void',
  'kind.card_funding': 'Card funding',

  // Ledger accounts in the merchant's terms.
  'account.customer_wallet': 'Customer wallet',
  'account.merchant': 'Merchant',
  'account.offline_clearing': 'Offline clearing',
  'account.central': 'Central',
  'account.fx': 'Currency exchange',
  'account.agent_float': 'Agent float',
  'account.agent_receivable': 'Owed by the agent',
  'account.card_funds': 'Card funds',
  'account.issuer': 'Card issuer',
  'account.test': 'Test source',
  'account.test_sink': 'Test sink',

  // Sync states.
  'syncState.pending': 'Pending',
  'syncState.settled': 'Settled',
  'syncState.reversed': 'Reversed',
  'syncState.rejected': 'Rejected',
  'syncState.local': 'Local entry',

  // Reconciliation differences with central.
  'day.problem.missing_at_central': 'Missing at central',
  'day.problem.missing_at_terminal': 'Missing on this terminal',
  'day.problem.amount_differs': 'Amounts differ',
  'day.problem.state_differs': 'States differ',
};
