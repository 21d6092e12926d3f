// Property tests: random sequences of payments, FX payments, wallet spends, retries (same and
// altered content), settlements and rejections keep every maintained balance equal to the sum
// of its entries, every currency balanced, and agree with an independent model of what each
// answer should have done to the balances, before and after a reopen.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { accountId } from '../core/ledger/accounts.js';
import { currencyCodes, type CurrencyCode } from '../core/currency.js';
import { convertMinor } from '../core/ledger/fx.js';
import type { TransactionDraft } from '../core/ledger/transaction.js';
import { parseMinorUnits } from '../core/money.js';
import { verifyLedger } from './verifier.js';
import { offlinePayment, openTestLedger, systemAccount } from './test-ledger.js';

type Operation =
  | { type: 'offline'; currency: CurrencyCode; amount: bigint }
  | { type: 'fx'; from: CurrencyCode; to: CurrencyCode; amount: bigint }
  | { type: 'wallet_spend'; amount: bigint }
  | { type: 'retry'; pick: number; alter: boolean }
  | { type: 'verdict'; pick: number; to: 'settled' | 'rejected' };

const currency = fc.constantFrom(...currencyCodes);
const amount = fc.bigInt({ min: 1n, max: 10n ** 12n });
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ type: fc.constant('offline' as const), currency, amount }),
  fc.record({ type: fc.constant('fx' as const), from: currency, to: currency, amount }).filter((value) => value.from !== value.to),
  fc.record({ type: fc.constant('wallet_spend' as const), amount: fc.bigInt({ min: 1n, max: 3000n }) }),
  fc.record({ type: fc.constant('retry' as const), pick: fc.nat(), alter: fc.boolean() }),
  fc.record({ type: fc.constant('verdict' as const), pick: fc.nat(), to: fc.constantFrom('settled' as const, 'rejected' as const) }),
);

test('random postings, FX, retries, settlements and reversals keep the books exact', { timeout: 300_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 1_000_000 }), async (operations, seed) => {
      const handle = await openTestLedger(seed);
      const wallet = accountId('customer_wallet', 'prop', 'USD');
      const model = new Map<string, bigint>();
      const apply = (draft: TransactionDraft): void => {
        for (const posting of draft.postings) model.set(posting.accountId, (model.get(posting.accountId) ?? 0n) + parseMinorUnits(posting.amountMinor));
      };
      try {
        const { engine } = handle.ledger;
        await engine.openAccount({ id: wallet, kind: 'customer_wallet', currency: 'USD', createdAtMs: 0 });
        const topUp: TransactionDraft = { id: handle.nextId(), kind: 'transfer', state: 'posted', postings: [{ accountId: systemAccount('central', 'USD'), amountMinor: '-5000' }, { accountId: wallet, amountMinor: '5000' }] };
        assert.equal((await engine.post(topUp)).result, 'ok');
        apply(topUp);
        const posted: TransactionDraft[] = [];
        for (const step of operations) {
          if (step.type === 'offline' || step.type === 'fx' || step.type === 'wallet_spend') {
            let draft: TransactionDraft;
            if (step.type === 'offline') draft = offlinePayment(handle.nextId(), step.currency, step.amount);
            else if (step.type === 'wallet_spend') draft = { id: handle.nextId(), kind: 'payment', state: 'approved_online', postings: [{ accountId: wallet, amountMinor: (-step.amount).toString() }, { accountId: systemAccount('merchant', 'USD'), amountMinor: step.amount.toString() }] };
            else {
              const converted = convertMinor(step.amount, step.from, step.to, '1.5', 100);
              if (converted === 0n) continue;
              draft = {
                id: handle.nextId(), kind: 'fx_payment', state: 'approved_offline',
                fx: { fromCurrency: step.from, toCurrency: step.to, rate: '1.5', spreadBasisPoints: 100 },
                postings: [
                  { accountId: systemAccount('offline_clearing', step.from), amountMinor: (-step.amount).toString() },
                  { accountId: systemAccount('fx', step.from), amountMinor: step.amount.toString() },
                  { accountId: systemAccount('fx', step.to), amountMinor: (-converted).toString() },
                  { accountId: systemAccount('merchant', step.to), amountMinor: converted.toString() },
                ],
              };
            }
            const balance = model.get(wallet) ?? 0n;
            const result = await engine.post(draft);
            const expectedRefusal = step.type === 'wallet_spend' && balance < step.amount;
            assert.equal(result.result, expectedRefusal ? 'insufficient_funds' : 'ok');
            if (result.result === 'ok') {
              apply(draft);
              posted.push(draft);
            }
          } else if (posted.length > 0) {
            const original = posted[step.pick % posted.length]!;
            if (step.type === 'retry') {
              const retried = step.alter ? { ...original, memo: 'altered' } : original;
              assert.equal((await engine.post(retried)).result, step.alter ? 'exists_with_different_content' : 'exists');
            } else {
              const result = await engine.transition(original.id, step.to, handle.nextId(), 'verdict');
              if (result.result === 'ok' && result.followUp) apply({ ...result.followUp, state: 'posted' } as TransactionDraft);
              assert.ok(['ok', 'exists', 'invalid_transition'].includes(result.result), result.result);
            }
          }
        }
        for (const [account, expected] of model) assert.equal(engine.balanceOf(account), expected, account);
        assert.deepEqual((await verifyLedger(handle.ledger)).violations, []);
        const reopened = await handle.reopen();
        for (const [account, expected] of model) assert.equal(reopened.engine.balanceOf(account), expected, `${account} after reopen`);
        assert.deepEqual((await verifyLedger(reopened)).violations, []);
      } finally {
        await handle.ledger.close();
      }
    }),
    { numRuns: 40, seed: 424242 },
  );
});
