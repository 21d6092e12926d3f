// The R30x driver against the simulated module over the in-memory link: the same bytes as on a
// serial line, no port needed. Enrolment, identification, mismatches, faults and deletion.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../core/clock.js';
import type { EnrolStep } from '../../device/capabilities.js';
import { createSimFingerprintReader } from './sim-fingerprint.js';

const call = { timeoutMs: 2000 };

/** Follows the enrolment's steps the way a person does: first finger, lift, second finger. */
function guide(fingers: { place(index: number | null): void }, first: number, second: number, steps: EnrolStep[]) {
  fingers.place(first);
  return (step: EnrolStep): void => {
    steps.push(step);
    if (step === 'remove_finger') fingers.place(null);
    if (step === 'place_again') setTimeout(() => fingers.place(second), 30);
  };
}

test('the simulated reader enrols, identifies, refuses other fingers and forgets deleted ones', { timeout: 30_000 }, async () => {
  const { reader, fingers, module } = createSimFingerprintReader({ random: seededRandom(13) });
  try {
    assert.equal(reader.templateStorage, 'on_device');
    assert.equal(reader.info.descriptor, 'sim:fingerprint/0');
    assert.equal(reader.info.kind, 'biometric_reader');
    assert.equal(fingers.list()[0]!.label, 'Finger 1');
    assert.deepEqual(await reader.readInfo(call), { model: 'R30x/ZFM (system id 0x0009)', templateStorage: 'on_device', templateCapacity: 200, securityLevel: 3 });
    assert.equal(reader.health().health, 'ok');

    const steps: EnrolStep[] = [];
    assert.deepEqual(await reader.enrol(4, { ...call, onStep: guide(fingers, 7, 7, steps) }), { type: 'enrolled', slot: 4, template: null });
    assert.deepEqual(steps, ['place_finger', 'remove_finger', 'place_again']);
    assert.deepEqual(module.storedPages(), [4]);

    fingers.place(7);
    const matched = await reader.identify([], call);
    assert.equal(matched.type, 'matched');
    assert.ok(matched.type === 'matched' && matched.slot === 4 && matched.score >= 50 && matched.score <= 200, JSON.stringify(matched));
    fingers.place(8);
    assert.deepEqual(await reader.identify([], call), { type: 'no_match' });
    fingers.place(null);
    assert.deepEqual(await reader.identify([], { timeoutMs: 200 }), { type: 'no_finger' });

    assert.deepEqual(await reader.enrol(5, { ...call, onStep: guide(fingers, 1, 2, []) }), { type: 'mismatch' });
    module.faults.poorImage = true;
    fingers.place(7);
    assert.deepEqual(await reader.identify([], call), { type: 'poor_image' });
    module.faults.poorImage = false;

    await reader.deleteTemplate(4, call);
    assert.deepEqual(await reader.identify([], call), { type: 'no_match' });
    await assert.rejects(reader.enrol(200, call), { name: 'DeviceError', code: 'storage_full' });
  } finally {
    await reader.close();
  }
});

test('a corrupted ack is malformed_response, a silent module a timeout, and the reader recovers from both', { timeout: 30_000 }, async () => {
  const { reader, fingers, module } = createSimFingerprintReader({ random: seededRandom(14) });
  try {
    await reader.readInfo(call);
    module.faults.badChecksumReplies = 1;
    await assert.rejects(reader.readInfo(call), { name: 'DeviceError', code: 'malformed_response' });
    assert.equal((await reader.readInfo(call)).templateCapacity, 200);

    module.faults.silent = true;
    fingers.place(3);
    await assert.rejects(reader.identify([], { timeoutMs: 5000 }), { name: 'DeviceError', code: 'timeout' });
    assert.equal(reader.health().health, 'unavailable');
    module.faults.silent = false;
    assert.deepEqual(await reader.identify([], call), { type: 'no_match' });
    assert.equal(reader.health().health, 'ok');
  } finally {
    await reader.close();
  }
});

test('realistic timing shows the module\'s own time through the driver', { timeout: 30_000 }, async () => {
  const { reader, fingers } = createSimFingerprintReader({ random: seededRandom(15), realisticTiming: true });
  try {
    fingers.place(9);
    await reader.readInfo(call);
    const startedMs = performance.now();
    assert.deepEqual(await reader.identify([], call), { type: 'no_match' });
    const tookMs = performance.now() - startedMs;
    // GenImg 150+, Img2Tz 100+, Search 50+: the module's own time shows through the driver.
    assert.ok(tookMs >= 300 && tookMs < 2000, `identify took ${tookMs} ms`);
  } finally {
    await reader.close();
  }
});
