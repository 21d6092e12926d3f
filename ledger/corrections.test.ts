// Refunds and voids on a real ledger in a temporary folder: each rule's refusal by name, the
// same client id answering the same correction, the offline refund limits, where the money goes
// back, and a request saved before central is asked surviving a reopen.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultOfflineLimits } from '../core/ledger/limits.js';
import type { CardDetails } from '../core/ledger/transaction.js';
import { LedgerCorrections, type CorrectionStep } from './corrections.js';
import { offlinePayment, openTestLedger, systemAccount, type TestLedger } from './test-ledger.js';

const card: CardDetails = { cardId: '0011223344556677', atc: 1, panMasked: '123456******4321', cryptogram: '0'.repeat(32), terminalData: '0'.repeat(54), mode: 'offline' };

let nextAtc = 1;

export async function cardPayment(handle: TestLedger, amountMinor: bigint, options: { settle?: boolean } = {}): Promise<string> {
  const id = handle.nextId();
  const posted = await handle.ledger.engine.post({ ...offlinePayment(id, 'USD', amountMinor), card: { ...card, atc: nextAtc++ } });
  assert.equal(posted.result, 'ok');
  if (options.settle ?? true) assert.equal((await handle.ledger.engine.transition(id, 'settled', handle.nextId(), 'settled')).result, 'ok');
  return id;
}

function reasonOf(step: CorrectionStep): string {
  return step.ok ? 'approved' : step.reason;
}

async function refund(corrections: LedgerCorrections, originalId: string, clientId: string, amountMinor: bigint, currency: 'USD' | 'EUR' = 'USD'): Promise<CorrectionStep> {
  const begun = await corrections.beginRefund({ originalId, clientId, amountMinor, currency, nowMs: 1 });
  if (!begun.ok || begun.repeated) return begun;
  return corrections.postRefund(begun.request, 'offline', defaultOfflineLimits);
}

test('partial refunds up to the payment, each named refusal, and the same client id once', async () => {
  const handle = await openTestLedger(21);
  const corrections = new LedgerCorrections(handle.ledger, handle.nextId);
  try {
    const paymentId = await cardPayment(handle, 5000n);
    const first = await refund(corrections, paymentId, 'client-001', 1500n);
    assert.equal(reasonOf(first), 'approved');
    assert.equal(first.remainingMinor, 3500n);
    const again = await refund(corrections, paymentId, 'client-001', 1500n);
    assert.ok(again.ok && again.repeated, 'the same client id answers the refund it made');
    assert.equal(again.ok && again.request.transactionId, first.ok && first.request.transactionId);
    assert.equal(reasonOf(await refund(corrections, paymentId, 'client-001', 1600n)), 'refund_client_id_conflict');
    assert.equal(reasonOf(await refund(corrections, paymentId, 'client-002', 2000n)), 'approved');
    assert.equal(reasonOf(await refund(corrections, paymentId, 'client-003', 2000n)), 'refund_exceeds_remaining');
    assert.equal(reasonOf(await refund(corrections, paymentId, 'client-004', 100n, 'EUR')), 'refund_currency_mismatch');
    assert.equal(reasonOf(await refund(corrections, handle.nextId(), 'client-005', 100n)), 'original_not_found');
    const unsettled = await cardPayment(handle, 700n, { settle: false });
    assert.equal(reasonOf(await refund(corrections, unsettled, 'client-006', 100n)), 'original_not_settled');
    // The merchant gave back 3,500 of 5,000 to central's account for the card, once each.
    assert.equal(handle.ledger.engine.balanceOf(systemAccount('merchant', 'USD')), 5000n - 3500n + 700n);
    assert.equal(handle.ledger.engine.balanceOf(systemAccount('central', 'USD')), -5000n + 3500n);
    const refunds = (await handle.ledger.journal.list({ paymentId, kinds: ['refund'], limit: 10 })).transactions;
    assert.deepEqual(refunds.map((transaction) => [transaction.state, transaction.memo]), [['approved_offline', 'offline'], ['approved_offline', 'offline']]);
  } finally {
    await handle.ledger.close();
  }
});

test('offline refunds stop at the offline refund float and count', async () => {
  const handle = await openTestLedger(22);
  const corrections = new LedgerCorrections(handle.ledger, handle.nextId);
  try {
    const usdLimit = defaultOfflineLimits.currencies.USD!;
    const paymentId = await cardPayment(handle, 50_000n);
    assert.equal(reasonOf(await refund(corrections, paymentId, 'client-101', BigInt(usdLimit.offlineRefundFloatMinor!) + 1n)), 'offline_refund_limit_exceeded');
    assert.equal(reasonOf(await refund(corrections, paymentId, 'client-102', BigInt(usdLimit.offlineRefundFloatMinor!))), 'approved');
    assert.equal(reasonOf(await refund(corrections, paymentId, 'client-103', 1n)), 'offline_refund_limit_exceeded');
    const { USD: _usd, ...others } = defaultOfflineLimits.currencies;
    const begun = await corrections.beginRefund({ originalId: paymentId, clientId: 'client-104', amountMinor: 1n, currency: 'USD', nowMs: 1 });
    assert.ok(begun.ok);
    const withoutUsd = await corrections.postRefund(begun.request, 'offline', { ...defaultOfflineLimits, currencies: others as typeof defaultOfflineLimits.currencies });
    assert.equal(reasonOf(withoutUsd), 'offline_refund_not_allowed');
    // Online, central's approval is the limit: the same request posts.
    assert.equal(reasonOf(await corrections.postRefund(begun.request, 'online', null)), 'approved');
  } finally {
    await handle.ledger.close();
  }
});

test('voids: an unsynced offline payment back through offline clearing, then refusals by name', async () => {
  const handle = await openTestLedger(23);
  const corrections = new LedgerCorrections(handle.ledger, handle.nextId);
  try {
    const unsynced = await cardPayment(handle, 800n, { settle: false });
    const clearing = systemAccount('offline_clearing', 'USD');
    const openBefore = handle.ledger.engine.unsettledOfflineCount('USD');
    const voided = await corrections.void(unsynced, 'void-0001', 1, () => true);
    assert.equal(reasonOf(voided), 'approved');
    assert.equal(handle.ledger.engine.balanceOf(clearing), 0n, 'the receivable is given back');
    assert.equal(handle.ledger.engine.unsettledOfflineCount('USD'), openBefore, 'a void is not another offline approval');
    const repeated = await corrections.void(unsynced, 'void-0001', 2, () => true);
    assert.ok(repeated.ok && repeated.repeated);
    assert.equal(reasonOf(await corrections.void(unsynced, 'void-0002', 3, () => true)), 'original_reversed');
    assert.equal(reasonOf(await refund(corrections, unsynced, 'client-201', 100n)), 'original_reversed');
    const refunded = await cardPayment(handle, 900n);
    assert.equal(reasonOf(await refund(corrections, refunded, 'client-202', 100n)), 'approved');
    assert.equal(reasonOf(await corrections.void(refunded, 'void-0003', 4, () => true)), 'void_after_refund');
    const yesterday = await cardPayment(handle, 900n);
    assert.equal(reasonOf(await corrections.void(yesterday, 'void-0004', 5, () => false)), 'void_window_passed');
    const settledToday = await cardPayment(handle, 400n);
    assert.equal(reasonOf(await corrections.void(settledToday, 'void-0005', 6, () => true)), 'approved');
    const [voidOfSettled] = (await handle.ledger.journal.list({ paymentId: settledToday, kinds: ['void'], limit: 5 })).transactions;
    assert.deepEqual(voidOfSettled?.postings.map((posting) => posting.accountId), [systemAccount('merchant', 'USD'), systemAccount('central', 'USD')]);
  } finally {
    await handle.ledger.close();
  }
});

test('a refund saved before central is asked survives a reopen, and is posted once', async () => {
  const handle = await openTestLedger(24);
  try {
    const paymentId = await cardPayment(handle, 3000n);
    const begun = await new LedgerCorrections(handle.ledger, handle.nextId).beginRefund({ originalId: paymentId, clientId: 'client-301', amountMinor: 1000n, currency: 'USD', nowMs: 1 });
    assert.ok(begun.ok);
    await handle.reopen();
    const corrections = new LedgerCorrections(handle.ledger, handle.nextId);
    const [pending] = await corrections.pendingRequests();
    assert.equal(pending?.transactionId, begun.request.transactionId);
    const retried = await corrections.beginRefund({ originalId: paymentId, clientId: 'client-301', amountMinor: 1000n, currency: 'USD', nowMs: 2 });
    assert.ok(retried.ok && !retried.repeated && retried.request.transactionId === begun.request.transactionId, 'a retry reuses the saved id');
    assert.equal(reasonOf(await corrections.postRefund(pending!, 'online', null)), 'approved');
    assert.equal(reasonOf(await corrections.postRefund(pending!, 'online', null)), 'approved');
    assert.deepEqual(await corrections.pendingRequests(), []);
    assert.equal(handle.ledger.engine.balanceOf(systemAccount('merchant', 'USD')), 2000n, 'posted once');
  } finally {
    await handle.ledger.close();
  }
});
