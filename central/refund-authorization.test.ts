// Central's online refund authorization against a real central ledger: approved only against a
// settled payment of the asking terminal, within what is left, in its currency; each approval a
// durable claim that a retry under the same id answers again, that the pushed approved_online
// refund settles on (once), and that a second refund under another id counts against.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyLedger } from '../ledger/verifier.js';
import { openCentralRig, rigTerminal } from './central-rig.test-fixture.js';

test('refund authorization: approved within the remainder, idempotent by refund id, a conflicting id named, and the pushed refund settles once on its claim', { timeout: 60_000 }, async () => {
  const rig = await openCentralRig(31);
  try {
    const payment = await rig.cardPayment('USD', 1000n);
    assert.deepEqual((await rig.push([payment])).map((result) => result.reason), ['settled']);
    const ask = (refundId: string, amountMinor: string, currency: 'USD' | 'EUR' = 'USD', originalId = payment.id) => rig.authorizeRefund({ refundId, originalId, amountMinor, currency });
    const [first, second, third] = [rig.nextId(), rig.nextId(), rig.nextId()];

    const approved = await ask(first, '300');
    assert.deepEqual([approved.outcome, approved.reason, approved.remainingMinor, approved.refundId, approved.terminalId], ['approved', null, '700', first, rigTerminal]);
    assert.deepEqual([(await ask(first, '300')).outcome, (await ask(first, '300')).remainingMinor], ['approved', '700'], 'the same refund asked again is approved again, counted once');
    assert.deepEqual(await ask(first, '200').then((answer) => [answer.outcome, answer.reason]), ['declined', 'refund_client_id_conflict']);
    assert.deepEqual(await ask(second, '701').then((answer) => [answer.reason, answer.remainingMinor]), ['refund_exceeds_remaining', '700'], 'a second refund under another id counts the first');
    assert.equal((await ask(second, '700', 'EUR')).reason, 'refund_currency_mismatch');
    assert.equal((await ask(second, '5', 'USD', rig.nextId())).reason, 'original_not_found');
    assert.equal((await ask(payment.id, '5')).reason, 'refund_client_id_conflict', 'an id central already holds for another transaction');
    assert.deepEqual(await ask(second, '700').then((answer) => [answer.outcome, answer.remainingMinor]), ['approved', '0']);
    await rig.reopen();
    assert.deepEqual(await ask(second, '700').then((answer) => [answer.outcome, answer.remainingMinor]), ['approved', '0'], 'the claim is durable: after a restart the retry is the same refund');

    // Pushed as the terminal posts them: approved_online settles only on central's claim.
    const results = await rig.push([rig.refund(payment.id, 'USD', 300n, 'approved_online', first), rig.refund(payment.id, 'USD', 50n, 'approved_online', third), rig.refund(payment.id, 'USD', 700n, 'approved_offline', second)]);
    assert.deepEqual(results.map((result) => result.reason), ['settled', 'not_authorized_online', 'settled'], 'an offline push of a refund approved online is the same refund, counted once');
    assert.deepEqual((await rig.push([rig.refund(payment.id, 'USD', 300n, 'approved_online', first)])).map((result) => result.reason), ['settled'], 'a retried push answers as before');
    assert.equal((await ask(third, '1')).reason, 'refund_exceeds_remaining', 'nothing is left');
    assert.deepEqual((await verifyLedger(rig.ledger)).violations, []);
  } finally {
    await rig.close();
  }
});

test('refund authorization: another terminal\u2019s payment is not found, a voided one is original_reversed, a non-payment is not refundable', { timeout: 60_000 }, async () => {
  const rig = await openCentralRig(32);
  try {
    const theirs = await rig.cardPayment('USD', 800n, 'offline', 't-other001');
    const mine = await rig.cardPayment('USD', 900n);
    assert.deepEqual((await rig.push([theirs], 't-other001')).map((result) => result.reason), ['settled']);
    assert.deepEqual((await rig.push([mine])).map((result) => result.reason), ['settled']);
    const ask = (originalId: string, amountMinor = '100') => rig.authorizeRefund({ refundId: rig.nextId(), originalId, amountMinor, currency: 'USD' });
    assert.deepEqual(await ask(theirs.id).then((answer) => [answer.reason, answer.remainingMinor]), ['original_not_found', '0'], 'never revealed to another terminal');
    const refund = rig.refund(mine.id, 'USD', 100n);
    assert.deepEqual((await rig.push([refund])).map((result) => result.reason), ['settled']);
    assert.equal((await ask(refund.id)).reason, 'original_not_refundable', 'a refund is not a payment');
    const voided = await rig.cardPayment('USD', 400n);
    assert.deepEqual((await rig.push([voided, rig.voidOf(voided.id, 'USD', 400n)])).map((result) => result.reason), ['settled', 'settled']);
    assert.deepEqual(await ask(voided.id).then((answer) => [answer.reason, answer.remainingMinor]), ['original_reversed', '0']);
    assert.equal((await ask(mine.id, '800')).outcome, 'approved');
    assert.deepEqual((await verifyLedger(rig.ledger)).violations, []);
  } finally {
    await rig.close();
  }
});
