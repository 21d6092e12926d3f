// The process the cold-move crash test kills: a terminal posting offline payments and applying
// central's verdicts to them as fast as it can, four lanes at once, so documents move from hot
// to cold all the time. It prints "posted <id>" once a payment is durable and "<state> <id>" once
// its verdict is (every third payment is rejected, the rest settled). On each run it first
// decides what an earlier run posted but never decided, as sync would after a restart.
import { openLedger } from '../../ledger/ledger.js';
import { createUlidFactory } from '../../core/ids.js';
import { offlinePayment } from '../../ledger/test-ledger.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: cold-move-worker.ts DATA_DIR');
export const coldMoveOwner = 't-test0001';
const ledger = await openLedger({ dataDir, owner: coldMoveOwner, clock: systemClock, random: systemRandom, dataKey: new Uint8Array(32).fill(0x42) });
const nextId = createUlidFactory(systemClock, systemRandom);
let count = 0;

async function decide(id: string): Promise<void> {
  const to = count++ % 3 === 0 ? 'rejected' : 'settled';
  const result = await ledger.engine.applyVerdict(id, to, nextId(), 'central');
  if (result.result !== 'ok') throw new Error(`verdict on ${id}: ${result.result}`);
  process.stdout.write(`${to} ${id}\n`);
}

for (const transaction of await ledger.engine.transactions.hot()) await decide(transaction.id);
process.stdout.write('ready\n');

async function lane(): Promise<void> {
  for (;;) {
    const draft = offlinePayment(nextId(), 'EUR', 100n + BigInt(count % 50));
    const posted = await ledger.engine.post(draft);
    if (posted.result !== 'ok') throw new Error(`post: ${posted.result}`);
    process.stdout.write(`posted ${draft.id}\n`);
    await decide(draft.id);
  }
}

await Promise.all([lane(), lane(), lane(), lane()]);
