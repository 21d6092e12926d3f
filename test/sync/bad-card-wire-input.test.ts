// Bad card traffic at central, through a real broker: malformed JSON, wrong schemas (a PAN where
// the masked one belongs, an ATC of 0, an amount with a decimal point), forged tags and a terminal
// naming another, on the authorize and reserve topics. Each is refused by name, nothing is
// claimed or issued, and central then authorizes a genuine tap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { fromHex, toHex } from '../../core/clock.js';
import { deriveTerminalSyncKey, signMessage } from '../../core/wire/auth-tag.js';
import { topics } from '../../core/wire/topics.js';
import { deriveCardKey, terminalIdHash } from '../../core/card/card-crypto.js';
import { maskPan } from '../../core/card/offline-checks.js';
import { encodeTerminalData, transactionDate } from '../../core/card/terminal-data.js';
import { generateCommand, parseGenerateResponse, parseSelectResponse, selectCommand } from '../../device/devpay-card-apdu.js';
import { DevpayCard } from '../../drivers/sim/devpay-card.js';
import { startEmbeddedBroker } from '../../central/embedded-broker.js';
import { startCentralNode } from '../../central/central-node.js';
import { simCardId } from '../../central/central-cards.js';
import { MqttLink } from '../../sync/mqtt-link.js';
import { CardSync } from '../../sync/card-sync.js';
import { ReserveStore } from '../../ledger/reserve-store.js';
import { openTestLedger, testOwner } from '../../ledger/test-ledger.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { silentLog } from '../../core/log-sink.js';
import { defaultMaxPaymentMinor } from '../../core/ledger/limits.js';
import { until } from '../harness/until.js';
import { collectingLog } from '../harness/collecting-log.js';

test('central refuses malformed, forged or misdirected card requests by name and keeps authorizing', { timeout: 60_000 }, async () => {
  const broker = await startEmbeddedBroker();
  const log = collectingLog();
  const central = await startCentralNode({
    dataDir: mkdtempSync(join(tmpdir(), 'devpay-bad-card-')),
    brokerUrl: broker.url,
    protocolVersion: 4,
    clock: systemClock,
    random: systemRandom,
    log,
    environment: { dataKey: '13'.repeat(32), masterKey: '8d'.repeat(32) },
    simCards: 1,
  });
  const key = deriveTerminalSyncKey(central.masterKey, testOwner);
  const cardIdHex = toHex(simCardId(central.cards.cardMasterKey, 0));
  const card = new DevpayCard(fromHex(cardIdHex), deriveCardKey(central.cards.cardMasterKey, fromHex(cardIdHex)));
  const terminalData = { amountMinor: 700n, currency: 'USD', terminalIdHash: terminalIdHash(testOwner), unpredictableNumber: systemRandom.bytes(4), date: transactionDate(systemClock.nowMs()) };
  const selected = parseSelectResponse(card.respond(selectCommand()));
  const tap = parseGenerateResponse(card.respond(generateCommand(terminalData)), selected.cardId);
  const details = { cardId: cardIdHex, atc: tap.atc, panMasked: maskPan(tap.pan), cryptogram: toHex(tap.cryptogram), terminalData: toHex(encodeTerminalData(terminalData)), mode: 'online' };
  const authorize = { v: 1, kind: 'authorize', correlationId: 'a'.repeat(32), terminalId: testOwner, paymentId: '01M8BBBBBBBBBBBBBBBBBBBBBB', amountMinor: '700', currency: 'USD', card: details };
  const reserve = { v: 1, kind: 'reserve', correlationId: 'b'.repeat(32), terminalId: testOwner, afterCardId: null };
  const cases: Array<[string, string, string]> = [
    ['authorize', '{"v":1,', 'malformed_json'],
    ['authorize', JSON.stringify(signMessage(key, { ...authorize, card: { ...details, panMasked: tap.pan } })), 'invalid_schema'],
    ['authorize', JSON.stringify(signMessage(key, { ...authorize, card: { ...details, atc: 0 } })), 'invalid_schema'],
    ['authorize', JSON.stringify(signMessage(key, { ...authorize, amountMinor: '7.00' })), 'invalid_schema'],
    ['authorize', JSON.stringify({ ...authorize, tag: '0'.repeat(64) }), 'bad_tag'],
    ['authorize', JSON.stringify(signMessage(key, authorize)).replace('"700"', '"70000"'), 'bad_tag'],
    ['authorize', JSON.stringify(signMessage(deriveTerminalSyncKey(central.masterKey, 't-other001'), { ...authorize, terminalId: 't-other001' })), 'terminal_mismatch'],
    ['reserve', JSON.stringify(signMessage(key, { ...reserve, afterCardId: 'not-a-card' })), 'invalid_schema'],
    ['reserve', JSON.stringify({ ...reserve, tag: 'f'.repeat(64) }), 'bad_tag'],
  ];
  const attacker = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
  const terminal = await openTestLedger(12);
  const link = new MqttLink({ brokerUrl: broker.url, protocolVersion: 4, terminalId: testOwner, syncKey: key, clock: systemClock, random: systemRandom, log: silentLog, heartbeatIntervalMs: 60_000 });
  const cardSync = new CardSync({ link, terminalId: testOwner, key, reserve: new ReserveStore(terminal.ledger, null), log: silentLog });
  try {
    for (const [kind, payload] of cases) await attacker.publishAsync(topics.terminalRequest(testOwner, kind), payload, { qos: 1 });
    await until('every refusal to be logged', 10_000, () => log.reasons.length >= cases.length);
    assert.deepEqual(log.reasons, cases.map(([, , reason]) => reason));
    assert.equal(await central.cards.durableHolderOf(cardIdHex, tap.atc), undefined, 'no ATC was claimed');
    assert.equal(central.reserve.issuedCount, 0, 'no token was issued');
    assert.equal(central.authorization.approvedCount + central.authorization.declinedCount, 0);

    link.start();
    await until('central to be reachable', 10_000, async () => link.status().centralReachable);
    const answer = await cardSync.authorize({ paymentId: authorize.paymentId, amountMinor: 700n, currency: 'USD', card: { ...details, mode: 'online' } }, 5000);
    assert.equal(answer.outcome, 'approved', 'the genuine tap is still authorized');
    assert.equal(await central.cards.durableHolderOf(cardIdHex, tap.atc), authorize.paymentId);

    // A genuine tap, signed by the card for an amount above the terminal's maximum (a terminal
    // that skipped its own check): central declines it by name and claims nothing.
    const overMaximum = BigInt(defaultMaxPaymentMinor.USD) + 1n;
    const bigData = { ...terminalData, amountMinor: overMaximum, unpredictableNumber: systemRandom.bytes(4) };
    parseSelectResponse(card.respond(selectCommand()));
    const bigTap = parseGenerateResponse(card.respond(generateCommand(bigData)), selected.cardId);
    const bigDetails = { cardId: cardIdHex, atc: bigTap.atc, panMasked: maskPan(bigTap.pan), cryptogram: toHex(bigTap.cryptogram), terminalData: toHex(encodeTerminalData(bigData)), mode: 'online' as const };
    const refused = await cardSync.authorize({ paymentId: '01M8CCCCCCCCCCCCCCCCCCCCCC', amountMinor: overMaximum, currency: 'USD', card: bigDetails }, 5000);
    assert.deepEqual([refused.outcome, refused.reason], ['declined', 'amount_above_maximum']);
    assert.equal(await central.cards.durableHolderOf(cardIdHex, bigTap.atc), undefined, 'no ATC claimed above the maximum');
  } finally {
    await cardSync.stop();
    await link.stop();
    await attacker.endAsync();
    await central.close();
    await terminal.ledger.close();
    await broker.close();
  }
});
