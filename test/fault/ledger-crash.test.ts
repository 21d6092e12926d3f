// Crash test with real processes: `devpay ledger load` posts test payments and prints each id
// once it is durable; the test SIGKILLs it at random moments, over and over, reopens the ledger
// each time and proves that every acknowledged id is present exactly once, every balance
// equals its entries and the audit chain is intact. The seed is printed so a failure replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../core/clock.js';
import { openLedger } from '../../ledger/ledger.js';
import { verifyLedger } from '../../ledger/verifier.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { devpayBin, runDevpay } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { runUntilKilled } from '../harness/kill-after-output.js';

const kills = 20;

test(`SIGKILL during ledger load ${kills} times loses no acknowledged payment and counts none twice`, { timeout: 300_000 }, async () => {
  const seed = Number(process.env.DEVPAY_CRASH_SEED ?? Date.now() % 1_000_000);
  process.stdout.write(`# ledger crash test seed ${seed} (DEVPAY_CRASH_SEED=${seed} replays it)\n`);
  const random = seededRandom(seed);
  const dataDir = freshDir('ledger-crash');
  const acknowledged = new Set<string>();
  for (let round = 0; round < kills; round += 1) {
    const bytes = random.bytes(2);
    const killAfterMs = 20 + (((bytes[0]! << 8) | bytes[1]!) % 400);
    const acknowledgedNow = await runUntilKilled([devpayBin, 'ledger', 'load', '--data', dataDir, '--count', '1000000', '--concurrency', '4'], killAfterMs);
    for (const id of acknowledgedNow) {
      assert.ok(!acknowledged.has(id), `seed ${seed}: id ${id} acknowledged twice`);
      acknowledged.add(id);
    }
    const ledger = await openLedger({ dataDir, clock: systemClock, random: systemRandom, mustExist: true });
    try {
      const ids = new Set((await ledger.transactions.all()).map((document) => document.id));
      const missing = [...acknowledged].filter((id) => !ids.has(id));
      assert.deepEqual(missing, [], `seed ${seed}, round ${round}: acknowledged payments missing after SIGKILL`);
      const report = await verifyLedger(ledger);
      assert.deepEqual(report.violations, [], `seed ${seed}, round ${round}`);
    } finally {
      await ledger.close();
    }
  }
  assert.ok(acknowledged.size > kills, `payments were acknowledged (${acknowledged.size})`);
  const verify = await runDevpay(['ledger', 'verify', '--data', dataDir]);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  assert.match(verify.stdout, /"ok":true/);
});
