// Opens a ledger folder in a fresh process and prints how long the open took and the RSS after
// it, as JSON; used by the ledger benchmark for its 100,000-transaction figures.
import { performance } from 'node:perf_hooks';
import { openLedger } from '../ledger/ledger.js';
import { testDataKey } from '../ledger/test-ledger.js';
import { systemClock, systemRandom } from '../runtime/system-clock.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: ledger-open.ts DATA_DIR');
const started = performance.now();
const ledger = await openLedger({ dataDir, clock: systemClock, random: systemRandom, dataKey: testDataKey, mustExist: true });
const openMs = performance.now() - started;
const transactions = await ledger.database.collections.transactions.count().exec();
const rssMb = Math.round(process.memoryUsage().rss / 1048576);
await ledger.close();
process.stdout.write(`${JSON.stringify({ openMs, rssMb, transactions })}\n`);
