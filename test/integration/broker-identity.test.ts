// Broker identity and central's signed time, through Debian's mosquitto with the ACL and
// password file of a real deployment and real `devpay central` / `devpay serve` processes.
// One terminal's broker password, used with central's client id or another terminal's, takes no
// one's connection over (the broker makes every client id its user name), so central's last will
// never fires and the other terminal never loses central; a last will on central's presence from
// a terminal is never delivered; and heartbeat answers that central did not sign (published here
// with central's own broker credentials) never make central reachable nor set the clock offset.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { writeFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import { topics } from '../../core/wire/topics.js';
import { signMessage } from '../../core/wire/auth-tag.js';
import { requireTools } from '../harness/require-tool.js';
import { centralBrokerUser, startMosquitto, type MosquittoBroker, type MosquittoUser, terminalBrokerUser } from '../harness/mosquitto.js';
import { runDevpay, startDevpay, type DevpayProcess } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { until } from '../harness/until.js';
import { apiCall } from '../harness/api-call.js';
import { setUpAdmin } from '../harness/operator-sign-in.js';

const intruderId = 't-mallory01';
const victimId = 't-bravo0002';
const watcherId = 't-watch0003';
const online = '{"v":1,"online":true}';

const terminalUser = (terminalId: string): MosquittoUser => terminalBrokerUser(terminalId);
const centralUser = centralBrokerUser();

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Link {
  state: string;
  brokerReachable: boolean;
  centralReachable: boolean;
  clockOffsetMs: number | null;
  centralRoundTripMs: number | null;
  centralLastSeenAt: string | null;
}

const linkOf = async (terminal: DevpayProcess): Promise<Link> => (await apiCall<{ link: Link }>(terminal.url, 'status.get')).result.link;

/** Mosquitto with four users, central's data folder and the victim terminal's folder and sync key. */
async function startRig(context: TestContext): Promise<{ broker: MosquittoBroker; centralDir: string; terminalDir: string; syncKey: string } | null> {
  const tools = requireTools(context, ['mosquitto', 'mosquitto_passwd']);
  if (!tools) return null;
  const broker = await startMosquitto(tools[0]!, freshDir('mosquitto-identity'), [terminalUser(intruderId), terminalUser(victimId), terminalUser(watcherId), centralUser]);
  const centralDir = freshDir('central-identity');
  const terminalDir = freshDir('terminal-identity');
  writeFileSync(`${terminalDir}/terminal.json`, JSON.stringify({ terminalId: victimId, createdAt: '2026-11-24T00:00:00.000Z' }));
  const provisioned = await runDevpay(['provision', '--data', centralDir, '--terminal', victimId]);
  assert.equal(provisioned.code, 0, provisioned.stderr);
  return { broker, centralDir, terminalDir, syncKey: provisioned.stdout.trim() };
}

const startCentral = (broker: MosquittoBroker, centralDir: string): Promise<DevpayProcess> =>
  startDevpay(['central', '--data', centralDir, '--mqtt', `127.0.0.1:${broker.port}`, '--mqtt-user', 'central'], { readyPattern: /(DevPay central is answering)/, env: { DEVPAY_MQTT_PASSWORD: centralUser.password } });

const startTerminal = (broker: MosquittoBroker, terminalDir: string, syncKey: string): Promise<DevpayProcess> =>
  startDevpay(['serve', '--no-pcsc', '--data', terminalDir, '--port', '0', '--mqtt', `127.0.0.1:${broker.port}`, '--mqtt-user', victimId], { env: { DEVPAY_MQTT_PASSWORD: `pw-${victimId}`, DEVPAY_SYNC_KEY: syncKey } });

/** A terminal's connection that records every presence message, retained one included. */
async function presenceWatcher(broker: MosquittoBroker): Promise<{ client: MqttClient; seen: string[] }> {
  const client = await mqtt.connectAsync(broker.url, { protocolVersion: 5, username: watcherId, password: `pw-${watcherId}`, clientId: watcherId, reconnectPeriod: 0 });
  const seen: string[] = [];
  client.on('message', (_topic, payload) => seen.push(payload.toString()));
  await client.subscribeAsync(topics.centralPresence, { qos: 1 });
  return { client, seen };
}

test('one terminal\'s broker password takes over no one and cannot will central offline', { timeout: 120_000 }, async (context) => {
  const rig = await startRig(context);
  if (!rig) return;
  const { broker } = rig;
  const central = await startCentral(broker, rig.centralDir);
  const terminal = await startTerminal(broker, rig.terminalDir, rig.syncKey);
  const watcher = await presenceWatcher(broker);
  try {
    // link.checkNow at the end is for a signed-in operator: the fresh terminal's first admin.
    await setUpAdmin(terminal.url, { syncKey: rig.syncKey, terminalId: victimId, pin: '5820471' });
    await until('the victim terminal to see central', 20_000, async () => (await linkOf(terminal)).centralReachable);
    await until('the retained presence', 5_000, () => watcher.seen.length > 0);
    // The victim's status, sampled all through the attack.
    const samples: string[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const link = await linkOf(terminal);
        samples.push(`${link.state}/${link.brokerReachable}/${link.centralReachable}`);
        await sleep(100);
      }
    })();

    await context.test('client ids of central (current and old) and of another terminal, 20 times', async () => {
      const stolenIds = ['central', 'devpay-central', victimId, `terminal-${victimId}`];
      for (let attempt = 0; attempt < 20; attempt += 1) {
        const clientId = stolenIds[attempt % stolenIds.length]!;
        // Mosquitto accepts the login but names the session after its user, so it replaces no one.
        const intruder = await mqtt.connectAsync(broker.url, { protocolVersion: 5, username: intruderId, password: `pw-${intruderId}`, clientId, reconnectPeriod: 0, connectTimeout: 3000 }).catch((error: Error) => error);
        if (intruder instanceof Error) continue;
        intruder.on('error', () => undefined);
        await sleep(100);
        await intruder.endAsync(true);
        await sleep(50);
      }
      // Long enough for a kicked central to come back and a heartbeat to have gone unanswered.
      await sleep(2500);
      assert.deepEqual([...new Set(watcher.seen)], [online], 'central\'s presence never said offline');
      assert.equal(central.child.exitCode, null, 'central is still running');
      assert.doesNotMatch(broker.log(), new RegExp(`as (central|devpay-central|${victimId}|terminal-${victimId}) \\(.*u'${intruderId}'`), 'no intruder session took a victim\'s id');
    });

    await context.test('a last will on central\'s presence, then an abrupt disconnect', async () => {
      const before = watcher.seen.length;
      for (const protocolVersion of [4, 5] as const) {
        // Mosquitto 2.0.11 admits the connection but checks the will against the ACL when it
        // would fire; a broker that refuses it at connect (the embedded one does) is as good.
        const intruder = await mqtt
          .connectAsync(broker.url, {
            protocolVersion, username: intruderId, password: `pw-${intruderId}`, clientId: intruderId, reconnectPeriod: 0, connectTimeout: 3000,
            will: { topic: topics.centralPresence, payload: Buffer.from('{"v":1,"online":false}'), qos: 1, retain: true },
          })
          .catch((error: Error) => error);
        if (intruder instanceof Error) {
          assert.match(intruder.message, /Not authorized/);
          continue;
        }
        intruder.on('error', () => undefined);
        intruder.stream.destroy();
      }
      await sleep(1500);
      assert.deepEqual(watcher.seen.slice(before), [], 'no will of the intruder reached the fleet');
      const fresh = await presenceWatcher(broker);
      await until('the retained presence', 5_000, () => fresh.seen.length > 0);
      assert.deepEqual(fresh.seen, [online], 'the retained presence still says online');
      await fresh.client.endAsync(true);
    });

    sampling = false;
    await sampler;
    assert.ok(samples.length > 20, `${samples.length} status samples`);
    assert.deepEqual(samples.filter((sample) => sample !== 'online/true/true'), [], 'the victim terminal never lost the broker or central');
    assert.equal((await apiCall<{ centralReachable: boolean }>(terminal.url, 'link.checkNow')).result.centralReachable, true);
  } finally {
    await watcher.client.endAsync(true);
    await terminal.stop();
    await central.stop();
    await broker.stop();
  }
  assert.doesNotMatch(terminal.output() + central.output(), /pw-/, 'no password reaches a log');
});

test('heartbeat answers central did not sign never make central reachable nor set the clock', { timeout: 120_000 }, async (context) => {
  const rig = await startRig(context);
  if (!rig) return;
  const { broker } = rig;
  // Whoever holds central's broker password (or runs the broker) can answer on any terminal's
  // response topic; without the master key it can only send unsigned or wrongly signed time.
  const forger = await mqtt.connectAsync(broker.url, { protocolVersion: 5, username: 'central', password: centralUser.password, reconnectPeriod: 0 });
  const answered: string[] = [];
  forger.on('message', (topic, payload) => {
    const request = JSON.parse(payload.toString()) as { correlationId: string };
    const body = { v: 1, kind: 'heartbeat', correlationId: request.correlationId, terminalId: victimId, centralTimeMs: Date.now() + 3_600_000 };
    const forged = answered.length % 2 === 0 ? body : signMessage(new Uint8Array(32).fill(1), body);
    answered.push(topic);
    forger.publish(topics.terminalResponses(victimId), JSON.stringify(forged), { qos: 1 });
  });
  await forger.subscribeAsync(topics.allTerminalRequests, { qos: 1 });
  await forger.publishAsync(topics.centralPresence, online, { qos: 1, retain: true });
  const terminal = await startTerminal(broker, rig.terminalDir, rig.syncKey);
  let central: DevpayProcess | null = null;
  try {
    await until('four forged heartbeat answers', 20_000, () => answered.length >= 4);
    await sleep(500);
    const link = await linkOf(terminal);
    assert.equal(link.brokerReachable, true);
    assert.equal(link.centralReachable, false, 'forged time does not count as central answering');
    assert.equal(link.clockOffsetMs, null, 'nor sets the clock offset');
    assert.equal(link.centralLastSeenAt, null);
    assert.match(terminal.output(), /"reason":"bad_tag"/, 'the refusal is logged by name');

    // The real central (same user, so it replaces the forger's session) signs its time.
    await forger.endAsync(true);
    central = await startCentral(broker, rig.centralDir);
    await until('central reachable with signed time', 20_000, async () => (await linkOf(terminal)).centralReachable);
    const verified = await linkOf(terminal);
    assert.ok(Math.abs(verified.clockOffsetMs!) <= verified.centralRoundTripMs! + 5, `clock offset ${verified.clockOffsetMs} ms`);
  } finally {
    await forger.endAsync(true);
    await terminal.stop();
    await central?.stop();
    await broker.stop();
  }
});
