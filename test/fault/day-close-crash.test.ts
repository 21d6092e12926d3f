// Crash test of the day close, with real processes and real SIGKILLs: a worker takes payments
// and closes the day with a client id while the test kills it at seeded moments, then runs it
// again with the same client id (the merchant retrying) until a close is acknowledged, and once
// more after, which must answer the same close, repeated. After every kill the reopened ledger
// holds each close at most once: sequences 1, 2, … without gaps, each period starting where the
// previous ended, one client id per close, one 'day_closed' audit entry per close; and an
// acknowledged close is never lost. At the end `devpay ledger verify` passes. The seed is
// printed so a failure replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom, toHex } from '../../core/clock.js';
import { openLedger } from '../../ledger/ledger.js';
import { DayCloseStore } from '../../ledger/stores/day-close-store.js';
import { verifyLedger } from '../../ledger/verifier.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { assertLedgerVerifies } from '../harness/card-rig.js';
import { runUntilKilled } from '../harness/kill-after-output.js';
import { freshDir } from '../harness/output-dir.js';

const dataKey = new Uint8Array(32).fill(0x42);
const closesWanted = 3;

test('SIGKILL during the day close, retried with the same client id, closes each period exactly once', { timeout: 300_000 }, async () => {
  const seed = Number(process.env.DEVPAY_CRASH_SEED ?? Date.now() % 1_000_000);
  process.stdout.write(`# day close crash test seed ${seed} (DEVPAY_CRASH_SEED=${seed} replays it)\n`);
  const random = seededRandom(seed);
  const dataDir = freshDir('day-close-crash');
  const acknowledged = new Map<string, { reportId: string; sequence: number }>();
  let kills = 0;
  for (let close = 1; close <= closesWanted; close += 1) {
    const clientId = `crash-close-${close}`;
    // Killed until a run acknowledges the close, then once more: the retry must answer it, repeated.
    for (let attempt = 0; attempt < 40; attempt += 1) {
      const bytes = random.bytes(2);
      const killAfterMs = 5 + (((bytes[0]! << 8) | bytes[1]!) % 400);
      const wasAcknowledged = acknowledged.has(clientId);
      const lines = await runUntilKilled(['--import', 'tsx', 'test/fault/day-close-worker.ts', dataDir, clientId], killAfterMs);
      kills += 1;
      for (const line of lines) {
        const [what, reportId, sequence, repeated] = line.split(' ');
        if (what !== 'closed') continue;
        const earlier = acknowledged.get(clientId);
        if (earlier) {
          assert.deepEqual({ reportId, sequence: Number(sequence) }, earlier, `seed ${seed}: ${clientId} answered another close`);
          assert.equal(repeated, 'true', `seed ${seed}: ${clientId} closed twice`);
        }
        acknowledged.set(clientId, { reportId: reportId!, sequence: Number(sequence) });
      }
      await checkCloses(dataDir, seed, acknowledged);
      if (wasAcknowledged && lines.some((line) => line.startsWith('closed '))) break;
    }
    assert.ok(acknowledged.has(clientId), `seed ${seed}: ${clientId} never acknowledged`);
  }
  assert.ok(kills >= closesWanted * 2, `killed ${kills} times`);
  await assertLedgerVerifies(dataDir, { DEVPAY_DATA_KEY: toHex(dataKey) });
});

async function checkCloses(dataDir: string, seed: number, acknowledged: ReadonlyMap<string, { reportId: string; sequence: number }>): Promise<void> {
  const ledger = await openLedger({ dataDir, clock: systemClock, random: systemRandom, mustExist: true, dataKey });
  try {
    assert.deepEqual((await verifyLedger(ledger)).violations, [], `seed ${seed}`);
    const store = new DayCloseStore(ledger);
    const reports = (await store.list(100)).reverse();
    assert.deepEqual(reports.map((report) => report.sequence), reports.map((_, index) => index + 1), `seed ${seed}: sequences without gaps`);
    for (let index = 1; index < reports.length; index += 1) assert.equal(reports[index]!.fromMs, reports[index - 1]!.toMs, `seed ${seed}: periods follow each other`);
    for (const [clientId, close] of acknowledged) {
      const stored = await store.byClientId(clientId);
      assert.deepEqual({ reportId: stored?.id, sequence: stored?.sequence }, close, `seed ${seed}: acknowledged close of ${clientId} kept`);
    }
    const closedIds = new Set<string>();
    for (const report of reports) closedIds.add(report.id);
    assert.equal(closedIds.size, reports.length, `seed ${seed}: a report stored twice`);
    const audited = (await ledger.audit.all()).filter((entry) => entry.kind === 'day_closed');
    assert.deepEqual(audited.map((entry) => entry.payload.reportId), reports.map((report) => report.id), `seed ${seed}: one day_closed per close`);
    const clientIds = audited.map((entry) => entry.payload.clientId);
    assert.equal(new Set(clientIds).size, clientIds.length, `seed ${seed}: a client id closed twice`);
  } finally {
    await ledger.close();
  }
}
