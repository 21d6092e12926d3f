// `npm run bench -- ledger`: the durable ledger against its floors, measured side by side in
// one run on this disk. Prints one JSON object.
//   post_p50_ms / post_p99_ms / posts_per_s: sequential durable posts (each waits for its fsync)
//   group_posts_per_s: 32 posts in flight at once, sharing group commits
//   raw_sqlite_inserts_per_s: better-sqlite3 alone, WAL + synchronous=FULL, the same bytes a
//     payment writes (its transaction, two balances, outbox entry and audit entry, sealed) in one
//     SQLite transaction per payment: this disk's floor for what a post must put on it
//   raw_sqlite_single_row_per_s: the same, but one sealed transaction body per commit
//   rxdb_memory_inserts_per_s: RxDB's memory storage alone, same documents, no durability
//   open_100k_ms / rss_100k_mb: a fresh process opening a ledger of 100,000 unsettled (hot)
//     transactions
//   open_1m_ms / rss_1m_mb: a fresh process opening a terminal's ledger of 1,000,000 settled
//     transactions (nine years of a busy counter) and 100,000 reserve tokens, the reserve store
//     loaded too, verified first with `devpay ledger verify` (verify_1m_s)
//   journal_page_p50_ms / journal_page_p99_ms: 50-row filtered journal pages over that ledger
//     (currency and state with three cursor pages on, last four digits, one day, an amount
//     range, a payment id)
//   hot_post_p50_ms / hot_post_p99_ms: sequential durable posts with that history present
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { build as esbuild } from 'esbuild';
import { createRxDatabase } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { createUlidFactory } from '../core/ids.js';
import { SealedCodec } from '../ledger/durable/sealed-codec.js';
import { transactionSchema } from '../ledger/schemas.js';
import { offlinePayment, openTestLedger, testDataKey } from '../ledger/test-ledger.js';
import { systemClock, systemRandom } from '../runtime/system-clock.js';
import { toHex } from '../core/clock.js';
import { buildMillionLedger } from './ledger-million.js';

const sequentialPosts = 2000;
const groupPosts = 20_000;
const groupConcurrency = 32;
const largeLedgerTransactions = 100_000;

function percentileMs(samples: number[], fraction: number): number {
  const sorted = [...samples].sort((left, right) => left - right);
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!.toFixed(3));
}

async function measurePosts(): Promise<{ p50: number; p99: number; perSecond: number; groupPerSecond: number; rows: PaymentRows }> {
  const handle = await openTestLedger(11, mkdtempSync(join(tmpdir(), 'devpay-bench-ledger-')));
  const latencies: number[] = [];
  const started = performance.now();
  for (let index = 0; index < sequentialPosts; index += 1) {
    const postStarted = performance.now();
    const result = await handle.ledger.engine.post(offlinePayment(handle.nextId(), 'TRY', BigInt(index + 1)));
    if (result.result !== 'ok') throw new Error(result.result);
    latencies.push(performance.now() - postStarted);
  }
  const perSecond = sequentialPosts / ((performance.now() - started) / 1000);
  const { collections } = handle.ledger.database;
  const rows: PaymentRows = {
    transaction: JSON.stringify((await handle.ledger.engine.transactions.hot())[0]),
    balances: (await collections.balances.find().exec()).slice(0, 2).map((document) => JSON.stringify(document.toJSON())),
    outbox: JSON.stringify((await collections.outbox.findOne().exec())!.toJSON()),
    audit: JSON.stringify((await handle.ledger.audit.all()).at(-1)),
  };
  let issued = 0;
  const groupStarted = performance.now();
  await Promise.all(
    Array.from({ length: groupConcurrency }, async () => {
      while (issued < groupPosts) {
        issued += 1;
        const result = await handle.ledger.engine.post(offlinePayment(handle.nextId(), 'USD', 1n));
        if (result.result !== 'ok') throw new Error(result.result);
      }
    }),
  );
  const groupPerSecond = groupPosts / ((performance.now() - groupStarted) / 1000);
  await handle.ledger.close();
  rmSync(handle.dataDir, { recursive: true, force: true });
  return { p50: percentileMs(latencies, 0.5), p99: percentileMs(latencies, 0.99), perSecond, groupPerSecond, rows };
}

interface PaymentRows {
  transaction: string;
  balances: string[];
  outbox: string;
  audit: string;
}

/** One SQLite transaction per payment, in the ledger's own table layout, with no RxDB or engine. */
function measureRawSqlite(rows: PaymentRows, singleRow: boolean): number {
  const dir = mkdtempSync(join(tmpdir(), 'devpay-bench-raw-'));
  const database = new Database(join(dir, 'raw.sqlite'));
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.exec('CREATE TABLE documents (collection TEXT NOT NULL, id TEXT NOT NULL, body BLOB NOT NULL, PRIMARY KEY (collection, id)) WITHOUT ROWID');
  database.exec('CREATE TABLE audit (seq INTEGER PRIMARY KEY, body BLOB NOT NULL)');
  const upsert = database.prepare('INSERT INTO documents (collection, id, body) VALUES (?, ?, ?) ON CONFLICT (collection, id) DO UPDATE SET body = excluded.body');
  const audit = database.prepare('INSERT INTO audit (seq, body) VALUES (?, ?)');
  const codec = new SealedCodec(testDataKey, systemRandom);
  const nextId = createUlidFactory(systemClock, systemRandom);
  const writePayment = database.transaction((index: number) => {
    const id = nextId();
    upsert.run('ledger/transactions/0', id, codec.seal('t', rows.transaction));
    if (singleRow) return;
    rows.balances.forEach((balance, which) => upsert.run('ledger/balances/0', `balance-${which}`, codec.seal('b', balance)));
    upsert.run('ledger/outbox/0', id, codec.seal('o', rows.outbox));
    audit.run(index + 1, codec.seal('a', rows.audit));
  });
  const started = performance.now();
  for (let index = 0; index < sequentialPosts; index += 1) writePayment(index);
  const perSecond = sequentialPosts / ((performance.now() - started) / 1000);
  database.close();
  rmSync(dir, { recursive: true, force: true });
  return perSecond;
}

async function measureRxdbMemory(): Promise<number> {
  const database = await createRxDatabase({ name: 'benchmemory', storage: getRxStorageMemory(), multiInstance: false });
  const { transactions } = await database.addCollections({ transactions: { schema: transactionSchema } });
  const nextId = createUlidFactory(systemClock, systemRandom);
  const started = performance.now();
  for (let index = 0; index < sequentialPosts; index += 1) {
    const draft = offlinePayment(nextId(), 'TRY', BigInt(index + 1));
    await transactions.insert({ ...draft, createdAtMs: 1, updatedAtMs: 1 });
  }
  const perSecond = sequentialPosts / ((performance.now() - started) / 1000);
  await database.remove();
  return perSecond;
}

async function measureLargeOpen(): Promise<{ openMs: number; rssMb: number }> {
  const handle = await openTestLedger(12, mkdtempSync(join(tmpdir(), 'devpay-bench-100k-')));
  let issued = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (issued < largeLedgerTransactions) {
        issued += 1;
        const result = await handle.ledger.engine.post(offlinePayment(handle.nextId(), 'EUR', BigInt(issued)));
        if (result.result !== 'ok') throw new Error(result.result);
      }
    }),
  );
  await handle.ledger.close();
  // A fresh process running the code as it ships (bundled by esbuild, as dist/runtime is), so the
  // figures are the open alone, without this process's history or tsx's compiler in memory.
  const bundle = join(import.meta.dirname, '..', 'dist', 'bench', 'ledger-open.mjs');
  await esbuild({ entryPoints: [join(import.meta.dirname, 'ledger-open.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: bundle, logLevel: 'warning' });
  const child = spawnSync(process.execPath, [bundle, handle.dataDir], { encoding: 'utf8' });
  rmSync(handle.dataDir, { recursive: true, force: true });
  if (child.status !== 0) throw new Error(`ledger-open failed: ${child.stderr}`);
  const measured = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { openMs: number; rssMb: number; transactions: number };
  if (measured.transactions < largeLedgerTransactions) throw new Error(`opened ${measured.transactions} transactions`);
  return measured;
}

async function measureMillion(): Promise<Record<string, number>> {
  const built = await buildMillionLedger();
  try {
    const environment = { ...process.env, DEVPAY_DATA_KEY: toHex(testDataKey) };
    const verifyStarted = performance.now();
    const verify = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'bin', 'devpay.js'), 'ledger', 'verify', '--data', built.dataDir], { encoding: 'utf8', env: environment });
    const verifyS = (performance.now() - verifyStarted) / 1000;
    const report = JSON.parse(verify.stdout.trim().split('\n')[0] ?? '{}') as { ok?: boolean; transactions?: number; reserveTokens?: number };
    if (verify.status !== 0 || !report.ok) throw new Error(`devpay ledger verify refused the million ledger: ${verify.stdout}${verify.stderr}`);
    const bundle = join(import.meta.dirname, '..', 'dist', 'bench', 'ledger-open.mjs');
    await esbuild({ entryPoints: [join(import.meta.dirname, 'ledger-open.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: bundle, logLevel: 'warning' });
    const child = spawnSync(process.execPath, [bundle, built.dataDir, '--reserve', '--measure'], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`ledger-open failed: ${child.stderr}`);
    const measured = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { openMs: number; rssMb: number; transactions: number; tokens: number; journalPageP50Ms: number; journalPageP99Ms: number; hotPostP50Ms: number; hotPostP99Ms: number };
    if (measured.transactions < 1_000_000 || measured.tokens !== 100_000) throw new Error(`opened ${measured.transactions} transactions and ${measured.tokens} tokens`);
    return {
      million_build_s: Number(built.buildS.toFixed(1)),
      million_transactions: report.transactions ?? 0,
      million_reserve_tokens: report.reserveTokens ?? 0,
      verify_1m_s: Number(verifyS.toFixed(1)),
      open_1m_ms: Math.round(measured.openMs),
      rss_1m_mb: measured.rssMb,
      journal_page_p50_ms: measured.journalPageP50Ms,
      journal_page_p99_ms: measured.journalPageP99Ms,
      hot_post_p50_ms: measured.hotPostP50Ms,
      hot_post_p99_ms: measured.hotPostP99Ms,
    };
  } finally {
    rmSync(built.dataDir, { recursive: true, force: true });
  }
}

export async function runLedgerBench(): Promise<Record<string, unknown>> {
  const posts = await measurePosts();
  const raw = measureRawSqlite(posts.rows, false);
  const rawSingleRow = measureRawSqlite(posts.rows, true);
  const memory = await measureRxdbMemory();
  const large = await measureLargeOpen();
  const million = await measureMillion();
  return {
    bench: 'ledger',
    post_p50_ms: posts.p50,
    post_p99_ms: posts.p99,
    posts_per_s: Math.round(posts.perSecond),
    group_posts_per_s: Math.round(posts.groupPerSecond),
    group_concurrency: groupConcurrency,
    raw_sqlite_inserts_per_s: Math.round(raw),
    raw_sqlite_single_row_per_s: Math.round(rawSingleRow),
    rxdb_memory_inserts_per_s: Math.round(memory),
    posts_vs_raw_ratio: Number((posts.perSecond / raw).toFixed(3)),
    posts_vs_single_row_ratio: Number((posts.perSecond / rawSingleRow).toFixed(3)),
    open_100k_ms: Math.round(large.openMs),
    rss_100k_mb: large.rssMb,
    ...million,
  };
}
