// The reserve store's purge: expired available tokens and spent tokens of payments central has
// decided are dropped (and stay dropped after a reopen); spent tokens of payments still waiting
// for central stay, so a replay is still declined at once; fresh tokens stay available.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualClock, seededRandom, toHex } from '../../core/clock.js';
import { createUlidFactory } from '../../core/ids.js';
import { terminalIdHash } from '../../core/card/card-crypto.js';
import { encodeTerminalData, transactionDate } from '../../core/card/terminal-data.js';
import { generateCommand, parseGenerateResponse, parseSelectResponse, selectCommand } from '../../device/devpay-card-apdu.js';
import { DevpayCard } from '../../drivers/sim/devpay-card.js';
import { openTestLedger } from '../../ledger/test-ledger.js';
import { ReserveStore } from '../../ledger/reserve-store.js';
import { approveOffline } from '../../ledger/card-payments.js';
import { generousLimits, issueTestReserve, testCardMaster, testReserveKeys } from './card-test-kit.js';

test('purge drops expired tokens and those of decided payments, and keeps the rest', async () => {
  const handle = await openTestLedger(91);
  const clock = manualClock(1_795_000_000_000);
  const nextId = createUlidFactory(clock, seededRandom(5));
  const cardId = Uint8Array.from([3, 1, 4, 1, 5, 9, 2, 6]);
  const card = new DevpayCard(cardId, testCardMaster.cardKeyOf(cardId));
  let reserve = new ReserveStore(handle.ledger, testReserveKeys.publicKey);
  await reserve.load();
  await issueTestReserve(reserve, handle.ledger.owner, card, 6, clock.nowMs());
  const pay = async () => {
    const terminalData = { amountMinor: 100n, currency: 'USD', terminalIdHash: terminalIdHash(handle.ledger.owner), unpredictableNumber: Uint8Array.of(1, 2, 3, 4), date: transactionDate(clock.nowMs()) };
    const selected = parseSelectResponse(card.respond(selectCommand()));
    const tap = parseGenerateResponse(card.respond(generateCommand(terminalData)), selected.cardId);
    const outcome = await approveOffline(handle.ledger, reserve, { paymentId: nextId(), tap, amountMinor: 100n, currency: 'USD', terminalData: encodeTerminalData(terminalData), nowMs: clock.nowMs() }, { limits: generousLimits, isRevoked: () => false, lastCentralContactMs: clock.nowMs() });
    assert.equal(outcome.outcome, 'approved');
    return outcome.outcome === 'approved' ? outcome.transaction.id : '';
  };
  const settledId = await pay();
  const pendingId = await pay();
  assert.equal((await handle.ledger.engine.transition(settledId, 'settled', nextId(), 'settled by central')).result, 'ok');
  // A second card's tokens, expired by the time of the purge.
  const oldCardId = Uint8Array.from([2, 7, 1, 8, 2, 8, 1, 8]);
  await issueTestReserve(reserve, handle.ledger.owner, new DevpayCard(oldCardId, testCardMaster.cardKeyOf(oldCardId)), 3, clock.nowMs() - 366 * 24 * 60 * 60 * 1000);
  assert.equal(reserve.totalAvailable(), 4 + 3);

  assert.deepEqual(await reserve.purge(clock.nowMs()), { expired: 3, settled: 1 });
  assert.equal(reserve.totalAvailable(), 4);
  assert.equal(await reserve.isSpent(toHex(cardId), 1), false, 'the settled payment\u2019s token is gone');
  assert.equal(await reserve.isSpent(toHex(cardId), 2), true, 'the pending payment\u2019s token stays spent');
  void pendingId;

  await handle.reopen();
  reserve = new ReserveStore(handle.ledger, testReserveKeys.publicKey);
  await reserve.load();
  assert.equal(reserve.totalAvailable(), 4, 'the purge is durable');
  assert.equal(reserve.availableFor(toHex(oldCardId)), 0);
  assert.equal(reserve.tokens.count(), 5);
  await handle.ledger.close();
});
