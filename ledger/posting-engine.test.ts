import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accountId } from '../core/ledger/accounts.js';
import { verifyLedger } from './verifier.js';
import { offlinePayment, openTestLedger, systemAccount } from './test-ledger.js';

test('a payment posts once; a retry answers exists; other content under the same id is refused', async () => {
  const { ledger, nextId } = await openTestLedger();
  const id = nextId();
  assert.equal((await ledger.engine.post(offlinePayment(id, 'TRY', 12_50n))).result, 'ok');
  assert.equal((await ledger.engine.post(offlinePayment(id, 'TRY', 12_50n))).result, 'exists');
  assert.equal((await ledger.engine.post(offlinePayment(id, 'TRY', 12_51n))).result, 'exists_with_different_content');
  assert.equal(ledger.engine.balanceOf(systemAccount('merchant', 'TRY')), 12_50n);
  assert.equal(ledger.engine.balanceOf(systemAccount('offline_clearing', 'TRY')), -12_50n);
  assert.deepEqual((await verifyLedger(ledger)).violations, []);
  await ledger.close();
});

test('unbalanced, zero, unknown-account and malformed drafts get their own result codes', async () => {
  const { ledger, nextId } = await openTestLedger();
  const unbalanced = offlinePayment(nextId(), 'USD', 100n);
  unbalanced.postings[1]!.amountMinor = '99';
  assert.deepEqual(await ledger.engine.post(unbalanced), { result: 'rule_violation', error: { code: 'unbalanced', currency: 'USD', imbalanceMinor: '-1' } });
  const zero = offlinePayment(nextId(), 'USD', 0n);
  assert.equal((await ledger.engine.post(zero)).result, 'rule_violation');
  const unknown = offlinePayment(nextId(), 'USD', 5n);
  unknown.postings[1]!.accountId = 'merchant:someone-else:USD';
  assert.deepEqual(await ledger.engine.post(unknown), { result: 'unknown_account', accountId: 'merchant:someone-else:USD' });
  assert.equal((await ledger.engine.post({ ...offlinePayment(nextId(), 'USD', 5n), postings: [{ accountId: systemAccount('merchant', 'USD'), amountMinor: 5 }] })).result, 'invalid_draft');
  assert.equal((await ledger.engine.post({ ...offlinePayment(nextId(), 'USD', 5n), extra: true })).result, 'invalid_draft');
  const crossCurrency = offlinePayment(nextId(), 'USD', 5n);
  crossCurrency.postings[1]!.accountId = systemAccount('merchant', 'EUR');
  assert.equal((await ledger.engine.post(crossCurrency)).result, 'rule_violation');
  assert.equal((await verifyLedger(ledger)).transactions, 0);
  await ledger.close();
});

test('a customer wallet cannot go below zero', async () => {
  const { ledger, nextId } = await openTestLedger();
  const wallet = accountId('customer_wallet', 'w1', 'IRR');
  await ledger.engine.openAccount({ id: wallet, kind: 'customer_wallet', currency: 'IRR', createdAtMs: 0 }, { name: 'Ali', phone: '+989121234567', nationalId: '0012345678' });
  const topUp = { id: nextId(), kind: 'transfer' as const, state: 'posted' as const, postings: [{ accountId: systemAccount('central', 'IRR'), amountMinor: '-500000' }, { accountId: wallet, amountMinor: '500000' }] };
  assert.equal((await ledger.engine.post(topUp)).result, 'ok');
  const spend = (amount: bigint) => ({ id: nextId(), kind: 'payment' as const, state: 'approved_online' as const, postings: [{ accountId: wallet, amountMinor: (-amount).toString() }, { accountId: systemAccount('merchant', 'IRR'), amountMinor: amount.toString() }] });
  assert.equal((await ledger.engine.post(spend(300000n))).result, 'ok');
  assert.deepEqual(await ledger.engine.post(spend(200001n)), { result: 'insufficient_funds', accountId: wallet, balanceMinor: '200000' });
  assert.equal((await ledger.engine.post(spend(200000n))).result, 'ok');
  assert.equal(ledger.engine.balanceOf(wallet), 0n);
  assert.deepEqual((await verifyLedger(ledger)).violations, []);
  await ledger.close();
});

test('settling an offline payment moves it from clearing to central; rejecting posts a reversal', async () => {
  const { ledger, nextId } = await openTestLedger();
  const settledId = nextId();
  const rejectedId = nextId();
  await ledger.engine.post(offlinePayment(settledId, 'EUR', 40_00n));
  await ledger.engine.post(offlinePayment(rejectedId, 'EUR', 15_00n));
  const settled = await ledger.engine.transition(settledId, 'settled', nextId(), 'central settled');
  assert.equal(settled.result, 'ok');
  const rejected = await ledger.engine.transition(rejectedId, 'rejected', nextId(), 'double spend');
  assert.equal(rejected.result === 'ok' && rejected.followUp?.kind, 'reversal');
  assert.equal((await ledger.engine.transition(rejectedId, 'rejected', nextId(), 'again')).result, 'exists');
  assert.deepEqual(await ledger.engine.transition(rejectedId, 'settled', nextId(), 'late'), { result: 'invalid_transition', from: 'rejected', to: 'settled' });
  assert.equal(ledger.engine.balanceOf(systemAccount('merchant', 'EUR')), 40_00n);
  assert.equal(ledger.engine.balanceOf(systemAccount('offline_clearing', 'EUR')), 0n);
  assert.equal(ledger.engine.balanceOf(systemAccount('central', 'EUR')), -40_00n);
  const report = await verifyLedger(ledger);
  assert.deepEqual(report.violations, []);
  assert.equal(report.transactions, 4);
  await ledger.close();
});

test('a cross-currency payment is linked postings through the FX accounts with the rate recorded', async () => {
  const { ledger, nextId } = await openTestLedger();
  const fxPayment = {
    id: nextId(),
    kind: 'fx_payment' as const,
    state: 'approved_online' as const,
    fx: { fromCurrency: 'USD' as const, toCurrency: 'TRY' as const, rate: '34.25', spreadBasisPoints: 150 },
    postings: [
      { accountId: systemAccount('central', 'USD'), amountMinor: '-10000' },
      { accountId: systemAccount('fx', 'USD'), amountMinor: '10000' },
      { accountId: systemAccount('fx', 'TRY'), amountMinor: '-337362' },
      { accountId: systemAccount('merchant', 'TRY'), amountMinor: '337362' },
    ],
  };
  const posted = await ledger.engine.post(fxPayment);
  assert.equal(posted.result, 'ok');
  assert.deepEqual(posted.result === 'ok' && posted.transaction.fx, fxPayment.fx);
  assert.equal((await ledger.engine.post({ ...fxPayment, id: nextId(), fx: { ...fxPayment.fx, toCurrency: 'EUR' as const } })).result, 'rule_violation');
  assert.deepEqual((await verifyLedger(ledger)).violations, []);
  await ledger.close();
});

test('everything survives a reopen: transactions, balances, audit chain', async () => {
  const handle = await openTestLedger();
  for (let index = 0; index < 20; index += 1) await handle.ledger.engine.post(offlinePayment(handle.nextId(), 'USDT', BigInt(index + 1) * 1_000_000n));
  const ledger = await handle.reopen();
  assert.equal(ledger.engine.balanceOf(systemAccount('merchant', 'USDT')), 210_000_000n);
  const report = await verifyLedger(ledger);
  assert.deepEqual(report.violations, []);
  assert.equal(report.transactions, 20);
  await ledger.close();
});

test('concurrent posts share group commits and all land', async () => {
  const { ledger, nextId } = await openTestLedger();
  const commitsBefore = ledger.database.store.commitCount;
  const results = await Promise.all(Array.from({ length: 64 }, () => ledger.engine.post(offlinePayment(nextId(), 'USD', 1n))));
  assert.ok(results.every((result) => result.result === 'ok'));
  assert.ok(ledger.database.store.commitCount - commitsBefore < 64, 'fewer commits than posts');
  assert.equal(ledger.engine.balanceOf(systemAccount('merchant', 'USD')), 64n);
  assert.deepEqual((await verifyLedger(ledger)).violations, []);
  await ledger.close();
});

test('a second process-level open of the same ledger is refused while the first holds it', async () => {
  const handle = await openTestLedger();
  const { openLedger } = await import('./ledger.js');
  const { LedgerLockedError } = await import('./durable/folder-lock.js');
  const { manualClock, seededRandom } = await import('../core/clock.js');
  const { testDataKey } = await import('./test-ledger.js');
  await assert.rejects(openLedger({ dataDir: handle.dataDir, clock: manualClock(0), random: seededRandom(1), dataKey: testDataKey }), LedgerLockedError);
  await handle.ledger.close();
  const again = await openLedger({ dataDir: handle.dataDir, clock: manualClock(0), random: seededRandom(1), dataKey: testDataKey });
  await again.close();
});
