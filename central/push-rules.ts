// The closed set of transactions a terminal may push, and the shape each must have. Central
// settles only money it can prove: every accepted kind moves one amount between two of the
// pushing terminal's accounts, in one currency, in a fixed direction and state, and names the
// evidence central then checks (central-settlement.ts): a card payment its card's proof, a
// wallet payment the wallet's balance at central, a wallet top-up the agent's float, a refund
// a settled original (and, approved online, central's own claim of it), a void a card payment
// of this terminal central settled within the void window. Anything else — settlements and reversals (central's own follow-ups), FX,
// test payments, transfers, card funding (central's own customer-funds entries), any other
// account pairing — is refused here by name, before any account is opened or any money moves.
import type { AccountKind } from '../core/ledger/accounts.js';
import { currencyOfAccount, kindOfAccount, ownerOfAccount } from '../core/ledger/accounts.js';
import type { CurrencyCode } from '../core/currency.js';
import { MoneyError, parseMinorUnits } from '../core/money.js';
import type { Posting } from '../core/ledger/transaction.js';
import type { VerdictReason, WireTransaction } from '../core/wire/sync-messages.js';

export type PushedKind = 'card_payment' | 'wallet_payment' | 'wallet_top_up' | 'refund' | 'void';

/** A pushed transaction that has its kind's shape: one amount from `debit` to `credit`. */
export interface ShapedPush {
  kind: PushedKind;
  currency: CurrencyCode;
  amountMinor: bigint;
  debit: Posting;
  credit: Posting;
}

interface PushRule {
  /** The wire kind, and whether it carries a card. */
  transactionKind: WireTransaction['kind'];
  card: boolean;
  debit: readonly AccountKind[];
  credit: readonly AccountKind[];
  states: readonly WireTransaction['state'][];
  referencesOriginal: boolean;
}

/** One row per accepted kind; the threat model (docs/threat-model.md) lists the same rows. */
export const pushRules: Readonly<Record<PushedKind, PushRule>> = {
  card_payment: { transactionKind: 'payment', card: true, debit: ['offline_clearing', 'central'], credit: ['merchant'], states: ['approved_offline', 'approved_online'], referencesOriginal: false },
  wallet_payment: { transactionKind: 'payment', card: false, debit: ['customer_wallet'], credit: ['merchant'], states: ['approved_offline', 'approved_online'], referencesOriginal: false },
  wallet_top_up: { transactionKind: 'wallet_top_up', card: false, debit: ['agent_float'], credit: ['customer_wallet'], states: ['approved_offline'], referencesOriginal: false },
  refund: { transactionKind: 'refund', card: false, debit: ['merchant'], credit: ['central', 'customer_wallet'], states: ['approved_offline', 'approved_online'], referencesOriginal: true },
  void: { transactionKind: 'void', card: false, debit: ['merchant'], credit: ['offline_clearing', 'central'], states: ['approved_offline'], referencesOriginal: true },
};

/** Checks a pushed transaction against the closed set; the shaped push, or the reason it is refused. */
export function shapePush(terminalId: string, transaction: WireTransaction): ShapedPush | { reason: VerdictReason } {
  const amounts: bigint[] = [];
  for (const posting of transaction.postings) {
    try {
      amounts.push(parseMinorUnits(posting.amountMinor));
    } catch (error) {
      if (error instanceof MoneyError) return { reason: 'amount_out_of_range' };
      throw error;
    }
  }
  if (transaction.postings.some((posting) => ownerOfAccount(posting.accountId) !== terminalId)) return { reason: 'foreign_account' };
  const debitIndex = amounts.findIndex((amount) => amount < 0n);
  const creditIndex = amounts.findIndex((amount) => amount > 0n);
  const debit = transaction.postings[debitIndex];
  const credit = transaction.postings[creditIndex];
  const two = transaction.postings.length === 2 && debit !== undefined && credit !== undefined && amounts[debitIndex] === -amounts[creditIndex]!;
  const sameCurrency = two && currencyOfAccount(debit.accountId) === currencyOfAccount(credit.accountId);
  const kind = ruleOf(transaction);
  if (!kind) {
    // A merchant credited from clearing with no card would be money a terminal (or its stolen key) minted.
    const clearing = two && kindOfAccount(credit.accountId) === 'merchant' && ['offline_clearing', 'central'].includes(kindOfAccount(debit.accountId));
    if (transaction.kind === 'payment' && clearing) return { reason: 'card_details_missing' };
    return { reason: transaction.kind === 'payment' ? 'shape_invalid' : 'kind_not_accepted' };
  }
  const rule = pushRules[kind];
  const fits =
    two &&
    sameCurrency &&
    rule.debit.includes(kindOfAccount(debit.accountId)) &&
    rule.credit.includes(kindOfAccount(credit.accountId)) &&
    rule.states.includes(transaction.state) &&
    (transaction.referencesId !== undefined) === rule.referencesOriginal &&
    transaction.fx === undefined;
  if (!fits) return { reason: kind === 'card_payment' ? 'not_a_card_payment' : 'shape_invalid' };
  return { kind, currency: currencyOfAccount(credit.accountId), amountMinor: amounts[creditIndex]!, debit, credit };
}

function ruleOf(transaction: WireTransaction): PushedKind | null {
  for (const [kind, rule] of Object.entries(pushRules) as Array<[PushedKind, PushRule]>) {
    if (rule.transactionKind === transaction.kind && rule.card === (transaction.card !== undefined)) {
      // A card-less payment is a wallet payment only when a wallet pays it.
      if (kind === 'wallet_payment' && transaction.postings.every((posting) => kindOfAccount(posting.accountId) !== 'customer_wallet')) continue;
      return kind;
    }
  }
  return null;
}
