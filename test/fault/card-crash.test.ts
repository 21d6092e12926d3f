// Crash test of offline card approvals with real processes and real SIGKILLs: a terminal process
// approves taps against its reserve tokens, four in flight, and prints each approval once it is
// durable; the test kills it at seeded moments, reopens the ledger each time and proves that every
// acknowledged payment is there, that a payment and its spent token always reached disk
// together (no spent token without its payment, no card payment without its spent token), that
// no ATC was approved twice, and that the ledger verifies. The seed is printed so a failure replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../core/clock.js';
import { openLedger } from '../../ledger/ledger.js';
import { ReserveTokenTable } from '../../ledger/reserve-token-table.js';
import { verifyLedger } from '../../ledger/verifier.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { freshDir } from '../harness/output-dir.js';
import { runUntilKilled } from '../harness/kill-after-output.js';

const kills = 12;
const crashDataKey = new Uint8Array(32).fill(0x77);

test(`SIGKILL during offline card approvals ${kills} times: payment and spent token together, no ATC twice`, { timeout: 300_000 }, async () => {
  const seed = Number(process.env.DEVPAY_CRASH_SEED ?? Date.now() % 1_000_000);
  process.stdout.write(`# card crash test seed ${seed} (DEVPAY_CRASH_SEED=${seed} replays it)\n`);
  const random = seededRandom(seed);
  const dataDir = freshDir('card-crash');
  const acknowledged = new Map<string, string>();
  for (let round = 0; round < kills; round += 1) {
    const bytes = random.bytes(2);
    const killAfterMs = 10 + (((bytes[0]! << 8) | bytes[1]!) % 300);
    for (const line of await runUntilKilled(['--import', 'tsx', 'test/fault/card-crash-worker.ts', dataDir, String(seed + round)], killAfterMs)) {
      const [paymentId, atc] = line.split(' ');
      assert.ok(!acknowledged.has(paymentId!), `seed ${seed}: ${paymentId} acknowledged twice`);
      acknowledged.set(paymentId!, atc!);
    }
    const ledger = await openLedger({ dataDir, clock: systemClock, random: systemRandom, dataKey: crashDataKey, mustExist: true });
    try {
      const payments = (await ledger.transactions.all()).filter((transaction) => transaction.kind === 'payment');
      const byId = new Map(payments.map((payment) => [payment.id, payment]));
      const missing = [...acknowledged.keys()].filter((id) => !byId.has(id));
      assert.deepEqual(missing, [], `seed ${seed}, round ${round}: acknowledged payments missing after SIGKILL`);
      const tokens = [...new ReserveTokenTable(ledger.database).all()].map((row) => row.token).filter((token) => token.state === 'spent');
      const spentBy = new Map(tokens.map((token) => [token.spentByPaymentId, token]));
      for (const payment of payments) {
        const token = spentBy.get(payment.id);
        assert.ok(token, `seed ${seed}, round ${round}: payment ${payment.id} on disk without its spent token`);
        assert.equal(token.atc, payment.card?.atc, `seed ${seed}: payment ${payment.id} spent the token of its own ATC`);
      }
      for (const token of tokens) assert.ok(byId.has(token.spentByPaymentId!), `seed ${seed}, round ${round}: token ${token.id} spent without its payment`);
      const atcs = payments.map((payment) => payment.card!.atc);
      assert.equal(new Set(atcs).size, atcs.length, `seed ${seed}, round ${round}: an ATC approved twice`);
      assert.deepEqual((await verifyLedger(ledger)).violations, [], `seed ${seed}, round ${round}`);
    } finally {
      await ledger.close();
    }
  }
  assert.ok(acknowledged.size > kills * 2, `approvals were acknowledged (${acknowledged.size})`);
});
