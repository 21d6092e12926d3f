// `npm run bench -- sync`: a 10,000-payment offline backlog (virtual card taps) drained to central through Debian's
// mosquitto (MQTT 5, passwords and ACLs as in the tests), central running as its own
// `devpay central` process; and, in the same run, raw mqtt.js QoS 1 publishes of the same count
// and size (one payment's wire form each) to the same broker, as the transport's floor.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';
import { createUlidFactory } from '../core/ids.js';
import { silentLog } from '../core/log-sink.js';
import { fromHex } from '../core/clock.js';
import { loadMasterKey } from '../central/central-node.js';
import { openTestLedger, testOwner } from '../ledger/test-ledger.js';
import { simCardsForEveryCurrency, VirtualCardPayments } from '../test/harness/virtual-card-payments.js';
import { MqttLink } from '../sync/mqtt-link.js';
import { OutboxSync } from '../sync/outbox-sync.js';
import { systemClock, systemRandom } from '../runtime/system-clock.js';
import { findExecutable } from '../test/harness/require-tool.js';
import { centralBrokerUser, startMosquitto, terminalBrokerUser } from '../test/harness/mosquitto.js';
import { runDevpay, startDevpay } from '../test/harness/devpay-process.js';

const backlog = 10_000;

export async function runSyncBench(): Promise<Record<string, unknown>> {
  const binary = findExecutable('mosquitto');
  if (!binary) throw new Error('the sync benchmark needs Debian mosquitto (apt-get install mosquitto)');
  const users = [
    terminalBrokerUser(testOwner, 'pw-terminal'),
    centralBrokerUser('pw-central'),
    { username: 'raw', password: 'pw-raw', acl: ['topic readwrite bench/#'] },
  ];
  const broker = await startMosquitto(binary, mkdtempSync(join(tmpdir(), 'devpay-bench-mqtt-')), users);
  const centralDir = mkdtempSync(join(tmpdir(), 'devpay-bench-central-'));
  const key = (await runDevpay(['provision', '--data', centralDir, '--terminal', testOwner])).stdout.trim();
  // The bench reads central's master key so the virtual cards' keys derive from it: every payment
  // of the backlog is a card tap central checks and claims, as in production.
  const cards = new VirtualCardPayments(loadMasterKey(centralDir, systemRandom), systemClock, systemRandom);
  const central = await startDevpay(['central', '--data', centralDir, '--mqtt', `127.0.0.1:${broker.port}`, '--mqtt-user', 'central', '--sim-cards', String(simCardsForEveryCurrency)], {
    readyPattern: /(DevPay central is answering)/,
    env: { DEVPAY_MQTT_PASSWORD: 'pw-central' },
  });
  const terminal = await openTestLedger(31, mkdtempSync(join(tmpdir(), 'devpay-bench-terminal-')));
  let issued = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (issued < backlog) {
        issued += 1;
        await terminal.ledger.engine.post(cards.offlinePayment(terminal.nextId(), testOwner, issued % 2 ? 'TRY' : 'EUR', BigInt(issued)));
      }
    }),
  );
  const sample = JSON.stringify((await terminal.ledger.database.collections.transactions.findOne().exec())!.toJSON());

  const link = new MqttLink({ brokerUrl: broker.url, protocolVersion: 5, username: testOwner, password: 'pw-terminal', terminalId: testOwner, clock: systemClock, random: systemRandom, log: silentLog, heartbeatIntervalMs: 60_000 });
  const sync = new OutboxSync({ link, ledger: terminal.ledger, terminalId: testOwner, key: fromHex(key), clock: systemClock, random: systemRandom, log: silentLog, nextId: createUlidFactory(systemClock, systemRandom) });
  const started = performance.now();
  link.start();
  sync.start();
  while ((await terminal.ledger.database.collections.outbox.count().exec()) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  const drainS = (performance.now() - started) / 1000;
  await sync.stop();
  await link.stop();
  await terminal.ledger.close();
  await central.stop();

  const raw = await mqtt.connectAsync(broker.url, { protocolVersion: 5, username: 'raw', password: 'pw-raw', clientId: 'bench-raw' });
  const rawStarted = performance.now();
  await Promise.all(Array.from({ length: backlog }, (_, index) => raw.publishAsync(`bench/${index % 16}`, sample, { qos: 1 })));
  const rawS = (performance.now() - rawStarted) / 1000;
  await raw.endAsync();
  await broker.stop();
  const drainPerS = backlog / drainS;
  const rawPerS = backlog / rawS;
  return {
    bench: 'sync',
    backlog,
    drain_s: Number(drainS.toFixed(3)),
    drain_per_s: Math.round(drainPerS),
    raw_publish_per_s: Math.round(rawPerS),
    ratio: Number((drainPerS / rawPerS).toFixed(3)),
    payment_bytes: sample.length,
  };
}
