// What central knows of a payment a correction names, read inside the engine unit that judges
// the correction: the payment as central's books hold it, only when it is the asking terminal's
// own (its merchant posting is that terminal's), so a terminal never learns whether another
// terminal's payment exists; and the corrections already recorded against it. The shared pure
// rules (core/ledger/corrections.ts) then decide, as they do at the terminal.
import { kindOfAccount, currencyOfAccount, ownerOfAccount } from '../core/ledger/accounts.js';
import type { CorrectionDeclineReason, OriginalFacts, PriorCorrections } from '../core/ledger/corrections.js';
import type { Posting } from '../core/ledger/transaction.js';
import { parseMinorUnits } from '../core/money.js';
import type { VerdictReason } from '../core/wire/sync-messages.js';
import type { EngineUnit } from '../ledger/posting-engine.js';
import type { CentralCorrectionsStore } from '../ledger/stores/central-corrections-store.js';

/** A transaction as central's engine unit reads it. */
export type CentralTransaction = NonNullable<Awaited<ReturnType<EngineUnit['transaction']>>>;

export interface TerminalOriginal {
  document: CentralTransaction;
  /** The terminal's merchant posting of it. */
  merchant: Posting;
  facts: OriginalFacts;
}

/** The transaction `originalId` if its merchant posting is `terminalId`'s, else null. */
export async function terminalOriginal(unit: EngineUnit, terminalId: string, originalId: string): Promise<TerminalOriginal | null> {
  const document = await unit.transaction(originalId);
  const merchant = document?.postings.find((posting) => kindOfAccount(posting.accountId) === 'merchant' && ownerOfAccount(posting.accountId) === terminalId);
  if (!document || !merchant) return null;
  return {
    document,
    merchant,
    facts: {
      id: document.id,
      kind: document.kind,
      state: document.state,
      currency: currencyOfAccount(merchant.accountId),
      amountMinor: parseMinorUnits(merchant.amountMinor),
      isCard: document.card !== undefined,
    },
  };
}

/**
 * The refunds and void recorded against a payment. Central keeps each payment's refunded total,
 * not a list: one entry stands for every refund recorded, under an id no refund has, so the rules
 * never take it for the refund being judged (whose own claim is looked up before they run).
 */
export async function priorCorrections(store: CentralCorrectionsStore, originalId: string): Promise<PriorCorrections> {
  const refundedMinor = await store.refundedMinor(originalId);
  return { refunds: refundedMinor > 0n ? [{ id: 'recorded', amountMinor: refundedMinor }] : [], voidId: await store.voidOf(originalId) };
}

/** The verdict a pushed refund or void gets for a refusal of the shared rules. */
export function verdictOf(reason: CorrectionDeclineReason): VerdictReason {
  switch (reason) {
    case 'original_not_found':
    case 'original_not_settled':
    case 'original_reversed':
    case 'refund_currency_mismatch':
    case 'void_after_refund':
    case 'void_window_passed':
      return reason;
    case 'refund_exceeds_remaining':
      return 'refund_exceeds_original';
    case 'refund_client_id_conflict':
      return 'conflicting_content';
    default:
      // Not a payment, not a card payment, an amount the shape already refused: not a correction.
      return 'shape_invalid';
  }
}
