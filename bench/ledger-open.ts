// Opens a ledger folder in a fresh process and prints how long the open took and the RSS after
// it, as JSON; used by the ledger benchmark for its 100,000-transaction figures and by the tap
// benchmark (with --reserve, loading the reserve store too) for a terminal holding 100,000
// reserve tokens. Usage: ledger-open.ts DATA_DIR [--data-key HEX] [--reserve]
import { performance } from 'node:perf_hooks';
import { fromHex } from '../core/clock.js';
import { openLedger } from '../ledger/ledger.js';
import { ReserveStore } from '../ledger/reserve-store.js';
import { testDataKey } from '../ledger/test-ledger.js';
import { systemClock, systemRandom } from '../runtime/system-clock.js';

const [dataDir, ...flags] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: ledger-open.ts DATA_DIR [--data-key HEX] [--reserve]');
const keyIndex = flags.indexOf('--data-key');
const dataKey = keyIndex >= 0 ? fromHex(flags[keyIndex + 1] ?? '') : testDataKey;
const started = performance.now();
const ledger = await openLedger({ dataDir, clock: systemClock, random: systemRandom, dataKey, mustExist: true });
let tokens = 0;
if (flags.includes('--reserve')) {
  const reserve = new ReserveStore(ledger, null);
  await reserve.load();
  tokens = reserve.totalAvailable();
}
const openMs = performance.now() - started;
const transactions = await ledger.database.collections.transactions.count().exec();
const rssMb = Math.round(process.memoryUsage().rss / 1048576);
await ledger.close();
process.stdout.write(`${JSON.stringify({ openMs, rssMb, transactions, tokens })}\n`);
