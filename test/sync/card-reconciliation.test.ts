// Central reconciles a card payment by its id: a payment central approved online whose answer
// the terminal never used (it timed out and approved offline under the same id) settles once;
// a tap whose cryptogram does not cover the pushed amount is rejected; a second payment of an
// ATC central has already claimed is a double spend, and the card is blocked; a merchant credit
// without a card, or an "online" approval central never gave, is rejected.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromHex, toHex } from '../../core/clock.js';
import { silentLog } from '../../core/log-sink.js';
import { createUlidFactory } from '../../core/ids.js';
import { deriveTerminalSyncKey } from '../../core/wire/auth-tag.js';
import { deriveCardKey, terminalIdHash } from '../../core/card/card-crypto.js';
import { maskPan } from '../../core/card/offline-checks.js';
import { encodeTerminalData, transactionDate } from '../../core/card/terminal-data.js';
import { accountId } from '../../core/ledger/accounts.js';
import { generateCommand, parseGenerateResponse, parseSelectResponse, selectCommand } from '../../device/devpay-card-apdu.js';
import { DevpayCard } from '../../drivers/sim/devpay-card.js';
import { startEmbeddedBroker } from '../../central/embedded-broker.js';
import { startCentralNode } from '../../central/central-node.js';
import { simCardId } from '../../central/central-cards.js';
import { MqttLink } from '../../sync/mqtt-link.js';
import { CardSync } from '../../sync/card-sync.js';
import { OutboxSync } from '../../sync/outbox-sync.js';
import { ReserveStore } from '../../ledger/reserve-store.js';
import { openTestLedger, testOwner } from '../../ledger/test-ledger.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { until } from '../harness/until.js';

test('central settles an offline payment it approved online under the same id, and rejects what does not match', { timeout: 60_000 }, async () => {
  const broker = await startEmbeddedBroker();
  const central = await startCentralNode({
    dataDir: mkdtempSync(join(tmpdir(), 'devpay-central-recon-')),
    brokerUrl: broker.url,
    protocolVersion: 4,
    clock: systemClock,
    random: systemRandom,
    log: silentLog,
    environment: { dataKey: '12'.repeat(32), masterKey: '7c'.repeat(32) },
    simCards: 1,
  });
  const terminal = await openTestLedger(8);
  const key = deriveTerminalSyncKey(central.masterKey, testOwner);
  const reserve = new ReserveStore(terminal.ledger, null);
  await reserve.load();
  const link = new MqttLink({ brokerUrl: broker.url, protocolVersion: 4, terminalId: testOwner, syncKey: key, clock: systemClock, random: systemRandom, log: silentLog, heartbeatIntervalMs: 60_000 });
  const cardSync = new CardSync({ link, terminalId: testOwner, key, reserve, log: silentLog });
  const rejected: Array<[string, string]> = [];
  const sync = new OutboxSync({ link, ledger: terminal.ledger, terminalId: testOwner, key, clock: systemClock, random: systemRandom, log: silentLog, nextId: createUlidFactory(systemClock, systemRandom), initialBackoffMs: 50, onRejected: (id, reason) => rejected.push([id, reason]) });
  const cardIdHex = toHex(simCardId(central.cards.cardMasterKey, 0));
  const card = new DevpayCard(fromHex(cardIdHex), deriveCardKey(central.cards.cardMasterKey, fromHex(cardIdHex)));
  const tap = (amountMinor: bigint) => {
    const terminalData = { amountMinor, currency: 'USD', terminalIdHash: terminalIdHash(testOwner), unpredictableNumber: systemRandom.bytes(4), date: transactionDate(systemClock.nowMs()) };
    card.reset();
    const selected = parseSelectResponse(card.respond(selectCommand()));
    const data = parseGenerateResponse(card.respond(generateCommand(terminalData)), selected.cardId);
    return { data, details: (mode: 'online' | 'offline') => ({ cardId: cardIdHex, atc: data.atc, panMasked: maskPan(data.pan), cryptogram: toHex(data.cryptogram), terminalData: toHex(encodeTerminalData(terminalData)), mode }) };
  };
  const offlinePayment = (id: string, amountMinor: bigint, card: ReturnType<ReturnType<typeof tap>['details']>) => ({
    id,
    kind: 'payment' as const,
    state: 'approved_offline' as const,
    postings: [
      { accountId: accountId('offline_clearing', testOwner, 'USD'), amountMinor: (-amountMinor).toString() },
      { accountId: accountId('merchant', testOwner, 'USD'), amountMinor: amountMinor.toString() },
    ],
    card,
  });
  try {
    link.start();
    await until('central to be reachable', 10_000, async () => link.status().centralReachable);
    // 1. Central approves online; the terminal (as if the answer came too late) approves the same
    //    payment id offline.
    const first = tap(1200n);
    const reconciledId = terminal.nextId();
    const answer = await cardSync.authorize({ paymentId: reconciledId, amountMinor: 1200n, currency: 'USD', card: first.details('online') }, 5000);
    assert.equal(answer.outcome, 'approved');
    // The same tap sent again under another payment id (a sniffed, replayed tap) is declined online.
    const replayed = await cardSync.authorize({ paymentId: terminal.nextId(), amountMinor: 1200n, currency: 'USD', card: first.details('online') }, 5000);
    assert.deepEqual([replayed.outcome, replayed.reason], ['declined', 'atc_replayed']);
    assert.equal((await terminal.ledger.engine.post(offlinePayment(reconciledId, 1200n, first.details('offline')))).result, 'ok');
    // 2. Another payment of the same ATC: a double spend.
    const replayId = terminal.nextId();
    assert.equal((await terminal.ledger.engine.post(offlinePayment(replayId, 1200n, first.details('offline')))).result, 'ok');
    // 3. A genuine tap pushed with another amount than the card signed.
    const second = tap(500n);
    const inflatedId = terminal.nextId();
    assert.equal((await terminal.ledger.engine.post(offlinePayment(inflatedId, 5000n, second.details('offline')))).result, 'ok');

    // 4. A merchant credited from offline clearing with no card at all: money a terminal minted.
    const cardlessId = terminal.nextId();
    const { card: _card, ...cardless } = offlinePayment(cardlessId, 300n, second.details('offline'));
    void _card;
    assert.equal((await terminal.ledger.engine.post(cardless)).result, 'ok');
    // 5. A card payment claiming to be approved online that central never authorized.
    const third = tap(400n);
    const unauthorizedId = terminal.nextId();
    const online = offlinePayment(unauthorizedId, 400n, third.details('offline'));
    const posted = await terminal.ledger.engine.post({ ...online, state: 'approved_online', postings: [{ accountId: accountId('central', testOwner, 'USD'), amountMinor: '-400' }, online.postings[1]!] });
    assert.equal(posted.result, 'ok');

    // 6. The same, with the tap's mode saying online: central holds no claim for it.
    const fourth = tap(450n);
    const forgedOnlineId = terminal.nextId();
    const forged = offlinePayment(forgedOnlineId, 450n, fourth.details('online'));
    assert.equal((await terminal.ledger.engine.post({ ...forged, state: 'approved_online', postings: [{ accountId: accountId('central', testOwner, 'USD'), amountMinor: '-450' }, forged.postings[1]!] })).result, 'ok');

    sync.start();
    await until('the outbox to drain', 20_000, async () => (await sync.summary()).count === 0);
    const states = await terminal.ledger.transactions.getMany([reconciledId, replayId, inflatedId, cardlessId, unauthorizedId, forgedOnlineId]);
    assert.equal(states.get(forgedOnlineId)?.state, 'rejected');
    assert.equal(states.get(cardlessId)?.state, 'rejected');
    assert.equal(states.get(unauthorizedId)?.state, 'rejected');
    assert.equal(states.get(reconciledId)?.state, 'settled', 'the payment central approved online settles under its id');
    assert.equal(states.get(replayId)?.state, 'rejected');
    assert.equal(states.get(inflatedId)?.state, 'rejected');
    assert.deepEqual(new Map(rejected), new Map([[replayId, 'double_spend'], [inflatedId, 'cryptogram_invalid'], [cardlessId, 'card_details_missing'], [unauthorizedId, 'not_a_card_payment'], [forgedOnlineId, 'not_authorized_online']]));
    assert.equal(central.cards.card(cardIdHex)?.state, 'blocked', 'the double spend blocked the card');
    assert.equal(terminal.ledger.engine.balanceOf(accountId('merchant', testOwner, 'USD')), 1200n, 'only the reconciled payment stays');
  } finally {
    await sync.stop();
    await cardSync.stop();
    await link.stop();
    await central.close();
    await terminal.ledger.close();
    await broker.close();
  }
});
