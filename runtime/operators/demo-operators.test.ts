// Simulator mode's demo operators over a real ledger and the simulated reader: created once with
// PINs derived per terminal (never stored in clear), their fingers enrolled and enrolled again
// after the simulated reader forgot them (a restart), each able to sign in by finger and by PIN.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manualClock, seededRandom } from '../../core/clock.js';
import { createUlidFactory } from '../../core/ids.js';
import { testOwner } from '../../ledger/test-ledger.js';
import { createLogger } from '../logger.js';
import { demoOperatorLines, demoPin, prepareDemoOperators } from './demo-operators.js';
import { fastPinHash, operatorsRig, syncKey } from './operators-rig.test-fixture.js';

test('the demo admin and cashier are created once, their fingers enrolled at every start, and both sign in', { timeout: 60_000 }, async () => {
  const rig = await operatorsRig(91);
  try {
    const clock = manualClock(1_800_000_000_000);
    const options = { sessions: rig.sessions, terminalId: testOwner, key: syncKey, reader: rig.sim.reader, fingers: rig.sim.fingers, random: seededRandom(5), nowMs: () => clock.nowMs(), nextId: createUlidFactory(clock, seededRandom(6)), logger: createLogger({ level: 'silent' }), pinHashParameters: fastPinHash };
    const demos = await prepareDemoOperators(options);
    assert.deepEqual(demos.map((demo) => [demo.name, demo.role, demo.finger]), [['Demo admin', 'admin', 'Finger 1'], ['Demo cashier', 'cashier', 'Finger 2']]);
    assert.equal(demos[0]!.pin, demoPin(syncKey, 'admin', testOwner));
    assert.match(demos[1]!.pin, /^\d{6}$/);
    assert.notEqual(demoPin(syncKey, 'admin', testOwner), demoPin(syncKey, 'admin', 't-other0001'), 'per terminal');
    assert.match(demoOperatorLines(demos), /^Demo operator: Demo admin \(admin\), PIN \d{6}, or Finger 1 on the simulated reader\n/);
    assert.deepEqual(rig.sim.module.storedPages(), [0, 1]);

    // A restart: the simulated module's library is empty again, the ledger keeps the operators.
    await rig.sim.reader.deleteTemplate(0, { timeoutMs: 2000 });
    await rig.sim.reader.deleteTemplate(1, { timeoutMs: 2000 });
    const again = await prepareDemoOperators(options);
    assert.deepEqual(again, demos, 'the same operators and PINs');
    assert.equal((await rig.admin.list()).length, 2);
    assert.deepEqual(rig.sim.module.storedPages(), [0, 1], 'their fingers enrolled again');

    const byFinger = await rig.fingerprintSignIn(0);
    assert.ok(byFinger.outcome === 'signed_in' && byFinger.session.operator?.name === 'Demo admin');
    await rig.sessions.signOut();
    for (let failed = 1; failed <= 3; failed += 1) await rig.fingerprintSignIn(9);
    const cashier = (await rig.admin.signInList()).find((operator) => operator.role === 'cashier')!;
    assert.equal((await rig.sessions.pin(cashier.id, demos[1]!.pin)).outcome, 'signed_in');
    for (const file of readdirSync(rig.handle.dataDir).filter((name) => name.startsWith('ledger'))) {
      assert.ok(!readFileSync(join(rig.handle.dataDir, file)).toString('latin1').includes(demos[1]!.pin), `no PIN in clear in ${file}`);
    }
  } finally {
    await rig.close();
  }
});
