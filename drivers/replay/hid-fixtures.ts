// The HID fingerprint reader's recorded fixtures (test/fixtures/hid/*.hidtranscript): each is a
// scenario run once against the simulated reader through RecordingHidApi, and replayed by the
// tests through ReplayHidApi. A scenario is written once for both: its touches reach the sim
// only while recording (in a replay the transcript already holds what the fingers did), and its
// replug is the sim's cable while recording and the transcript's `! replug` in a replay. The sim
// is seeded, so recording again gives the same bytes; the test checks that, and rewrites the
// files instead when asked to after a deliberate protocol change:
//   DEVPAY_UPDATE_HID_FIXTURES=1 node --import tsx --test drivers/hid/hid-fingerprint-reader.test.ts
import { seededRandom } from '../../core/clock.js';
import { DeviceError, type HealthReport } from '../../device/capabilities.js';
import { HidReportError } from '../../device/fingerprint/hid-report-codec.js';
import { readerUsagePage } from '../../device/fingerprint/hid-report-codec.js';
import { HidFingerprintReader } from '../hid/hid-fingerprint-reader.js';
import { SimHidFingerprint, simEnrolledTemplate, simProductId, simVendorId, type SimTouch } from '../sim/sim-hid-fingerprint.js';
import { RecordingHidApi } from './recording-hid-api.js';
import { ReplayHidApi } from './replay-hid-api.js';

export const hidFixtureDirectory = new URL('../../test/fixtures/hid/', import.meta.url);
export const replayedDevice = { vendorId: simVendorId, productId: simProductId, usagePage: readerUsagePage };

export interface ScenarioWorld {
  reader: HidFingerprintReader;
  touch(touch: SimTouch): void;
  replug(): void;
  comment(text: string): void;
}

/** What a step answered: its result, or the codes of the error it threw. */
export type StepOutcome = { step: string; result?: unknown; error?: string; cause?: string; health?: HealthReport['health'] };

export interface HidScenario {
  name: string;
  description: string;
  run(world: ScenarioWorld): Promise<StepOutcome[]>;
}

const call = { timeoutMs: 5000 };
/** Candidates for identify(): sim fingers 1, 0 and 2 as enrolled, so finger 0 is candidate 1. */
export const fixtureCandidates = [simEnrolledTemplate(1), simEnrolledTemplate(0), simEnrolledTemplate(2)];

async function step(step: string, work: () => Promise<unknown>): Promise<StepOutcome> {
  try {
    return { step, result: await work() };
  } catch (error) {
    if (!(error instanceof DeviceError)) throw error;
    const cause = error.cause instanceof HidReportError ? { cause: error.cause.code } : {};
    return { step, error: error.code, ...cause };
  }
}

function identify(world: ScenarioWorld, name: string, touch: SimTouch): Promise<StepOutcome> {
  world.comment(`${name}:`);
  world.touch(touch);
  return step(name, () => world.reader.identify(fixtureCandidates, call));
}

export const hidScenarios: HidScenario[] = [
  {
    name: 'enrol',
    description: 'Reader info, then an enrolment of sim finger 0: two captures that match.',
    async run(world) {
      world.comment('GET_INFO:');
      const info = await step('readInfo', () => world.reader.readInfo(call));
      const steps: string[] = [];
      world.comment('Enrolment, first capture (capture id 1), then the lift and the second capture (id 2):');
      world.touch({ finger: 0 });
      world.touch({ finger: 0 });
      const enrolment = await step('enrol', () => world.reader.enrol(0, { ...call, onStep: (name) => steps.push(name) }));
      return [info, enrolment, { step: 'steps', result: steps }];
    },
  },
  {
    name: 'enrol-mismatch',
    description: 'An enrolment whose second capture is another finger (sim fingers 0 then 1).',
    async run(world) {
      world.comment('Enrolment with two different fingers:');
      world.touch({ finger: 0 });
      world.touch({ finger: 1 });
      return [await step('enrol', () => world.reader.enrol(0, call))];
    },
  },
  {
    name: 'identify-match',
    description: 'Sim finger 0 identified among candidates for fingers 1, 0 and 2.',
    run: async (world) => [await identify(world, 'identify finger 0', { finger: 0 })],
  },
  {
    name: 'identify-no-match',
    description: 'Sim finger 3, which no candidate is, then the reader timing out waiting for a finger.',
    run: async (world) => [await identify(world, 'identify finger 3', { finger: 3 }), await identify(world, 'identify with no finger', { finger: null })],
  },
  {
    name: 'poor-image',
    description: 'A capture the reader itself judges too poor, then a good one.',
    run: async (world) => [await identify(world, 'identify a smudge', { finger: 0, fault: 'poor_image' }), await identify(world, 'identify finger 0', { finger: 0 })],
  },
  {
    name: 'corrupted-chunk',
    description: 'One bit flipped in the second chunk of a template (the CRC-32 catches it), then a clean capture.',
    run: async (world) => [
      await identify(world, 'identify with a corrupted chunk', { finger: 0, fault: 'corrupt_chunk' }),
      await identify(world, 'identify finger 0', { finger: 0 }),
    ],
  },
  {
    name: 'unplug-replug',
    description: 'The cable pulled once the finger is down, a call while unplugged, then replugged and identified.',
    async run(world) {
      const unplugged = await identify(world, 'identify, unplugged mid-capture', { finger: 0, fault: 'unplug_after_placed' });
      const health = world.reader.health().health;
      const whileAway = await step('identify while unplugged', () => world.reader.identify(fixtureCandidates, call));
      world.comment('The cable goes back in:');
      world.replug();
      const recovered = await identify(world, 'identify after the replug', { finger: 0 });
      return [{ ...unplugged, health }, whileAway, { ...recovered, health: world.reader.health().health }];
    },
  },
];

/** Runs a scenario on the simulated reader and answers its transcript and outcomes. */
export async function recordScenario(scenario: HidScenario): Promise<{ text: string; outcomes: StepOutcome[] }> {
  const sim = new SimHidFingerprint(seededRandom(0x1d_00 + hidScenarios.indexOf(scenario)));
  const recorder = new RecordingHidApi(sim);
  recorder.comment(`${scenario.description}`);
  recorder.comment('Recorded from drivers/sim/sim-hid-fingerprint.ts by drivers/replay/hid-fixtures.ts; regenerate with');
  recorder.comment('DEVPAY_UPDATE_HID_FIXTURES=1 node --import tsx --test drivers/hid/hid-fingerprint-reader.test.ts');
  const reader = new HidFingerprintReader({ vendorId: simVendorId, productId: simProductId, hid: recorder, presenceCheckMs: 60_000 });
  try {
    const outcomes = await scenario.run({ reader, touch: (touch) => sim.touch(touch), replug: () => sim.replug(), comment: (text) => recorder.comment(text) });
    await sim.settled();
    return { text: recorder.text(), outcomes };
  } finally {
    await reader.close();
  }
}

/** Replays a scenario's transcript; the replay must be played to its end. */
export async function replayScenario(scenario: HidScenario, text: string): Promise<StepOutcome[]> {
  const replay = new ReplayHidApi(scenario.name, text, replayedDevice);
  const reader = new HidFingerprintReader({ vendorId: simVendorId, productId: simProductId, hid: replay, presenceCheckMs: 60_000 });
  try {
    const outcomes = await scenario.run({ reader, touch: () => undefined, replug: () => replay.replug(), comment: () => undefined });
    await replay.settled();
    replay.assertDone();
    return outcomes;
  } finally {
    await reader.close();
  }
}
