// The embedded broker holds clients to the same rules as the Mosquitto ACL: no anonymous or
// wrongly-authenticated client, a terminal cannot read another's answers or speak as central or
// as another terminal, while the legitimate exchange works.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqtt from 'mqtt';
import { topics } from '../../core/wire/topics.js';
import { startEmbeddedBroker } from '../../central/embedded-broker.js';

test('the embedded broker authenticates and authorizes like the production ACL', { timeout: 30_000 }, async () => {
  const broker = await startEmbeddedBroker({
    users: [
      { username: 'central', password: 'pw-central', who: { role: 'central' } },
      { username: 't-alpha01', password: 'pw-a', who: { role: 'terminal', terminalId: 't-alpha01' } },
      { username: 't-bravo02', password: 'pw-b', who: { role: 'terminal', terminalId: 't-bravo02' } },
    ],
  });
  const connect = (username?: string, password?: string) =>
    mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 3000, ...(username ? { username, password } : {}) });
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
