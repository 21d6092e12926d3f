// HidFingerprintReader through recorded report transcripts at node-hid's API boundary
// (test/fixtures/hid/), and through the simulated reader for what a transcript cannot hold (a
// deadline running out, an abort, the periodic presence check). Every committed fixture is first
// checked to be what the simulated reader records today, then replayed: enrol, mismatch, match,
// no match, no finger, poor image, a corrupted chunk named and the next call working, and an
// unplug answered not_present and recovered after the replug without a new reader.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../../core/clock.js';
import { DeviceError } from '../../device/capabilities.js';
import { matchTemplates } from '../../device/fingerprint/minutiae-matcher.js';
import { decodeTemplate, TemplateFormatError } from '../../device/fingerprint/minutiae-template.js';
import { fixtureCandidates, hidFixtureDirectory, hidScenarios, recordScenario, replayScenario, type StepOutcome } from '../replay/hid-fixtures.js';
import { parseHidTranscript, serializeHidTranscript } from '../replay/hid-transcript.js';
import { TranscriptError } from '../replay/transcript.js';
import { SimHidFingerprint, simEnrolledTemplate, simProductId, simVendorId } from '../sim/sim-hid-fingerprint.js';
import { HidFingerprintReader } from './hid-fingerprint-reader.js';

const updating = process.env.DEVPAY_UPDATE_HID_FIXTURES === '1';

function fixtureText(name: string): string {
  return readFileSync(new URL(`${name}.hidtranscript`, hidFixtureDirectory), 'utf8');
}

function scenario(name: string) {
  const found = hidScenarios.find((candidate) => candidate.name === name);
  assert.ok(found, `no scenario ${name}`);
  return found;
}

test('every committed HID fixture is what the simulated reader records today', async () => {
  mkdirSync(hidFixtureDirectory, { recursive: true });
  for (const each of hidScenarios) {
    const { text } = await recordScenario(each);
    const file = new URL(`${each.name}.hidtranscript`, hidFixtureDirectory);
    if (updating) writeFileSync(file, text);
    assert.equal(fixtureText(each.name), text, `${fileURLToPath(file)} is stale; regenerate it (see drivers/replay/hid-fixtures.ts)`);
  }
});

async function replayed(name: string): Promise<StepOutcome[]> {
  const outcomes = await replayScenario(scenario(name), fixtureText(name));
  // The replay answers exactly what the live simulated reader answered when recorded.
  assert.deepEqual(outcomes, (await recordScenario(scenario(name))).outcomes);
  return outcomes;
}

test('replayed enrolment: info, the three steps, and a template that matches the finger', async () => {
  const [info, enrolment, steps] = await replayed('enrol');
  assert.deepEqual(info?.result, { model: 'DevPay FP-H1 (simulated)', templateStorage: 'host', templateCapacity: 0, securityLevel: null });
  assert.deepEqual(steps?.result, ['place_finger', 'remove_finger', 'place_again']);
  const result = enrolment?.result as { type: string; slot: null; template: Uint8Array };
  assert.equal(result.type, 'enrolled');
  assert.equal(result.slot, null);
  assert.ok(decodeTemplate(result.template).minutiae.length >= 12);
  assert.ok(matchTemplates(result.template, simEnrolledTemplate(0)).matched);
  assert.ok(!matchTemplates(result.template, simEnrolledTemplate(1)).matched);
});

test('replayed enrolment with two different fingers is a mismatch', async () => {
  assert.deepEqual((await replayed('enrol-mismatch')).map((outcome) => outcome.result), [{ type: 'mismatch' }]);
});

test('replayed identification finds finger 0 as candidate 1', async () => {
  const [match] = await replayed('identify-match');
  const result = match?.result as { type: string; slot: number; score: number };
  assert.equal(result.type, 'matched');
  assert.equal(result.slot, 1);
  assert.ok(result.score >= 12);
});

test('replayed identification of an unenrolled finger is no_match, and no finger is no_finger', async () => {
  assert.deepEqual((await replayed('identify-no-match')).map((outcome) => outcome.result), [{ type: 'no_match' }, { type: 'no_finger' }]);
});

test('a replayed poor image is poor_image and the next capture matches', async () => {
  const [poor, good] = await replayed('poor-image');
  assert.deepEqual(poor?.result, { type: 'poor_image' });
  assert.equal((good?.result as { type: string }).type, 'matched');
});

test('a replayed corrupted chunk is a named CRC error, and the next call works', async () => {
  const [corrupted, next] = await replayed('corrupted-chunk');
  assert.deepEqual(corrupted, { step: 'identify with a corrupted chunk', error: 'malformed_response', cause: 'crc_mismatch' });
  assert.equal((next?.result as { type: string; slot: number }).slot, 1);
});

test('a replayed unplug mid-capture is not_present until the replug, then works without a new reader', async () => {
  const [unplugged, whileAway, recovered] = await replayed('unplug-replug');
  assert.deepEqual(unplugged, { step: 'identify, unplugged mid-capture', error: 'not_present', health: 'unavailable' });
  assert.deepEqual(whileAway, { step: 'identify while unplugged', error: 'not_present' });
  assert.equal((recovered?.result as { type: string }).type, 'matched');
  assert.equal(recovered?.health, 'ok');
});

test('a transcript the driver departs from fails naming the line', async () => {
  const text = fixtureText('identify-match').replace(/^=> 0102(\w{4})/m, '=> 0102ffff');
  await assert.rejects(replayScenario(scenario('identify-match'), text), /line \d+ expects => 0102ffff/);
});

function simReader(sim: SimHidFingerprint, presenceCheckMs = 60_000): HidFingerprintReader {
  return new HidFingerprintReader({ vendorId: simVendorId, productId: simProductId, hid: sim, presenceCheckMs });
}

test('a deadline with no finger answers no_finger and cancels the capture; an abort is named', async () => {
  const sim = new SimHidFingerprint(seededRandom(2));
  const reader = simReader(sim);
  try {
    assert.deepEqual(await reader.identify(fixtureCandidates, { timeoutMs: 100 }), { type: 'no_finger' });
    const controller = new AbortController();
    const pending = reader.enrol(0, { timeoutMs: 5000, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(pending, (error: unknown) => error instanceof DeviceError && error.code === 'aborted');
    // Both captures were cancelled on the reader, so it takes the next one at once.
    sim.touch({ finger: 2 });
    assert.equal(((await reader.identify(fixtureCandidates, { timeoutMs: 5000 })) as { slot: number }).slot, 2);
  } finally {
    await reader.close();
  }
});

test('the periodic check notices an unplug and a replug while the reader is idle', async () => {
  const sim = new SimHidFingerprint(seededRandom(3));
  const reader = simReader(sim, 20);
  try {
    assert.equal(reader.health().health, 'ok');
    sim.unplug();
    await until(() => reader.health().health === 'unavailable');
    await assert.rejects(reader.readInfo({ timeoutMs: 1000 }), (error: unknown) => error instanceof DeviceError && error.code === 'not_present');
    sim.replug();
    await until(() => reader.health().health === 'ok');
    assert.equal((await reader.readInfo({ timeoutMs: 1000 })).templateStorage, 'host');
  } finally {
    await reader.close();
  }
});

test('a malformed candidate is a named TemplateFormatError before any capture; deleteTemplate is a no-op', async () => {
  const sim = new SimHidFingerprint(seededRandom(4));
  const reader = simReader(sim);
  try {
    const broken = simEnrolledTemplate(0).map((byte, index) => (index === 40 ? byte ^ 1 : byte));
    await assert.rejects(reader.identify([simEnrolledTemplate(1), broken], { timeoutMs: 1000 }), (error: unknown) => error instanceof TemplateFormatError && error.code === 'crc_mismatch' && error.message.startsWith('candidate 1'));
    await reader.deleteTemplate(3, { timeoutMs: 1000 });
    assert.equal(reader.templateStorage, 'host');
    assert.equal(reader.info.descriptor, 'hid:1209:0001');
  } finally {
    await reader.close();
  }
});

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const startedMs = performance.now();
  while (!condition()) {
    if (performance.now() - startedMs > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('a malformed HID transcript line is a TranscriptError naming the line', () => {
  assert.throws(() => parseHidTranscript('# fine\n=> 0101\n<= 02x1\n'), (error: unknown) => error instanceof TranscriptError && error.lineNumber === 3);
  assert.throws(() => parseHidTranscript('! unplugged\n'), (error: unknown) => error instanceof TranscriptError && error.lineNumber === 1);
  const text = fixtureText('unplug-replug');
  assert.equal(serializeHidTranscript(parseHidTranscript(text).events), text);
});
