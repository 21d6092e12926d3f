// Central's time reaches the terminal only signed: through a real (embedded) broker, a stand-in
// for central answers heartbeats unsigned, under the wrong key, naming another terminal, and
// properly. Only the properly signed answer makes central reachable and sets the clock offset;
// a forged answer does not use up the request, and a terminal without a sync key trusts nothing.
// Through a loopback proxy that stalls, the link with a real central says degraded within one
// heartbeat interval (and the heartbeat's timeout as grace), offline once MQTT's keepalive gives
// up on the silent connection, and online again once bytes flow.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { deriveTerminalSyncKey, signMessage } from '../../core/wire/auth-tag.js';
import { topics } from '../../core/wire/topics.js';
import { startEmbeddedBroker } from '../../central/embedded-broker.js';
import { CentralService } from '../../central/central-service.js';
import { startTcpProxy } from '../harness/tcp-proxy.js';
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
    await until('the broker connection', 10_000, () => link.status().brokerReachable);
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
    await until('the broker connection', 10_000, () => link.status().brokerReachable);
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

test('a stalled link is degraded within one interval, offline after the keepalive, online once it flows', { timeout: 60_000 }, async () => {
  const broker = await startEmbeddedBroker();
  const proxy = await startTcpProxy(broker.port);
  const central = new CentralService({ brokerUrl: broker.url, protocolVersion: 4, masterKey, clock: systemClock, log: collectingLog() });
  await central.start();
  const intervalMs = 300;
  const heartbeatTimeoutMs = 150;
  const link = new MqttLink({ brokerUrl: `mqtt://127.0.0.1:${proxy.port}`, protocolVersion: 4, terminalId, syncKey: deriveTerminalSyncKey(masterKey, terminalId), clock: systemClock, random: systemRandom, log: collectingLog(), heartbeatIntervalMs: intervalMs, heartbeatTimeoutMs, keepaliveSeconds: 1 });
  const states: string[] = [];
  link.onChange(() => {
    if (states.at(-1) !== link.status().state) states.push(link.status().state);
  });
  try {
    link.start();
    await until('online', 10_000, () => link.status().state === 'online');
    assert.equal(link.status().heartbeatIntervalMs, intervalMs);
    assert.equal(link.status().centralUnreachableSinceMs, null, 'null while central answers');
    const lastSeen = () => Date.parse(link.status().centralLastSeenAt ?? '');
    proxy.stall();
    const stalledAtMs = Date.now();
    await until('degraded', 5_000, () => link.status().state === 'degraded', 5);
    const tookMs = Date.now() - stalledAtMs;
    assert.ok(tookMs <= intervalMs + heartbeatTimeoutMs + 50, `degraded ${tookMs} ms after the stall`);
    assert.equal(link.status().brokerReachable, true, 'the broker connection is still up');
    assert.equal(link.status().centralReachable, false);
    assert.equal(link.status().centralUnreachableSinceMs, lastSeen(), 'unreachable since central last answered');
    await until('offline once the keepalive gives up', 10_000, () => link.status().state === 'offline');
    assert.equal(link.status().centralUnreachableSinceMs, lastSeen(), 'still since the last answer');
    proxy.resume();
    await until('online again', 15_000, () => link.status().state === 'online');
    assert.equal(link.status().centralUnreachableSinceMs, null);
    // A reconnect is degraded for the moment its first heartbeat takes (the broker is up, central
    // not yet heard), so the sequence is online, degraded, offline, then possibly degraded, online.
    const sequence = states.slice(states.indexOf('online'));
    assert.deepEqual(sequence.slice(0, 3), ['online', 'degraded', 'offline'], `states: ${states.join(' → ')}`);
    assert.equal(sequence.at(-1), 'online');
  } finally {
    await link.stop();
    await central.stop();
    await proxy.close();
    await broker.close();
  }
});
