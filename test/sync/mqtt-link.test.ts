// Central's time reaches the terminal only signed: through a real (embedded) broker, a stand-in
// for central answers heartbeats unsigned, under the wrong key, naming another terminal, and
// properly. Only the properly signed answer makes central reachable and sets the clock offset;
// a forged answer does not use up the request, and a terminal without a sync key trusts nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { deriveTerminalSyncKey, signMessage } from '../../core/wire/auth-tag.js';
import { topics } from '../../core/wire/topics.js';
import { startEmbeddedBroker } from '../../central/embedded-broker.js';
import { MqttLink } from '../../sync/mqtt-link.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { until } from '../harness/until.js';
import { collectingLog } from '../harness/collecting-log.js';

const masterKey = new Uint8Array(32).fill(8);
const terminalId = 't-clock001';
const hourMs = 3_600_000;

type Answer = (request: { correlationId: string }) => Array<Record<string, unknown>>;

/** A stand-in for central that answers each heartbeat with whatever `answer` says. */
async function fakeCentral(brokerUrl: string): Promise<{ client: MqttClient; requests: string[]; answer: { current: Answer } }> {
  const client = await mqtt.connectAsync(brokerUrl, { protocolVersion: 4, clientId: 'central' });
  const requests: string[] = [];
  const answer: { current: Answer } = { current: () => [] };
  client.on('message', (topic, payload) => {
    requests.push(topic);
    const request = JSON.parse(payload.toString()) as { correlationId: string };
    for (const message of answer.current(request)) client.publish(topics.terminalResponses(terminalId), JSON.stringify(message), { qos: 1 });
  });
  await client.subscribeAsync(topics.allTerminalRequests, { qos: 1 });
  return { client, requests, answer };
}

const body = (correlationId: string, offsetMs: number, named = terminalId) => ({ v: 1, kind: 'heartbeat', correlationId, terminalId: named, centralTimeMs: systemClock.nowMs() + offsetMs });

test('a heartbeat answer counts only with a valid tag for this terminal', { timeout: 30_000 }, async () => {
  const broker = await startEmbeddedBroker();
  const central = await fakeCentral(broker.url);
  const log = collectingLog();
  const key = deriveTerminalSyncKey(masterKey, terminalId);
  const link = new MqttLink({ brokerUrl: broker.url, protocolVersion: 4, terminalId, syncKey: key, clock: systemClock, random: systemRandom, log, heartbeatIntervalMs: 60_000, heartbeatTimeoutMs: 500 });
  try {
    link.start();
    await until('the link', 10_000, () => link.status().state === 'online');
    // The heartbeat sent on connecting goes unanswered, so it cannot meet the answers below.
    await until('the first heartbeat', 5_000, () => central.requests.length === 1);
    const refused: Array<[Answer, string]> = [
      [({ correlationId }) => [body(correlationId, hourMs)], 'bad_tag'],
      [({ correlationId }) => [signMessage(new Uint8Array(32).fill(1), body(correlationId, hourMs))], 'bad_tag'],
      [({ correlationId }) => [signMessage(deriveTerminalSyncKey(masterKey, 't-other001'), body(correlationId, hourMs))], 'bad_tag'],
      [({ correlationId }) => [signMessage(key, body(correlationId, hourMs, 't-other001'))], 'terminal_mismatch'],
    ];
    for (const [answer, reason] of refused) {
      central.answer.current = answer;
      log.reasons.length = 0;
      assert.deepEqual(await link.checkNow(), { centralReachable: false, roundTripMs: null }, reason);
      assert.deepEqual(log.reasons, [reason]);
      assert.equal(link.status().centralReachable, false);
      assert.equal(link.status().clockOffsetMs, null, 'a refused answer sets no clock offset');
      assert.equal(link.status().centralLastSeenAt, null);
    }

    // Central's own answer, after a forged one for the same request: the forged one is refused
    // and the request still takes the genuine answer.
    central.answer.current = ({ correlationId }) => [body(correlationId, hourMs), signMessage(key, body(correlationId, 0))];
    log.reasons.length = 0;
    assert.equal((await link.checkNow()).centralReachable, true);
    assert.deepEqual(log.reasons, ['bad_tag']);
    const offsetMs = link.status().clockOffsetMs;
    assert.ok(offsetMs !== null && Math.abs(offsetMs) < 1000, `clock offset ${offsetMs} ms from central's signed time`);

    // Unsigned again: central stops counting as reachable and the offset stays what it was.
    central.answer.current = ({ correlationId }) => [body(correlationId, hourMs)];
    assert.equal((await link.checkNow()).centralReachable, false);
    assert.equal(link.status().centralReachable, false);
    assert.equal(link.status().clockOffsetMs, offsetMs);
  } finally {
    await link.stop();
    await central.client.endAsync(true);
    await broker.close();
  }
});

test('a terminal without a sync key sends no heartbeat and never counts central as reachable', { timeout: 30_000 }, async () => {
  const broker = await startEmbeddedBroker();
  const central = await fakeCentral(broker.url);
  central.answer.current = ({ correlationId }) => [body(correlationId, 0)];
  const log = collectingLog();
  const link = new MqttLink({ brokerUrl: broker.url, protocolVersion: 4, terminalId, clock: systemClock, random: systemRandom, log, heartbeatIntervalMs: 100, heartbeatTimeoutMs: 500 });
  try {
    link.start();
    await until('the link', 10_000, () => link.status().state === 'online');
    assert.deepEqual(await link.checkNow(), { centralReachable: false, roundTripMs: null });
    // An unsolicited answer, however it looks, is no evidence of central either.
    await central.client.publishAsync(topics.terminalResponses(terminalId), JSON.stringify(signMessage(new Uint8Array(32), body('e'.repeat(32), 0))), { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(link.status().centralReachable, false);
    assert.equal(link.status().clockOffsetMs, null);
    assert.deepEqual(central.requests, [], 'no heartbeat was sent');
    assert.deepEqual([...new Set(log.reasons)], ['no_sync_key', 'unexpected_correlation']);
    assert.equal(log.reasons.filter((reason) => reason === 'no_sync_key').length, 1, 'said once, not every heartbeat');
  } finally {
    await link.stop();
    await central.client.endAsync(true);
    await broker.close();
  }
});
