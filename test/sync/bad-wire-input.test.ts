// Bad input from the wire, through a real broker: malformed JSON, wrong schemas, oversize
// payloads, unknown versions, forged tags, a terminal naming another, unknown kinds and replayed
// answers. Each is refused with a logged, named reason; the link stays up, the next valid
// exchange works, and nothing stored changes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { createUlidFactory } from '../../core/ids.js';
import { deriveTerminalSyncKey, signMessage } from '../../core/wire/auth-tag.js';
import { topics } from '../../core/wire/topics.js';
import { openLedger } from '../../ledger/ledger.js';
import { startEmbeddedBroker } from '../../central/embedded-broker.js';
import { CentralService } from '../../central/central-service.js';
import { CentralSettlement } from '../../central/central-settlement.js';
import { MqttLink } from '../../sync/mqtt-link.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { until } from '../harness/until.js';
import { issueVirtualCards, VirtualCardPayments } from '../harness/virtual-card-payments.js';
import { CentralCards, deriveCardMasterKey } from '../../central/central-cards.js';
import { defaultOfflineLimits } from '../../core/ledger/limits.js';
import { collectingLog } from '../harness/collecting-log.js';

test('central refuses every malformed, oversize, unversioned, forged or misdirected push by name', { timeout: 60_000 }, async () => {
  const broker = await startEmbeddedBroker();
  const log = collectingLog();
  const masterKey = new Uint8Array(32).fill(5);
  const ledger = await openLedger({ dataDir: mkdtempSync(join(tmpdir(), 'devpay-bad-central-')), owner: 'central', clock: systemClock, random: systemRandom, dataKey: new Uint8Array(32).fill(6) });
  const cards = new CentralCards(ledger, deriveCardMasterKey(masterKey), systemClock);
  await cards.load();
  await issueVirtualCards(cards);
  const settlement = new CentralSettlement(ledger, masterKey, systemClock, createUlidFactory(systemClock, systemRandom), log, cards, { limitsOf: () => Promise.resolve(defaultOfflineLimits) });
  const central = new CentralService({ brokerUrl: broker.url, protocolVersion: 4, masterKey, clock: systemClock, log, handlers: { push: settlement.handlePush } });
  await central.start();
  const attacker = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
  const terminalId = 't-victim01';
  const key = deriveTerminalSyncKey(masterKey, terminalId);
  const transaction = { ...new VirtualCardPayments(masterKey, systemClock, systemRandom).offlinePayment('01M8AAAAAAAAAAAAAAAAAAAAAA', terminalId, 'USD', 5n), createdAtMs: 1 };
  const push = { v: 1, kind: 'push', correlationId: 'c'.repeat(32), terminalId, sentAtMs: 1, transactions: [transaction] };
  const cases: Array<[string, string | Buffer, string]> = [
    ['push', '{not json', 'malformed_json'],
    ['push', Buffer.from([0xff, 0xfe, 0x00]), 'malformed_json'],
    ['push', JSON.stringify({ ...push, v: 2, tag: '0'.repeat(64) }), 'unsupported_version'],
    ['push', JSON.stringify({ ...push, transactions: [{ ...transaction, postings: [{ accountId: 'x', amountMinor: 5 }] }], tag: '0'.repeat(64) }), 'invalid_schema'],
    ['push', 'x'.repeat(300_000), 'oversize'],
    ['push', JSON.stringify({ ...push, tag: '0'.repeat(64) }), 'bad_tag'],
    ['push', JSON.stringify(signMessage(key, { ...push, transactions: [{ ...transaction, postings: [{ ...transaction.postings[0], amountMinor: '-500' }, { ...transaction.postings[1], amountMinor: '500' }] }] })).replace('"-500"', '"-5"').replace('"500"', '"5"'), 'bad_tag'],
    ['push', JSON.stringify(signMessage(deriveTerminalSyncKey(masterKey, 't-other001'), { ...push, terminalId: 't-other001' })), 'terminal_mismatch'],
    ['frobnicate', '{}', 'unknown_kind'],
  ];
  try {
    for (const [kind, payload] of cases) await attacker.publishAsync(topics.terminalRequest(terminalId, kind), payload, { qos: 1 });
    await until('every refusal to be logged', 10_000, () => log.reasons.length >= cases.length);
    assert.deepEqual(log.reasons, cases.map(([, , reason]) => reason));
    assert.equal(await ledger.transactions.count(), 0, 'nothing was recorded');
    // The genuine push still settles.
    const answers: string[] = [];
    await attacker.subscribeAsync(topics.terminalResponses(terminalId));
    attacker.on('message', (_topic, payload) => answers.push(payload.toString()));
    await attacker.publishAsync(topics.terminalRequest(terminalId, 'push'), JSON.stringify(signMessage(key, push)), { qos: 1 });
    await until('the genuine push to be answered', 10_000, () => answers.length === 1);
    assert.match(answers[0]!, /"outcome":"settled"/);
    assert.equal(await ledger.transactions.count(), 3, 'the payment, its settlement and its card funding (central\u2019s customer-funds model)');
  } finally {
    await attacker.endAsync();
    await central.stop();
    await ledger.close();
    await broker.close();
  }
});

test('the terminal drops malformed and unsolicited answers and keeps its link', { timeout: 60_000 }, async () => {
  const broker = await startEmbeddedBroker();
  const log = collectingLog();
  const masterKey = new Uint8Array(32).fill(7);
  const central = new CentralService({ brokerUrl: broker.url, protocolVersion: 4, masterKey, clock: systemClock, log: collectingLog() });
  await central.start();
  const terminalId = 't-listen01';
  const link = new MqttLink({ brokerUrl: broker.url, protocolVersion: 4, terminalId, syncKey: deriveTerminalSyncKey(masterKey, terminalId), clock: systemClock, random: systemRandom, log, heartbeatIntervalMs: 60_000 });
  const attacker = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
  try {
    link.start();
    await until('the link', 10_000, () => link.status().state === 'online');
    const inputs: Array<[string, string]> = [
      ['not json at all', 'malformed_json'],
      [JSON.stringify({ v: 9, kind: 'heartbeat', correlationId: 'a'.repeat(32) }), 'unsupported_version'],
      [JSON.stringify({ v: 1, kind: 'heartbeat' }), 'invalid_schema'],
      [JSON.stringify({ v: 1, kind: 'push_result', correlationId: 'd'.repeat(32), terminalId, results: [], tag: '0'.repeat(64) }), 'unexpected_correlation'],
      ['y'.repeat(300_000), 'oversize'],
    ];
    for (const [payload] of inputs) await attacker.publishAsync(topics.terminalResponses(terminalId), payload, { qos: 1 });
    await attacker.publishAsync(topics.centralPresence, '{"v":1,"online":"maybe"}', { qos: 1 });
    await until('every refusal to be logged', 10_000, () => log.reasons.length >= inputs.length + 1);
    assert.deepEqual(log.reasons.slice(0, inputs.length), inputs.map(([, reason]) => reason));
    assert.equal(log.reasons[inputs.length], 'invalid_schema', 'a malformed presence is refused too');
    assert.equal(link.status().state, 'online');
    assert.equal((await link.checkNow()).centralReachable, true, 'the link still works');
  } finally {
    await attacker.endAsync();
    await link.stop();
    await central.stop();
    await broker.close();
  }
});
