// Opens a ledger folder in a fresh process and prints how long the open took and the RSS after
// it, as JSON; used by the ledger benchmark for its 100,000-transaction and million-transaction
// figures and by the tap benchmark (with --reserve, loading the reserve store too) for a
// terminal holding 100,000 reserve tokens. With --measure it then times journal pages (50 rows,
// filtered) and sequential durable posts over that history.
// Usage: ledger-open.ts DATA_DIR [--data-key HEX] [--reserve] [--measure]
import { performance } from 'node:perf_hooks';
import { fromHex } from '../core/clock.js';
import { openLedger, type Ledger } from '../ledger/ledger.js';
import { ReserveStore } from '../ledger/reserve-store.js';
import { testDataKey } from '../ledger/test-ledger.js';
import { systemClock, systemRandom } from '../runtime/system-clock.js';
import { journalQuerySchema, type JournalQuery } from '../core/ledger/journal.js';
import { accountId } from '../core/ledger/accounts.js';
import { createUlidFactory } from '../core/ids.js';

const [dataDir, ...flags] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: ledger-open.ts DATA_DIR [--data-key HEX] [--reserve] [--measure]');
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
const rssMb = Math.round(process.memoryUsage().rss / 1048576);
const transactions = await ledger.transactions.count();
const measured = flags.includes('--measure') ? await measure(ledger) : {};
await ledger.close();
process.stdout.write(`${JSON.stringify({ openMs, rssMb, transactions, tokens, ...measured })}\n`);

function percentile(samples: number[], fraction: number): number {
  const sorted = [...samples].sort((left, right) => left - right);
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!.toFixed(3));
}

/** Journal pages with the filters a merchant uses, and durable posts, over the ledger's history. */
async function measure(opened: Ledger): Promise<Record<string, number>> {
  const newest = (await opened.journal.list(journalQuerySchema.parse({ limit: 1 }))).transactions[0]!;
  const dayMs = 24 * 60 * 60 * 1000;
  const pages: number[] = [];
  const time = async (query: JournalQuery): Promise<string | null> => {
    const pageStarted = performance.now();
    const page = await opened.journal.list(query);
    pages.push(performance.now() - pageStarted);
    return page.nextCursor;
  };
  for (let round = 0; round < 40; round += 1) {
    const last4 = String((round * 7907) % 10_000).padStart(4, '0');
    const dayStart = newest.createdAtMs - (round * 37 + 1) * dayMs;
    let cursor = await time(journalQuerySchema.parse({ currency: 'USD', states: ['settled'], limit: 50 }));
    for (let next = 0; next < 3 && cursor; next += 1) cursor = await time(journalQuerySchema.parse({ currency: 'USD', states: ['settled'], limit: 50, cursor }));
    await time(journalQuerySchema.parse({ last4, limit: 50 }));
    await time(journalQuerySchema.parse({ fromMs: dayStart, toMs: dayStart + dayMs, limit: 50 }));
    await time(journalQuerySchema.parse({ currency: 'EUR', kinds: ['payment'], minAmountMinor: '500000', maxAmountMinor: '510000', limit: 50 }));
    await time(journalQuerySchema.parse({ paymentId: newest.referencesId ?? newest.id, limit: 50 }));
  }
  const nextId = createUlidFactory(systemClock, systemRandom);
  const posts: number[] = [];
  for (let index = 0; index < 500; index += 1) {
    const postStarted = performance.now();
    const result = await opened.engine.post({
      id: nextId(),
      kind: 'payment',
      state: 'approved_offline',
      postings: [
        { accountId: accountId('offline_clearing', opened.owner, 'TRY'), amountMinor: `-${index + 1}` },
        { accountId: accountId('merchant', opened.owner, 'TRY'), amountMinor: `${index + 1}` },
      ],
    });
    if (result.result !== 'ok') throw new Error(`post: ${result.result}`);
    posts.push(performance.now() - postStarted);
  }
  return { journalPages: pages.length, journalPageP50Ms: percentile(pages, 0.5), journalPageP99Ms: percentile(pages, 0.99), hotPostP50Ms: percentile(posts, 0.5), hotPostP99Ms: percentile(posts, 0.99) };
}
