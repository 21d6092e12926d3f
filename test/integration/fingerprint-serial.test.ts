// The R30x fingerprint driver through serialport on a socat pseudo-terminal pair, with the
// simulated module (drivers/sim/sim-r30x-module.ts) answering on the other end in the real
// bytes: system parameters, enrolment into a slot, identification (match with a score, no match,
// no finger), two different fingers at enrolment, deletion, a corrupted ack, a silent module, and
// the pty pair removed and restored under the same reader object.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { seededRandom } from '../../core/clock.js';
import type { EnrolStep } from '../../device/capabilities.js';
import { serialFingerprintLink } from '../../drivers/fingerprint/fingerprint-link.js';
import { R30xFingerprintReader } from '../../drivers/fingerprint/r30x-fingerprint-reader.js';
import { SimR30xModule } from '../../drivers/sim/sim-r30x-module.js';
import { SimR30xPtyModule } from '../../drivers/sim/sim-r30x-pty.js';
import { freshDir } from '../harness/output-dir.js';
import { requireNativeModules, requireTools } from '../harness/require-tool.js';
import { startPtyPair, type PtyPair } from '../harness/socat.js';
import { until } from '../harness/until.js';

const call = { timeoutMs: 3000 };

interface Rig {
  pair: PtyPair;
  dir: string;
  socat: string;
  module: SimR30xModule;
  attached: SimR30xPtyModule;
  reader: R30xFingerprintReader;
}

async function withModule(context: TestContext, body: (rig: Rig) => Promise<void>): Promise<void> {
  const tools = requireTools(context, ['socat']);
  if (!tools || !requireNativeModules(context, ['serialport'])) return;
  const dir = freshDir('fingerprint-pty');
  const pair = await startPtyPair(tools[0]!, dir);
  const module = new SimR30xModule({ random: seededRandom(1313) });
  const rig: Rig = {
    pair,
    dir,
    socat: tools[0]!,
    module,
    attached: await SimR30xPtyModule.open(pair.devicePath, module),
    reader: new R30xFingerprintReader({ descriptor: `serial:${pair.hostPath}`, openLink: serialFingerprintLink(pair.hostPath), replyTimeoutMs: 800, reconnectIntervalMs: 100, idleProbeMs: 300 }),
  };
  try {
    await body(rig);
  } finally {
    await rig.reader.close();
    await rig.attached.close();
    await rig.pair.stop();
  }
}

/** Follows the enrolment's steps the way a person does: first finger, lift, second finger. */
function person(module: SimR30xModule, first: number, second: number, steps: EnrolStep[] = []): (step: EnrolStep) => void {
  module.placeFinger(first);
  return (step) => {
    steps.push(step);
    if (step === 'remove_finger') module.placeFinger(null);
    if (step === 'place_again') setTimeout(() => module.placeFinger(second), 50);
  };
}

test('pty: system parameters, enrolment, match with a score, no match, no finger, mismatch, deletion', { timeout: 60_000 }, (context) => withModule(context, async ({ module, reader }) => {
  assert.deepEqual(await reader.readInfo(call), { model: 'R30x/ZFM (system id 0x0009)', templateStorage: 'on_device', templateCapacity: 200, securityLevel: 3 });
  assert.equal(reader.health().health, 'ok');

  const steps: EnrolStep[] = [];
  assert.deepEqual(await reader.enrol(11, { ...call, onStep: person(module, 21, 21, steps) }), { type: 'enrolled', slot: 11, template: null });
  assert.deepEqual(steps, ['place_finger', 'remove_finger', 'place_again']);
  assert.deepEqual(module.storedPages(), [11], 'the template is kept in the module');

  module.placeFinger(21);
  const matched = await reader.identify([], call);
  assert.ok(matched.type === 'matched' && matched.slot === 11, JSON.stringify(matched));
  assert.ok(matched.score >= 50 && matched.score <= 200, `score ${matched.score}`);

  module.placeFinger(22);
  assert.deepEqual(await reader.identify([], call), { type: 'no_match' });

  module.placeFinger(null);
  const startedMs = performance.now();
  assert.deepEqual(await reader.identify([], { timeoutMs: 400 }), { type: 'no_finger' });
  assert.ok(performance.now() - startedMs >= 350, 'waited for the finger until the deadline');

  assert.deepEqual(await reader.enrol(12, { ...call, onStep: person(module, 30, 31) }), { type: 'mismatch' });
  assert.deepEqual(module.storedPages(), [11], 'a mismatch stores nothing');

  await reader.deleteTemplate(11, call);
  module.placeFinger(21);
  assert.deepEqual(await reader.identify([], call), { type: 'no_match' });
  await assert.rejects(reader.enrol(500, call), { name: 'DeviceError', code: 'storage_full' });
}));

test('pty: a corrupted checksum is malformed_response and the next call works; a silent module is a timeout', { timeout: 60_000 }, (context) => withModule(context, async ({ module, reader }) => {
  await reader.readInfo(call);
  module.faults.badChecksumReplies = 1;
  await assert.rejects(reader.readInfo(call), (error: unknown) => (error as { code?: string }).code === 'malformed_response' && /bad_checksum/.test(String(error)));
  assert.equal((await reader.readInfo(call)).templateCapacity, 200);

  module.faults.silent = true;
  module.placeFinger(4);
  await assert.rejects(reader.identify([], call), { name: 'DeviceError', code: 'timeout' });
  assert.equal(reader.health().health, 'unavailable');
  module.faults.silent = false;
  await until('the reader to find the module answering again', 5000, () => reader.health().health === 'ok');
  assert.deepEqual(await reader.identify([], call), { type: 'no_match' });
}));

test('pty: the module unplugged is unavailable and not_present; plugged back, the same reader works again', { timeout: 60_000 }, (context) => withModule(context, async (rig) => {
  const { module, reader } = rig;
  await reader.enrol(3, { ...call, onStep: person(module, 40, 40) });
  assert.equal(reader.health().health, 'ok');

  await rig.attached.close();
  await rig.pair.stop();
  // Unplugged between calls: the idle handshake notices without anyone calling.
  await until('the reader to notice the module is gone', 5000, () => reader.health().health === 'unavailable');
  module.placeFinger(40);
  await assert.rejects(reader.identify([], call), { name: 'DeviceError', code: 'not_present' });
  assert.equal(reader.health().health, 'unavailable');
  assert.match(reader.health().detail, /cannot open/);
  await assert.rejects(reader.readInfo(call), { name: 'DeviceError', code: 'not_present' });

  // The same paths come back, as a replugged adapter's udev symlink does.
  rig.pair = await startPtyPair(rig.socat, rig.dir);
  rig.attached = await SimR30xPtyModule.open(rig.pair.devicePath, module);
  await until('the reader to reopen the module by itself', 5000, () => reader.health().health === 'ok');
  const matched = await reader.identify([], call);
  assert.ok(matched.type === 'matched' && matched.slot === 3, JSON.stringify(matched));
}));
