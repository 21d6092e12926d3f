// Crash test of the move from hot to cold, with real processes and real SIGKILLs: a worker posts
// offline payments and applies central's verdicts, so every payment moves from RxDB's hot set to
// the cold SQLite table in the unit of its verdict, while the test kills it at seeded moments.
// After every kill the reopened ledger must hold every acknowledged payment exactly once (hot
// while undecided, cold once its verdict was acknowledged, never both: verify checks that), in
// at least the state acknowledged, with its settlement or reversal, and verify must pass; the
// journal must list each payment once. The seed is printed so a failure replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../core/clock.js';
import { journalQuerySchema } from '../../core/ledger/journal.js';
import { openLedger } from '../../ledger/ledger.js';
import { verifyLedger } from '../../ledger/verifier.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { freshDir } from '../harness/output-dir.js';
import { runUntilKilled } from '../harness/kill-after-output.js';

const kills = 12;

test(`SIGKILL while payments move from hot to cold, ${kills} times, loses and duplicates nothing`, { timeout: 300_000 }, async () => {
  const seed = Number(process.env.DEVPAY_CRASH_SEED ?? Date.now() % 1_000_000);
  process.stdout.write(`# cold move crash test seed ${seed} (DEVPAY_CRASH_SEED=${seed} replays it)\n`);
  const random = seededRandom(seed);
  const dataDir = freshDir('cold-move-crash');
  const posted = new Set<string>();
  const decided = new Map<string, string>();
  for (let round = 0; round < kills; round += 1) {
    const bytes = random.bytes(2);
    const killAfterMs = 10 + (((bytes[0]! << 8) | bytes[1]!) % 300);
    for (const line of await runUntilKilled(['--import', 'tsx', 'test/fault/cold-move-worker.ts', dataDir], killAfterMs)) {
      const [what, id] = line.split(' ');
      if (what === 'posted') posted.add(id!);
      else if (what === 'settled' || what === 'rejected') {
        assert.ok(!decided.has(id!), `seed ${seed}: ${id} decided twice`);
        decided.set(id!, what);
      }
    }
    const ledger = await openLedger({ dataDir, clock: systemClock, random: systemRandom, mustExist: true, dataKey: new Uint8Array(32).fill(0x42) });
    try {
      const report = await verifyLedger(ledger);
      assert.deepEqual(report.violations, [], `seed ${seed}, round ${round}`);
      const payments = await ledger.transactions.getMany([...new Set([...posted, ...decided.keys()])]);
      const missing = [...posted].filter((id) => !payments.has(id));
      assert.deepEqual(missing, [], `seed ${seed}, round ${round}: acknowledged payments missing`);
      for (const [id, state] of decided) assert.equal(payments.get(id)?.state, state, `seed ${seed}, round ${round}: ${id} lost its acknowledged verdict`);
      const hot = new Set((await ledger.engine.transactions.hot()).map((transaction) => transaction.id));
      for (const id of decided.keys()) assert.ok(!hot.has(id), `seed ${seed}: decided ${id} is still hot`);
      // The journal lists each payment once, whichever side it is on.
      const listed: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof ledger.journal.list>> = await ledger.journal.list(journalQuerySchema.parse({ kinds: ['payment'], limit: 100, ...(cursor ? { cursor } : {}) }));
        listed.push(...page.transactions.map((transaction) => transaction.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.equal(new Set(listed).size, listed.length, `seed ${seed}: a payment listed twice`);
      for (const id of posted) assert.ok(listed.includes(id), `seed ${seed}: ${id} not in the journal`);
    } finally {
      await ledger.close();
    }
  }
  assert.ok(decided.size > kills, `verdicts were acknowledged (${decided.size})`);
});
