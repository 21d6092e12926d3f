// The postings of a reversal: what undoes a transaction central rejected. Most reversals are the
// original's postings negated. A customer's wallet may never go below zero, so when a reversal
// would take back more than the wallet still holds (a top-up, or a refund, central refused after
// the customer spent it), the shortfall is booked to the receivable of the wallet's owner (the
// agent's terminal), a suspense account: the agent took the customer's cash, or gave the refund,
// and owes it. A reversal that credits a wallet while that receivable
// is open pays the receivable back first, so once every verdict is applied the terminal's books
// agree with central's, which never held the refused money.
import { accountId, currencyOfAccount, kindOfAccount, ownerOfAccount } from '../core/ledger/accounts.js';
import type { Posting } from '../core/ledger/transaction.js';
import { parseMinorUnits } from '../core/money.js';

export interface ReversalPlan {
  postings: Posting[];
  /** The receivable the plan moves, when it does: negative books a shortfall, positive repays one. */
  receivable: { accountId: string; amountMinor: bigint } | null;
}

export function planReversal(original: readonly Posting[], balanceOf: (accountId: string) => bigint): ReversalPlan {
  const postings: Posting[] = [];
  // What each receivable moves across the whole plan, so two wallet postings of one owner and
  // currency book one receivable posting, each seeing what the one before left.
  const receivableMoves = new Map<string, bigint>();
  const planned = new Map<string, bigint>();
  const balanceNow = (accountId: string): bigint => balanceOf(accountId) + (planned.get(accountId) ?? 0n);
  for (const posting of original) {
    const amount = -parseMinorUnits(posting.amountMinor);
    if (kindOfAccount(posting.accountId) !== 'customer_wallet') {
      postings.push({ accountId: posting.accountId, amountMinor: amount.toString() });
      continue;
    }
    const receivableId = accountId('agent_receivable', ownerOfAccount(posting.accountId), currencyOfAccount(posting.accountId));
    // Taking money back: the wallet gives what it has, the agent owes the rest. Giving money
    // back: an open shortfall (a negative receivable) is repaid first.
    const toReceivable = amount < 0n ? -shortfall(-amount, balanceNow(posting.accountId)) : minBigint(amount, maxBigint(-balanceNow(receivableId), 0n));
    const toWallet = amount - toReceivable;
    planned.set(posting.accountId, (planned.get(posting.accountId) ?? 0n) + toWallet);
    planned.set(receivableId, (planned.get(receivableId) ?? 0n) + toReceivable);
    if (toWallet !== 0n) postings.push({ accountId: posting.accountId, amountMinor: toWallet.toString() });
    if (toReceivable !== 0n) receivableMoves.set(receivableId, (receivableMoves.get(receivableId) ?? 0n) + toReceivable);
  }
  const moves = [...receivableMoves].filter(([, amountMinor]) => amountMinor !== 0n);
  for (const [receivableId, amountMinor] of moves) postings.push({ accountId: receivableId, amountMinor: amountMinor.toString() });
  const [first] = moves;
  return { postings, receivable: first ? { accountId: first[0], amountMinor: first[1] } : null };
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
