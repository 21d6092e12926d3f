// The embedded broker holds clients to the same rules as the Mosquitto ACL: no anonymous or
// wrongly-authenticated client, a terminal cannot read another's answers or speak as central or
// as another terminal, while the legitimate exchange works. A client id is bound to the user
// name: one terminal's password cannot take central's or another terminal's connection over,
// nor connect with a last will on central's presence.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqtt from 'mqtt';
import { topics } from '../../core/wire/topics.js';
import { deriveTerminalSyncKey } from '../../core/wire/auth-tag.js';
import { startEmbeddedBroker } from '../../central/embedded-broker.js';
import { CentralService } from '../../central/central-service.js';
import { MqttLink } from '../../sync/mqtt-link.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { silentLog } from '../../core/log-sink.js';
import { until } from '../harness/until.js';

test('the embedded broker authenticates and authorizes like the production ACL', { timeout: 30_000 }, async () => {
  const broker = await startEmbeddedBroker({
    users: [
      { username: 'central', password: 'pw-central', who: { role: 'central' } },
      { username: 't-alpha01', password: 'pw-a', who: { role: 'terminal', terminalId: 't-alpha01' } },
      { username: 't-bravo02', password: 'pw-b', who: { role: 'terminal', terminalId: 't-bravo02' } },
    ],
  });
  // A client id must be the user name (the broker binds the two).
  const connect = (username?: string, password?: string) =>
    mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 3000, ...(username ? { username, password, clientId: username } : {}) });
  try {
    await assert.rejects(connect(), /Not authorized|Bad username or password|connack/i, 'anonymous');
    await assert.rejects(connect('t-alpha01', 'wrong'), /Not authorized|Bad username or password|connack/i, 'wrong password');

    const central = await connect('central', 'pw-central');
    const alpha = await connect('t-alpha01', 'pw-a');
    const bravo = await connect('t-bravo02', 'pw-b');
    const seenByCentral: string[] = [];
    const seenByBravo: string[] = [];
    central.on('message', (topic) => seenByCentral.push(topic));
    bravo.on('message', (topic) => seenByBravo.push(topic));
    await central.subscribeAsync([topics.allTerminalRequests, topics.centralPresence], { qos: 1 });
    await assert.rejects(bravo.subscribeAsync(topics.terminalResponses('t-alpha01'), { qos: 1 }), /Subscribe error/, "bravo may not subscribe to alpha's answers (SUBACK 128)");
    assert.equal((await bravo.subscribeAsync(topics.terminalResponses('t-bravo02'), { qos: 1 }))[0]?.qos, 1, 'bravo may subscribe to its own');

    await alpha.publishAsync(topics.terminalRequest('t-alpha01', 'heartbeat'), 'own', { qos: 0 });
    // A forbidden publish costs the client its connection (MQTT 3.1.1 has no refusal code).
    await alpha.publishAsync(topics.terminalRequest('t-bravo02', 'push'), 'as bravo', { qos: 0 }).catch(() => undefined);
    const alphaAgain = await connect('t-alpha01', 'pw-a');
    await alphaAgain.publishAsync(topics.centralPresence, 'as central', { qos: 0 }).catch(() => undefined);
    await central.publishAsync(topics.terminalResponses('t-alpha01'), 'answer', { qos: 0 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(seenByCentral, [topics.terminalRequest('t-alpha01', 'heartbeat')], 'only the legitimate request reached central');
    assert.deepEqual(seenByBravo, [], "bravo saw none of alpha's traffic");
    await Promise.all([central.endAsync(true), alpha.endAsync(true), alphaAgain.endAsync(true), bravo.endAsync(true)]);
  } finally {
    await broker.close();
  }
});

test('a terminal password cannot take over central or another terminal, nor will central offline', { timeout: 60_000 }, async () => {
  const masterKey = new Uint8Array(32).fill(4);
  const broker = await startEmbeddedBroker({
    users: [
      { username: 'central', password: 'pw-central', who: { role: 'central' } },
      { username: 't-mallory1', password: 'pw-m', who: { role: 'terminal', terminalId: 't-mallory1' } },
      { username: 't-bravo02', password: 'pw-b', who: { role: 'terminal', terminalId: 't-bravo02' } },
      { username: 't-watch03', password: 'pw-w', who: { role: 'terminal', terminalId: 't-watch03' } },
    ],
  });
  const central = new CentralService({ brokerUrl: broker.url, protocolVersion: 4, masterKey, username: 'central', password: 'pw-central', clock: systemClock, log: silentLog });
  const victim = new MqttLink({
    brokerUrl: broker.url, protocolVersion: 4, terminalId: 't-bravo02', username: 't-bravo02', password: 'pw-b',
    syncKey: deriveTerminalSyncKey(masterKey, 't-bravo02'), clock: systemClock, random: systemRandom, log: silentLog, heartbeatIntervalMs: 200, heartbeatTimeoutMs: 1000,
  });
  const watcher = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0, username: 't-watch03', password: 'pw-w', clientId: 't-watch03' });
  try {
    await central.start();
    victim.start();
    await until('the victim terminal to see central', 10_000, () => victim.status().centralReachable);
    const victimStates: string[] = [];
    victim.onChange(() => victimStates.push(`${victim.status().state}/${victim.status().centralReachable}`));
    const presence: string[] = [];
    watcher.on('message', (_topic, payload) => presence.push(payload.toString()));
    await watcher.subscribeAsync(topics.centralPresence, { qos: 1 });
    await until('the retained presence', 5_000, () => presence.length > 0);

    // Twenty attempts over about three seconds with t-mallory1's password and the victims' client
    // ids (central's, its old fixed one, the victim terminal's, the victim's old one).
    const victims = ['central', 'devpay-central', 't-bravo02', 'terminal-t-bravo02'];
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const clientId = victims[attempt % victims.length]!;
      try {
        const intruder = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 3000, username: 't-mallory1', password: 'pw-m', clientId });
        outcomes.push(`${clientId}: connected`);
        await new Promise((resolve) => setTimeout(resolve, 100));
        await intruder.endAsync(true);
      } catch (error) {
        outcomes.push(`${clientId}: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    }

    // Its own client id, but a last will on central's presence: refused at connect.
    await assert.rejects(
      mqtt.connectAsync(broker.url, {
        protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 3000, username: 't-mallory1', password: 'pw-m', clientId: 't-mallory1',
        will: { topic: topics.centralPresence, payload: Buffer.from('{"v":1,"online":false}'), qos: 1, retain: true },
      }),
      /Not authorized/,
    );
    assert.equal((await victim.checkNow()).centralReachable, true, 'central still answers the victim');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual([...new Set(presence)], ['{"v":1,"online":true}'], 'central never went offline');
    assert.deepEqual(victimStates.filter((state) => state !== 'online/true'), [], 'the victim terminal never lost its link or central');
    for (const outcome of outcomes) assert.match(outcome, /Identifier rejected/, outcome);
  } finally {
    await watcher.endAsync(true);
    await victim.stop();
    await central.stop();
    await broker.close();
  }
});
