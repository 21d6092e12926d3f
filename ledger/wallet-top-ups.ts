// A field agent's wallet top-up: the customer hands the agent cash and the agent's float credits
// the customer's wallet. The float may not issue more than central granted in that currency
// (the limits central's settings carry), checked in the engine's exclusive unit so two top-ups
// cannot both pass on the state before the other. The top-up waits in state approved_offline
// for central, which checks the same float on its own books; a refused top-up is reversed, and
// what the customer already spent of it is booked to the agent's receivable
// (reversal-postings.ts).
import { accountId } from '../core/ledger/accounts.js';
import { agentFloatLimitMinor, type OfflineLimits } from '../core/ledger/limits.js';
import type { CurrencyCode } from '../core/currency.js';
import type { Clock } from '../core/clock.js';
import type { Ledger } from './ledger.js';
import type { PostResult } from './posting-engine.js';

export interface WalletTopUpRequest {
  /** The top-up's id, generated and kept before posting: the idempotency key end to end. */
  id: string;
  walletId: string;
  currency: CurrencyCode;
  amountMinor: bigint;
}

export type WalletTopUpResult = PostResult | { result: 'amount_not_positive' } | { result: 'float_exceeded'; outstandingMinor: string; floatLimitMinor: string };

export async function postWalletTopUp(ledger: Ledger, request: WalletTopUpRequest, limits: OfflineLimits, clock: Clock): Promise<WalletTopUpResult> {
  if (request.amountMinor <= 0n) return { result: 'amount_not_positive' };
  const floatId = accountId('agent_float', ledger.owner, request.currency);
  await ledger.engine.openAccount({ id: floatId, kind: 'agent_float', currency: request.currency, createdAtMs: clock.nowMs() });
  const floatLimitMinor = agentFloatLimitMinor(limits, request.currency);
  return ledger.engine.guarded(async (unit): Promise<WalletTopUpResult> => {
    // A repeated request answers as the first did, without judging the float it has used.
    const outstandingMinor = -ledger.engine.balanceOf(floatId);
    if (!(await unit.transaction(request.id)) && outstandingMinor + request.amountMinor > floatLimitMinor) {
      return { result: 'float_exceeded', outstandingMinor: outstandingMinor.toString(), floatLimitMinor: floatLimitMinor.toString() };
    }
    return unit.post({
      id: request.id,
      kind: 'wallet_top_up',
      state: 'approved_offline',
      postings: [
        { accountId: floatId, amountMinor: (-request.amountMinor).toString() },
        { accountId: request.walletId, amountMinor: request.amountMinor.toString() },
      ],
    });
  });
}
