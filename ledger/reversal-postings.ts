// The postings of a reversal: what undoes a transaction central rejected. Most reversals are the
// original's postings negated. A customer's wallet may never go below zero, so when a reversal
// would take back more than the wallet still holds (a top-up central refused after the customer
// spent it), the shortfall is booked to the agent's receivable, a suspense account: the agent
// took the customer's cash and owes it. A reversal that credits a wallet while that receivable
// is open pays the receivable back first, so once every verdict is applied the terminal's books
// agree with central's, which never held the refused money.
import { accountId, kindOfAccount, currencyOfAccount } from '../core/ledger/accounts.js';
import type { Posting } from '../core/ledger/transaction.js';
import { parseMinorUnits } from '../core/money.js';

export interface ReversalPlan {
  postings: Posting[];
  /** The receivable the plan moves, when it does: negative books a shortfall, positive repays one. */
  receivable: { accountId: string; amountMinor: bigint } | null;
}

/** The owner part of "<kind>:<owner>:<currency>". */
function ownerOf(id: string): string {
  return id.slice(id.indexOf(':') + 1, id.lastIndexOf(':'));
}

export function planReversal(original: readonly Posting[], balanceOf: (accountId: string) => bigint): ReversalPlan {
  const postings: Posting[] = [];
  let receivable: ReversalPlan['receivable'] = null;
  for (const posting of original) {
    const amount = -parseMinorUnits(posting.amountMinor);
    if (kindOfAccount(posting.accountId) !== 'customer_wallet' || receivable !== null) {
      postings.push({ accountId: posting.accountId, amountMinor: amount.toString() });
      continue;
    }
    const receivableId = accountId('agent_receivable', ownerOf(posting.accountId), currencyOfAccount(posting.accountId));
    const toReceivable = amount < 0n ? -shortfall(-amount, balanceOf(posting.accountId)) : minBigint(amount, maxBigint(-balanceOf(receivableId), 0n));
    const toWallet = amount - toReceivable;
    if (toWallet !== 0n) postings.push({ accountId: posting.accountId, amountMinor: toWallet.toString() });
    if (toReceivable !== 0n) {
      postings.push({ accountId: receivableId, amountMinor: toReceivable.toString() });
      receivable = { accountId: receivableId, amountMinor: toReceivable };
    }
  }
  return { postings, receivable };
}

/** Taking `amount` back from a wallet holding `balance`: what the wallet cannot give. */
function shortfall(amount: bigint, balance: bigint): bigint {
  return amount - minBigint(amount, maxBigint(balance, 0n));
}

function maxBigint(left: bigint, right: bigint): bigint {
  return left > right ? left : right;
}

function minBigint(left: bigint, right: bigint): bigint {
  return left < right ? left : right;
}
