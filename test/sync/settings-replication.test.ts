// Central's settings reach the terminal through RxDB's replication protocol over MQTT: the first
// pull brings the default offline limits, a change at central arrives through the notify hint,
// a change made while the link was down arrives through RESYNC after the reconnect, and what was
// pulled survives a reopen of the terminal's ledger.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLog } from '../../core/log-sink.js';
import { deriveTerminalSyncKey } from '../../core/wire/auth-tag.js';
import { defaultOfflineLimits, type OfflineLimits } from '../../core/ledger/limits.js';
import { centralDefaultLimits } from '../../central/terminal-settings-source.js';
import { startEmbeddedBroker } from '../../central/embedded-broker.js';
import { startCentralNode } from '../../central/central-node.js';
import { MqttLink } from '../../sync/mqtt-link.js';
import { SettingsReplication } from '../../sync/settings-replication.js';
import { openTestLedger, testOwner } from '../../ledger/test-ledger.js';
import { CentralKnowledgeStore } from '../../ledger/stores/central-knowledge-store.js';
import { defaultOperatorPolicy } from '../../core/operators/operator-policy.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { startTcpProxy } from '../harness/tcp-proxy.js';
import { until } from '../harness/until.js';

test('offline limits and the operator policy replicate from central: first pull, notify, RESYNC after a reconnect, and durably', { timeout: 60_000 }, async () => {
  const broker = await startEmbeddedBroker();
  const proxy = await startTcpProxy(broker.port);
  const central = await startCentralNode({ dataDir: mkdtempSync(join(tmpdir(), 'devpay-settings-central-')), brokerUrl: broker.url, protocolVersion: 4, clock: systemClock, random: systemRandom, log: silentLog, environment: { dataKey: '22'.repeat(32) } });
  const terminal = await openTestLedger(41);
  const link = new MqttLink({ brokerUrl: `mqtt://127.0.0.1:${proxy.port}`, protocolVersion: 4, terminalId: testOwner, clock: systemClock, random: systemRandom, log: silentLog, heartbeatIntervalMs: 60_000 });
  const replication = new SettingsReplication({ link, ledger: terminal.ledger, terminalId: testOwner, key: deriveTerminalSyncKey(central.masterKey, testOwner), clock: systemClock, log: silentLog, requestTimeoutMs: 2000 });
  const limitsAtTerminal = async (): Promise<OfflineLimits | null> => {
    const document = await terminal.ledger.database.collections.settings.findOne('central/limits').exec();
    return document ? (JSON.parse(document.value) as OfflineLimits) : null;
  };
  try {
    link.start();
    replication.start();
    await until('the first pull', 20_000, async () => (await limitsAtTerminal()) !== null);
    assert.deepEqual(await limitsAtTerminal(), centralDefaultLimits, "central's defaults, each currency's maximum charge included");

    // The operator policy travels the same way: central's default first, then a change.
    const knowledge = new CentralKnowledgeStore(terminal.ledger);
    await until('the default operator policy', 20_000, async () => (await knowledge.operatorPolicy()) !== null);
    assert.deepEqual(await knowledge.operatorPolicy(), defaultOperatorPolicy);
    await central.settings.setOperatorPolicy(testOwner, { ...defaultOperatorPolicy, pinFailuresBeforeLockout: 2 });
    await until('the changed operator policy', 20_000, async () => (await knowledge.operatorPolicy())?.pinFailuresBeforeLockout === 2);

    await central.settings.setLimits(testOwner, { ...defaultOfflineLimits, maxOfflineMs: 3_600_000 });
    await until('the notified change', 20_000, async () => (await limitsAtTerminal())?.maxOfflineMs === 3_600_000);

    proxy.cut();
    proxy.stall();
    await central.settings.setLimits(testOwner, { ...defaultOfflineLimits, maxOfflineMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal((await limitsAtTerminal())?.maxOfflineMs, 3_600_000, 'nothing arrives while partitioned');
    proxy.resume();
    proxy.cut();
    await until('the change made while offline, after RESYNC', 20_000, async () => (await limitsAtTerminal())?.maxOfflineMs === 60_000);

    await replication.stop();
    const reopened = await terminal.reopen();
    const kept = await reopened.database.collections.settings.findOne('central/limits').exec();
    assert.equal((JSON.parse(kept!.value) as OfflineLimits).maxOfflineMs, 60_000, 'the pulled setting is durable');
  } finally {
    await replication.stop().catch(() => undefined);
    await link.stop();
    await terminal.ledger.close();
    await central.close();
    await proxy.close();
    await broker.close();
  }
});
