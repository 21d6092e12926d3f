// Refunds and voids pushed to a real central ledger, judged inside the engine unit that posts
// them: two refunds of one batch cannot together pass their payment, a void and a refund of one
// payment exclude each other whichever comes first, a void is accepted only within the window
// of central's settlement by central's clock, only to offline clearing for an offline payment,
// and a refund only in its payment's currency. Central's customer-funds model follows every
// settled card payment, refund and void: each card's funds are what it paid less what came back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { voidWindowMs } from '../core/ledger/corrections.js';
import { verifyLedger } from '../ledger/verifier.js';
import { cardFundsAccount, issuerAccount } from './card-funding.js';
import { openCentralRig, rigCardIds } from './central-rig.test-fixture.js';

const reasons = (results: Array<{ reason: string }>) => results.map((result) => result.reason);

test('refunds: two in one batch cannot together pass the payment; one in another currency is refund_currency_mismatch', { timeout: 60_000 }, async () => {
  const rig = await openCentralRig(41);
  try {
    const payment = await rig.cardPayment('USD', 1000n);
    assert.deepEqual(reasons(await rig.push([payment, rig.refund(payment.id, 'USD', 600n), rig.refund(payment.id, 'USD', 500n), rig.refund(payment.id, 'USD', 400n)])), ['settled', 'settled', 'refund_exceeds_original', 'settled']);
    const euros = await rig.cardPayment('EUR', 1000n);
    assert.deepEqual(reasons(await rig.push([euros, rig.refund(payment.id, 'EUR', 1n), rig.refund(euros.id, 'USD', 1n)])), ['settled', 'refund_currency_mismatch', 'refund_currency_mismatch']);
    assert.deepEqual(reasons(await rig.push([rig.refund(rig.nextId(), 'USD', 1n), rig.refund(payment.id, 'USD', 1n)])), ['original_not_found', 'refund_exceeds_original']);
    assert.deepEqual((await verifyLedger(rig.ledger)).violations, []);
  } finally {
    await rig.close();
  }
});

test('voids: a void then a refund is original_reversed, a refund then a void void_after_refund, a second void original_reversed', { timeout: 60_000 }, async () => {
  const rig = await openCentralRig(42);
  try {
    // An offline payment voided before it was synced: central receives both and nets them.
    const voided = await rig.cardPayment('USD', 700n);
    const theVoid = rig.voidOf(voided.id, 'USD', 700n);
    assert.deepEqual(reasons(await rig.push([voided, theVoid])), ['settled', 'settled']);
    assert.deepEqual(reasons(await rig.push([rig.refund(voided.id, 'USD', 100n), rig.voidOf(voided.id, 'USD', 700n), theVoid])), ['original_reversed', 'original_reversed', 'settled']);
    const refunded = await rig.cardPayment('USD', 500n);
    assert.deepEqual(reasons(await rig.push([refunded, rig.refund(refunded.id, 'USD', 100n), rig.voidOf(refunded.id, 'USD', 500n, 'central')])), ['settled', 'settled', 'void_after_refund']);
    // A refund approved online (claimed, not yet pushed) stops a void too.
    const claimed = await rig.cardPayment('USD', 300n);
    await rig.push([claimed]);
    assert.equal((await rig.authorizeRefund({ refundId: rig.nextId(), originalId: claimed.id, amountMinor: '50', currency: 'USD' })).outcome, 'approved');
    assert.deepEqual(reasons(await rig.push([rig.voidOf(claimed.id, 'USD', 300n)])), ['void_after_refund']);
    assert.deepEqual((await verifyLedger(rig.ledger)).violations, []);
  } finally {
    await rig.close();
  }
});

test('voids: within voidWindowMs of central\u2019s settlement by central\u2019s clock, to offline clearing only for an offline payment, of the whole amount, of this terminal\u2019s card payment', { timeout: 60_000 }, async () => {
  const rig = await openCentralRig(43);
  try {
    const [late, onTime, online] = [await rig.cardPayment('USD', 200n), await rig.cardPayment('USD', 300n), await rig.cardPayment('EUR', 400n, 'online')];
    const theirs = await rig.cardPayment('USD', 250n, 'offline', 't-other001');
    assert.deepEqual(reasons(await rig.push([late])), ['settled']);
    rig.clock.advance(voidWindowMs - 1000);
    assert.deepEqual(reasons(await rig.push([onTime, online])), ['settled', 'settled']);
    assert.deepEqual(reasons(await rig.push([theirs], 't-other001')), ['settled']);
    rig.clock.advance(1000 + 1);
    assert.deepEqual(
      reasons(
        await rig.push([
          rig.voidOf(late.id, 'USD', 200n, 'central'),
          rig.voidOf(online.id, 'EUR', 400n, 'offline_clearing'),
          rig.voidOf(onTime.id, 'USD', 299n),
          rig.voidOf(onTime.id, 'EUR', 300n),
          rig.voidOf(theirs.id, 'USD', 250n),
          rig.voidOf(onTime.id, 'USD', 300n),
          rig.voidOf(online.id, 'EUR', 400n, 'central'),
        ]),
      ),
      ['void_window_passed', 'shape_invalid', 'shape_invalid', 'shape_invalid', 'original_not_found', 'settled', 'settled'],
    );
    assert.deepEqual(reasons(await rig.push([{ ...rig.voidOf(late.id, 'USD', 200n), kind: 'card_funding', state: 'posted' }])), ['kind_not_accepted'], 'card funding is central\u2019s own');
    assert.deepEqual((await verifyLedger(rig.ledger)).violations, []);
  } finally {
    await rig.close();
  }
});

test('customer funds: each card\u2019s funds are -payments + refunds + voids after settlement, mirrored by the issuer, a retried push moves nothing twice, and the books verify', { timeout: 60_000 }, async () => {
  const rig = await openCentralRig(44);
  try {
    const [first, second, third] = [await rig.cardPayment('USD', 1000n), await rig.cardPayment('USD', 600n, 'online'), await rig.cardPayment('USD', 250n)];
    const euros = await rig.cardPayment('EUR', 900n);
    const refundId = rig.nextId();
    assert.equal((await rig.authorizeRefund({ refundId, originalId: euros.id, amountMinor: '400', currency: 'EUR' }).then((answer) => answer.reason)), 'original_not_found', 'not settled at central yet');
    const batch = [first, second, third, euros, rig.refund(first.id, 'USD', 300n), rig.refund(first.id, 'USD', 200n), rig.voidOf(third.id, 'USD', 250n), rig.refund(second.id, 'USD', 700n)];
    assert.deepEqual(reasons(await rig.push(batch)), ['settled', 'settled', 'settled', 'settled', 'settled', 'settled', 'settled', 'refund_exceeds_original']);
    assert.equal((await rig.authorizeRefund({ refundId, originalId: euros.id, amountMinor: '400', currency: 'EUR' })).outcome, 'approved');
    assert.deepEqual(reasons(await rig.push([rig.refund(euros.id, 'EUR', 400n, 'approved_online', refundId)])), ['settled']);
    assert.deepEqual(reasons(await rig.push(batch.slice(0, 7))), Array(7).fill('settled'), 'a retried push answers as before');
    const { engine } = rig.ledger;
    assert.equal(engine.balanceOf(cardFundsAccount(rigCardIds.USD, 'USD')), -1000n - 600n - 250n + 300n + 200n + 250n);
    assert.equal(engine.balanceOf(cardFundsAccount(rigCardIds.EUR, 'EUR')), -900n + 400n);
    assert.equal(engine.balanceOf(issuerAccount('USD')), 1100n);
    assert.equal(engine.balanceOf(issuerAccount('EUR')), 500n);
    const report = await verifyLedger(rig.ledger);
    assert.deepEqual(report.violations, []);
    await rig.reopen();
    assert.equal(rig.ledger.engine.balanceOf(cardFundsAccount(rigCardIds.USD, 'USD')), -1100n, 'the funding is durable');
    assert.deepEqual((await verifyLedger(rig.ledger)).violations, []);
  } finally {
    await rig.close();
  }
});
