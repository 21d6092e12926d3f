// TLS on the broker link, with a CA generated for this run: central and a terminal reach each
// other through a TLS-only mosquitto listener and the terminal's outbox drains; a client that
// does not trust the CA, and a client speaking plain MQTT, are both kept out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import mqtt from 'mqtt';
import { requireTools } from '../harness/require-tool.js';
import { centralBrokerUser, startMosquitto, terminalBrokerUser } from '../harness/mosquitto.js';
import { makeTestCa } from '../harness/tls-ca.js';
import { runDevpay, startDevpay } from '../harness/devpay-process.js';
import { writeCardBacklog } from '../harness/card-backlog.js';
import { simCardsForEveryCurrency } from '../harness/virtual-card-payments.js';
import { freshDir } from '../harness/output-dir.js';
import { apiCall } from '../harness/api-call.js';

const terminalId = 't-tls00001';

test('central and terminal over TLS with a CA made for this run; untrusting and plain clients are refused', { timeout: 90_000 }, async (context) => {
  const tools = requireTools(context, ['mosquitto', 'mosquitto_passwd', 'openssl']);
  if (!tools) return;
  const ca = makeTestCa(tools[2]!, freshDir('tls-ca'));
  const broker = await startMosquitto(
    tools[0]!,
    freshDir('tls-mqtt'),
    [
      terminalBrokerUser(terminalId, 'pw-t'),
      centralBrokerUser('pw-c'),
    ],
    undefined,
    { certfile: ca.serverCert, keyfile: ca.serverKey },
  );
  const centralDir = freshDir('tls-central');
  const terminalDir = freshDir('tls-terminal');
  writeFileSync(`${terminalDir}/terminal.json`, JSON.stringify({ terminalId, createdAt: '2026-11-24T00:00:00.000Z' }));
  const syncKey = (await runDevpay(['provision', '--data', centralDir, '--terminal', terminalId])).stdout.trim();
  await writeCardBacklog({ terminalDir, terminalId, centralDir, count: 3 });
  const address = `127.0.0.1:${broker.port}`;
  const central = await startDevpay(['central', '--data', centralDir, '--mqtt', address, '--mqtt-user', 'central', '--mqtt-ca', ca.caCert, '--sim-cards', String(simCardsForEveryCurrency)], {
    readyPattern: /(DevPay central is answering through mqtts:)/,
    env: { DEVPAY_MQTT_PASSWORD: 'pw-c' },
  });
  const terminal = await startDevpay(['serve', '--no-pcsc', '--data', terminalDir, '--port', '0', '--mqtt', address, '--mqtt-user', terminalId, '--mqtt-ca', ca.caCert], {
    env: { DEVPAY_MQTT_PASSWORD: 'pw-t', DEVPAY_SYNC_KEY: syncKey },
  });
  try {
    const deadline = Date.now() + 20_000;
    let current = (await apiCall<{ link: { centralReachable: boolean }; sync: { unsyncedCount: number } }>(terminal.url, 'status.get')).result;
    while (!(current.link.centralReachable && current.sync.unsyncedCount === 0)) {
      assert.ok(Date.now() < deadline, `central reachable and outbox drained over TLS: ${JSON.stringify(current)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      current = (await apiCall<{ link: { centralReachable: boolean }; sync: { unsyncedCount: number } }>(terminal.url, 'status.get')).result;
    }
    await assert.rejects(
      mqtt.connectAsync(broker.url, { protocolVersion: 5, username: terminalId, password: 'pw-t', reconnectPeriod: 0, connectTimeout: 3000, rejectUnauthorized: true }),
      /self-signed|unable to verify|certificate/i,
      'a client that does not trust the CA is refused',
    );
    await assert.rejects(
      mqtt.connectAsync(`mqtt://${address}`, { protocolVersion: 5, username: terminalId, password: 'pw-t', reconnectPeriod: 0, connectTimeout: 3000 }),
      'plain MQTT is not spoken on the TLS listener',
    );
  } finally {
    await terminal.stop();
    await central.stop();
    await broker.stop();
  }
});
