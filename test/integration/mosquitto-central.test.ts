// Real processes against Debian's mosquitto with passwords and an ACL generated for the run:
// `devpay central` and `devpay serve` connect with their own credentials over MQTT 5, the
// terminal sees central reachable, drains its outbox to central's ledger through the ACL, a
// neighbour's credentials cannot read its topics or speak as central, and central's crash
// (SIGKILL) is seen through its last will.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import mqtt from 'mqtt';
import { topics } from '../../core/wire/topics.js';
import { requireTools } from '../harness/require-tool.js';
import { centralBrokerUser, startMosquitto, type MosquittoUser, terminalBrokerUser } from '../harness/mosquitto.js';
import { runDevpay, startDevpay } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { until } from '../harness/until.js';
import { apiCall } from '../harness/api-call.js';
import { setUpAdmin } from '../harness/operator-sign-in.js';
import { writeCardBacklog } from '../harness/card-backlog.js';
import { simCardsForEveryCurrency } from '../harness/virtual-card-payments.js';

const terminalA = 't-alpha001';
const terminalB = 't-bravo002';

const terminalUser = (terminalId: string): MosquittoUser => terminalBrokerUser(terminalId);
const centralUser = centralBrokerUser();

test('terminal and central talk through mosquitto with ACLs; the last will reports central gone', { timeout: 90_000 }, async (context) => {
  const tools = requireTools(context, ['mosquitto', 'mosquitto_passwd']);
  if (!tools) return;
  const broker = await startMosquitto(tools[0]!, freshDir('mosquitto'), [terminalUser(terminalA), terminalUser(terminalB), centralUser]);
  const dataDir = freshDir('terminal-a');
  writeFileSync(`${dataDir}/terminal.json`, JSON.stringify({ terminalId: terminalA, createdAt: '2026-11-24T00:00:00.000Z' }));
  const mqttAddress = `127.0.0.1:${broker.port}`;
  const centralDir = freshDir('central');
  // Central provisions the terminal's sync key; the terminal has payments waiting in its outbox.
  const provisioned = await runDevpay(['provision', '--data', centralDir, '--terminal', terminalA]);
  assert.equal(provisioned.code, 0, provisioned.stderr);
  const syncKey = provisioned.stdout.trim();
  assert.match(syncKey, /^[0-9a-f]{64}$/);
  await writeCardBacklog({ terminalDir: dataDir, terminalId: terminalA, centralDir, count: 5 });
  const central = await startDevpay(['central', '--data', centralDir, '--mqtt', mqttAddress, '--mqtt-user', 'central', '--sim-cards', String(simCardsForEveryCurrency)], {
    readyPattern: /(DevPay central is answering)/,
    env: { DEVPAY_MQTT_PASSWORD: 'pw-central' },
  });
  const terminal = await startDevpay(['serve', '--no-pcsc', '--data', dataDir, '--port', '0', '--mqtt', mqttAddress, '--mqtt-user', terminalA], {
    env: { DEVPAY_MQTT_PASSWORD: `pw-${terminalA}`, DEVPAY_SYNC_KEY: syncKey },
  });
  const neighbour = await mqtt.connectAsync(broker.url, { protocolVersion: 5, username: terminalB, password: `pw-${terminalB}`, clientId: 'neighbour', reconnectPeriod: 0 });
  try {
    // link.checkNow is for a signed-in operator: the fresh terminal's first admin, with its setup code.
    await setUpAdmin(terminal.url, { syncKey, terminalId: terminalA, pin: '6093815' });
    const linkOf = async () => ((await apiCall(terminal.url, 'status.get')).result as { link: Record<string, unknown> }).link;
    await until('central reachable through mosquitto', 20_000, async () => (await linkOf()).centralReachable === true);
    const link = await linkOf();
    assert.equal(link.state, 'online');
    assert.equal(link.brokerReachable, true);
    assert.equal(typeof link.centralRoundTripMs, 'number');
    // Both clocks are this machine's: the measured offset is within the round trip.
    assert.ok(Math.abs(link.clockOffsetMs as number) <= (link.centralRoundTripMs as number) + 5, `clock offset ${link.clockOffsetMs} ms`);
    const syncOf = async () => ((await apiCall(terminal.url, 'status.get')).result as { sync: { provisioned: boolean; unsyncedCount: number; offlineLimits: unknown } }).sync;
    await until('the outbox to drain to central', 20_000, async () => (await syncOf()).unsyncedCount === 0);
    // Central's offline limits arrived through the replicated settings (RxDB pull over MQTT).
    await until('the offline limits', 20_000, async () => (await syncOf()).offlineLimits !== null);
    assert.equal((await syncOf()).provisioned, true);

    // The neighbour may not read terminal A's responses nor speak as central.
    // Mosquitto may grant the subscription, but its ACL withholds every message on delivery.
    await neighbour.subscribeAsync([topics.terminalResponses(terminalA), topics.terminalRequest(terminalA, '+')], { qos: 1 });
    const seen: string[] = [];
    neighbour.on('message', (topic) => seen.push(topic));
    await assert.rejects(
      neighbour.publishAsync(topics.centralPresence, JSON.stringify({ v: 1, online: false }), { qos: 1, retain: true }),
      /Not authorized/,
      'publishing as central is refused by the broker',
    );
    const checked = await apiCall(terminal.url, 'link.checkNow');
    assert.equal((checked.result as { centralReachable: boolean }).centralReachable, true, 'the forged presence did not reach the terminal');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(seen, [], 'the neighbour saw none of terminal A\'s heartbeat traffic');

    // Central dies without a goodbye: the broker publishes its last will and the terminal sees it.
    assert.equal(await central.stop('SIGKILL'), 'SIGKILL');
    await until('central unreachable after SIGKILL', 20_000, async () => (await linkOf()).centralReachable === false);
    assert.equal((await linkOf()).brokerReachable, true);
    const centralBooks = await runDevpay(['ledger', 'verify', '--data', centralDir]);
    assert.equal(centralBooks.code, 0, centralBooks.stdout + centralBooks.stderr);
    assert.match(centralBooks.stdout, /"ok":true,"transactions":15,/, 'central holds each pushed payment once, with its settlement and its card funding entry');
  } finally {
    await neighbour.endAsync(true);
    await terminal.stop();
    await central.stop();
    await broker.stop();
  }
  assert.doesNotMatch(terminal.output(), /pw-/, 'no password reaches a log');
});
