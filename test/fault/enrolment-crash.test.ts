// SIGKILL during an operator's enrolment with a fingerprint, through real parts: a terminal
// process (enrolment-crash-worker.ts) whose R30x driver talks over serialport on a socat pty to
// the simulated module held here, so the module outlives the terminal's crash as a real one
// does. Round after round an admin enrols a cashier with a finger and the terminal is killed at
// a seeded moment (after some of the enrolment's steps, plus a few milliseconds); restarted, the
// cashier is either fully enrolled (listed, the finger on the sensor signs them in) or absent (the
// finger matches no one, an orphaned template included); the retry under the same client id
// enrols exactly once. At the end every cashier signs in by PIN, and `devpay ledger verify`
// passes. The seed is printed so a failure replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { seededRandom } from '../../core/clock.js';
import { SimR30xModule } from '../../drivers/sim/sim-r30x-module.js';
import { SimR30xPtyModule } from '../../drivers/sim/sim-r30x-pty.js';
import { runDevpay } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { requireNativeModules, requireTools } from '../harness/require-tool.js';
import { startPtyPair } from '../harness/socat.js';

const rounds = 8;
const workerTimeoutMs = 60_000;

interface WorkerRun {
  lines: string[];
  killed: boolean;
}

type Operator = { id: string; name: string; role: string; fingerprint: string };

/**
 * Runs the worker, handing each line of its output to `onLine` as it comes (with a way to kill
 * it); resolves with the lines once it exits, and fails if it exits otherwise than by the kill
 * or with 0.
 */
function runWorker(args: string[], onLine: (line: string, kill: () => void) => void): Promise<WorkerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fault/enrolment-crash-worker.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let stderr = '';
    const kill = (): void => void child.kill('SIGKILL');
    const timer = setTimeout(kill, workerTimeoutMs);
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      onLine(line, kill);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' || code === 0) resolve({ lines, killed: signal === 'SIGKILL' });
      else reject(new Error(`worker ${args.join(' ')} exited ${code} ${signal}:\n${lines.join('\n')}\n${stderr}`));
    });
  });
}

/** The answer a worker printed after `prefix`, parsed. */
function printed<Value>(run: WorkerRun, prefix: string, which: 'first' | 'last' = 'first'): Value {
  const matching = run.lines.filter((line) => line.startsWith(`${prefix} `));
  const line = which === 'first' ? matching[0] : matching.at(-1);
  assert.ok(line !== undefined, `the worker printed ${prefix}: ${run.lines.join(' | ')}`);
  return JSON.parse(line.slice(prefix.length + 1)) as Value;
}

test(`SIGKILL during a fingerprint enrolment, ${rounds} times: enrolled whole or not at all, once per client id`, { timeout: 400_000 }, async (context) => {
  const tools = requireTools(context, ['socat']);
  if (!tools || !requireNativeModules(context, ['serialport'])) return;
  const socat = tools[0]!;
  const seed = Number(process.env.DEVPAY_CRASH_SEED ?? Date.now() % 1_000_000);
  process.stdout.write(`# enrolment crash test seed ${seed} (DEVPAY_CRASH_SEED=${seed} replays it)\n`);
  const random = seededRandom(seed);
  const dir = freshDir('enrolment-crash');
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const module = new SimR30xModule({ random: seededRandom(seed + 1) });
  /** The module on a fresh pty pair for each terminal run, as a USB adapter replugged. */
  const withModule = async <Result>(use: (hostPath: string) => Promise<Result>): Promise<Result> => {
    const pair = await startPtyPair(socat, dir);
    const attached = await SimR30xPtyModule.open(pair.devicePath, module);
    try {
      return await use(pair.hostPath);
    } finally {
      await attached.close();
      await pair.stop();
    }
  };
  /** Moves the finger as a person follows the enrolment's steps. */
  const follow = (finger: number) => (line: string): void => {
    if (line === 'step place_finger' || line === 'step place_again') module.placeFinger(finger);
    if (line === 'step remove_finger') module.placeFinger(null);
  };
  const outcomes = { enrolled: 0, absent: 0, orphanedTemplates: 0 };
  for (let round = 0; round < rounds; round += 1) {
    const where = `seed ${seed}, round ${round}`;
    const clientId = `crash-enrol-${round}`;
    const name = `Cashier ${clientId}`;
    const finger = 10 + round;
    const [stepsBytes, delayByte] = random.bytes(2);
    const stepsBeforeKill = 1 + (stepsBytes! % 3);
    // The enrolment takes tens of milliseconds once the finger moves: kills within 40 ms of a step
    // land before, inside and after its commit.
    const killDelayMs = delayByte! % 40;
    let steps = 0;
    const pagesBefore = module.storedPages().length;
    const crashed = await withModule((hostPath) =>
      runWorker([dataDir, hostPath, 'enrol', clientId], (line, kill) => {
        follow(finger)(line);
        if (line.startsWith('step ') && (steps += 1) === stepsBeforeKill) setTimeout(kill, killDelayMs);
      }),
    );
    module.placeFinger(null);
    const acknowledged = crashed.lines.find((line) => line.startsWith('enrolled '))?.split(' ')[1] ?? null;
    context.diagnostic(`${where}: killed ${stepsBeforeKill} steps + ${killDelayMs} ms in: ${crashed.killed ? crashed.lines.join(', ') : 'it had finished'}`);

    // Restarted: whole or absent, the finger agrees, and the retry enrols once.
    module.placeFinger(finger);
    const checked = await withModule((hostPath) => runWorker([dataDir, hostPath, 'check', clientId], follow(finger)));
    module.placeFinger(null);
    assert.equal(checked.killed, false, where);
    const before = printed<Operator[]>(checked, 'operators').filter((operator) => operator.name === name);
    assert.ok(before.length <= 1, `${where}: enrolled at most once: ${JSON.stringify(before)}`);
    if (acknowledged) assert.deepEqual(before.map((operator) => operator.id), [acknowledged], `${where}: an acknowledged enrolment survives the kill`);
    const fingerprint = printed<{ outcome: string; session?: { operator: { id: string } | null } }>(checked, 'fingerprint');
    const [present] = before;
    if (present) {
      outcomes.enrolled += 1;
      assert.equal(present.fingerprint, 'on_device', `${where}: enrolled with the finger in the module`);
      assert.deepEqual([fingerprint.outcome, fingerprint.session?.operator?.id], ['signed_in', present.id], `${where}: the finger signs the cashier in`);
    } else {
      outcomes.absent += 1;
      if (module.storedPages().length > pagesBefore) outcomes.orphanedTemplates += 1;
      assert.equal(fingerprint.outcome, 'no_match', `${where}: absent, the finger (or its orphaned template) matches no one`);
    }
    const retried = checked.lines.find((line) => line.startsWith('enrolled '))?.split(' ');
    assert.ok(retried, `${where}: the retry answered: ${checked.lines.join(' | ')}`);
    assert.deepEqual(retried.slice(2), [String(present !== undefined)], `${where}: the retry repeats an enrolment that happened, and makes one that did not`);
    if (present) assert.equal(retried[1], present.id, `${where}: the same operator`);
    const after = printed<Operator[]>(checked, 'operators', 'last').filter((operator) => operator.name === name);
    assert.deepEqual(after.map((operator) => operator.id), [retried[1]], `${where}: exactly one operator for the client id`);
  }
  context.diagnostic(`seed ${seed}: ${JSON.stringify(outcomes)}`);

  // Every cashier signs in by PIN (no reader: the PIN is allowed), and the books verify.
  const pins = await runWorker([dataDir, '-', 'pins'], () => undefined);
  const signIns = pins.lines.filter((line) => line.startsWith('pin '));
  assert.equal(signIns.length, rounds, pins.lines.join(' | '));
  assert.ok(signIns.every((line) => line.endsWith(' signed_in')), signIns.join(' | '));
  const verified = await runDevpay(['ledger', 'verify', '--data', dataDir]);
  assert.equal(verified.code, 0, `${verified.stdout}\n${verified.stderr}`);
});
