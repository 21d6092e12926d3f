// The link's status is honest on a stalled link, through real parts: a `devpay serve` terminal
// reaches Debian's mosquitto (passwords, ACLs) through a loopback proxy, and `devpay central`
// answers its heartbeats. When the proxy stalls (the TCP connection stays up, nothing gets
// through, as on a black-holed mobile link) status.changed and status.get say "degraded" within
// one heartbeat interval and the heartbeat's timeout (the grace MqttLink allows, see
// sync/link-health.ts), with centralUnreachableSinceMs naming central's last answer; once MQTT's
// keepalive gives up on the silent connection they say "offline"; once bytes flow again,
// "online" with centralUnreachableSinceMs null.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import type { LinkStatus, TerminalStatus } from '../../core/api/status.js';
import { requireTools } from '../harness/require-tool.js';
import { centralBrokerUser, startMosquitto, terminalBrokerUser } from '../harness/mosquitto.js';
import { runDevpay, startDevpay } from '../harness/devpay-process.js';
import { startTcpProxy } from '../harness/tcp-proxy.js';
import { freshDir } from '../harness/output-dir.js';
import { openApiSession } from '../harness/api-session.js';
import { Cleanup } from '../harness/cleanup.js';
import { until } from '../harness/until.js';

const terminalId = 't-stall001';
const heartbeatIntervalMs = 500;
/** MqttLink's default heartbeat timeout: half the interval, also the grace of "online". */
const heartbeatTimeoutMs = heartbeatIntervalMs / 2;
/** Time for the status event to cross the process boundary and a loaded test machine's jitter. */
const deliverySlackMs = 250;

test('a stalled link says degraded within one heartbeat interval, then offline, then online again', { timeout: 90_000 }, async (context) => {
  const tools = requireTools(context, ['mosquitto', 'mosquitto_passwd']);
  if (!tools) return;
  const cleanup = new Cleanup();
  try {
    const broker = await startMosquitto(tools[0]!, freshDir('stall-mqtt'), [terminalBrokerUser(terminalId, 'pw-t'), centralBrokerUser('pw-c')]);
    cleanup.add('mosquitto', () => broker.stop());
    const proxy = await startTcpProxy(broker.port);
    cleanup.add('proxy', () => proxy.close());
    const terminalDir = freshDir('stall-terminal');
    const centralDir = freshDir('stall-central');
    writeFileSync(`${terminalDir}/terminal.json`, JSON.stringify({ terminalId, createdAt: '2026-11-24T00:00:00.000Z' }));
    const syncKey = (await runDevpay(['provision', '--data', centralDir, '--terminal', terminalId])).stdout.trim();
    const central = await startDevpay(['central', '--data', centralDir, '--mqtt', `127.0.0.1:${broker.port}`, '--mqtt-user', 'central'], { readyPattern: /(DevPay central is answering)/, env: { DEVPAY_MQTT_PASSWORD: 'pw-c' } });
    cleanup.add('central', () => central.stop());
    const terminal = await startDevpay(
      ['serve', '--no-pcsc', '--data', terminalDir, '--port', '0', '--mqtt', `127.0.0.1:${proxy.port}`, '--mqtt-user', terminalId, '--heartbeat-interval', String(heartbeatIntervalMs)],
      { env: { DEVPAY_MQTT_PASSWORD: 'pw-t', DEVPAY_SYNC_KEY: syncKey } },
    );
    cleanup.add('terminal', () => terminal.stop());
    const api = await openApiSession(terminal.url);
    cleanup.add('api session', () => api.close());
    const link = async (): Promise<LinkStatus> => (await api.call<TerminalStatus>('status.get')).link;
    const changedTo = (state: LinkStatus['state'], timeoutMs: number): Promise<TerminalStatus> =>
      api.nextEvent<TerminalStatus>('status.changed', (status) => status.link.state === state, timeoutMs);

    if ((await link()).state !== 'online') await changedTo('online', 20_000);
    const healthy = await link();
    assert.equal(healthy.heartbeatIntervalMs, heartbeatIntervalMs, '--heartbeat-interval reaches the link');
    assert.equal(healthy.centralReachable, true);
    assert.equal(healthy.centralUnreachableSinceMs, null, 'null while central answers');
    api.discardPending();

    proxy.stall();
    const stalledAtMs = Date.now();
    const degraded = await changedTo('degraded', 10_000);
    const tookMs = Date.now() - stalledAtMs;
    const boundMs = heartbeatIntervalMs + heartbeatTimeoutMs + deliverySlackMs;
    assert.ok(tookMs <= boundMs, `status.changed said degraded ${tookMs} ms after the stall (at most ${boundMs} ms)`);
    assert.equal(degraded.link.brokerReachable, true, 'the broker connection is still up: only central is silent');
    assert.equal(degraded.link.centralReachable, false, 'centralReachable follows the same rule');
    const sinceMs = degraded.link.centralUnreachableSinceMs;
    assert.ok(sinceMs !== null && sinceMs <= stalledAtMs + 50 && sinceMs >= stalledAtMs - heartbeatIntervalMs - heartbeatTimeoutMs, `unreachable since central's last answer, before the stall (${sinceMs} vs ${stalledAtMs})`);
    assert.equal(sinceMs, Date.parse(degraded.link.centralLastSeenAt ?? ''), 'since exactly the last answer');
    const asked = await link();
    assert.equal(asked.state, 'degraded', 'status.get agrees');
    assert.equal(asked.centralUnreachableSinceMs, sinceMs);

    // MQTT's keepalive is five intervals (at least 5 s) here: 1.5 of them without a byte back.
    const offline = await changedTo('offline', 20_000);
    assert.equal(offline.link.brokerReachable, false);
    assert.equal(offline.link.centralUnreachableSinceMs, sinceMs, 'still since the last answer');

    proxy.resume();
    const online = await changedTo('online', 20_000);
    assert.equal(online.link.centralReachable, true);
    assert.equal(online.link.centralUnreachableSinceMs, null);
    // The proxy held the terminal's dial attempts made while stalled; released, their CONNECTs
    // reach mosquitto late and may take the session over once (the client id is the user name),
    // so the link may go round once more. It must settle online and stay there.
    let unsettledAtMs = Date.now();
    await until('the link to stay online for 2 s', 20_000, async () => {
      const current = await link();
      if (current.state !== 'online' || current.centralUnreachableSinceMs !== null) unsettledAtMs = Date.now();
      return Date.now() - unsettledAtMs >= 2000;
    }, 100);
    assert.doesNotMatch(terminal.output(), /\n\s+at /, 'no stack trace on the console');
  } finally {
    await cleanup.run();
  }
});
