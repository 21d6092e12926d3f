// Damaged files: a ledger left by a SIGKILLed writer (so its WAL holds the latest commits) is
// copied, and each copy has its database or WAL truncated or bytes flipped near the end. Opening
// a copy must either recover a committed prefix that verifies and matches the intact ledger
// entry for entry, or refuse with a named LedgerOpenError and leave the files as they were, or
// (damage in cold history or the audit journal, which the open does not read) open and have
// verify name the damage. It never returns altered money. A wrong data key is refused at open.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { seededRandom } from '../../core/clock.js';
import { openLedger } from '../../ledger/ledger.js';
import { verifyLedger } from '../../ledger/verifier.js';
import { LedgerOpenError } from '../../ledger/durable/sqlite-store.js';
import { ColdReadError } from '../../ledger/durable/cold-tables.js';
import { ledgerFileName } from '../../ledger/ledger-database.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { devpayBin } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';

async function loadThenKill(dataDir: string, count: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [devpayBin, 'ledger', 'load', '--data', dataDir, '--count', '100000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let lines = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      lines += chunk.toString().split('\n').length - 1;
      if (lines >= count) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
}

/**
 * Hashes of the database and its WAL. The -shm index is SQLite's scratch space, rebuilt at will,
 * a read-only open may create an empty WAL, and the writer lock comes and goes; none holds data.
 */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).filter((name) => !name.endsWith('-shm') && name !== 'ledger.lock' && statSync(join(dir, name)).size > 0).sort().map((name) => [name, createHash('sha256').update(readFileSync(join(dir, name))).digest('hex')]));
}

async function transactionsOf(dataDir: string): Promise<Map<string, string>> {
  const ledger = await openLedger({ dataDir, clock: systemClock, random: systemRandom, mustExist: true });
  try {
    const report = await verifyLedger(ledger);
    assert.deepEqual(report.violations, []);
    const documents = await ledger.transactions.all();
    return new Map(documents.map((document) => [document.id, JSON.stringify(document.postings)]));
  } finally {
    await ledger.close();
  }
}

test('truncated or flipped database and WAL files recover a committed prefix or are refused by name', { timeout: 180_000 }, async () => {
  const original = freshDir('ledger-damage-original');
  await loadThenKill(original, 300);
  assert.ok(existsSync(join(original, `${ledgerFileName}-wal`)), 'the killed writer left a WAL');
  const pristineCopy = freshDir('ledger-damage-pristine');
  for (const name of readdirSync(original)) copyFileSync(join(original, name), join(pristineCopy, name));
  const intact = await transactionsOf(pristineCopy);
  assert.ok(intact.size >= 300);

  // A second source with the WAL checkpointed into the database file, so damage there hits pages
  // that hold documents rather than pages the WAL supersedes.
  const checkpointed = freshDir('ledger-damage-checkpointed');
  for (const name of readdirSync(original)) copyFileSync(join(original, name), join(checkpointed, name));
  const raw = new Database(join(checkpointed, ledgerFileName));
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();

  const random = seededRandom(20261124);
  const outcomes: Record<string, number> = { recovered: 0, refused: 0, refusedAtVerify: 0 };
  const damages: Array<{ source: string; file: string; kind: 'truncate' | 'flip'; bytes: number; window: number }> = [];
  for (const file of [ledgerFileName, `${ledgerFileName}-wal`]) {
    for (const bytes of [1, 17, 100, 4096, 10_000]) damages.push({ source: original, file, kind: 'truncate', bytes, window: 0 });
    for (let flip = 0; flip < 6; flip += 1) damages.push({ source: original, file, kind: 'flip', bytes: 1 + (random.bytes(1)[0]! % 8), window: 16_384 });
  }
  for (const bytes of [1, 100, 4096, 40_000]) damages.push({ source: checkpointed, file: ledgerFileName, kind: 'truncate', bytes, window: 0 });
  for (let flip = 0; flip < 10; flip += 1) damages.push({ source: checkpointed, file: ledgerFileName, kind: 'flip', bytes: 1 + (random.bytes(1)[0]! % 4), window: 1 << 30 });
  for (const [index, damage] of damages.entries()) {
    const copy = freshDir(`ledger-damage-${index}`);
    mkdirSync(copy, { recursive: true });
    for (const name of readdirSync(damage.source)) copyFileSync(join(damage.source, name), join(copy, name));
    const path = join(copy, damage.file);
    const size = statSync(path).size;
    if (damage.kind === 'truncate') {
      truncateSync(path, Math.max(0, size - damage.bytes));
    } else {
      const content = readFileSync(path);
      const window = Math.min(size, damage.window);
      for (let flip = 0; flip < damage.bytes; flip += 1) {
        const draw = random.bytes(4);
        const offset = size - 1 - ((((draw[0]! << 24) | (draw[1]! << 16) | (draw[2]! << 8) | draw[3]!) >>> 0) % window);
        content[offset] = content[offset]! ^ (1 << (random.bytes(1)[0]! % 8));
      }
      writeFileSync(path, content);
    }
    const before = snapshot(copy);
    let ledger;
    try {
      ledger = await openLedger({ dataDir: copy, clock: systemClock, random: systemRandom, mustExist: true });
    } catch (error) {
      assert.ok(error instanceof LedgerOpenError, `${JSON.stringify({ ...damage, source: damage.source === checkpointed ? 'checkpointed' : 'wal' })}: ${(error as Error).name}: ${(error as Error).message}`);
      assert.deepEqual(snapshot(copy), before, `${JSON.stringify({ ...damage, source: damage.source === checkpointed ? 'checkpointed' : 'wal' })}: a refused open must leave the files untouched`);
      outcomes.refused! += 1;
      continue;
    }
    const label = JSON.stringify({ ...damage, source: damage.source === checkpointed ? 'checkpointed' : 'wal' });
    try {
      // The hot money documents are all authenticated at open. The open checks only the hot
      // tables, so its time does not grow with history: cold history (final transactions, reserve
      // tokens) is authenticated when read and checked whole by verify (SQLite's full integrity
      // check), and audit entries (append-only, not loaded into memory) are authenticated when
      // read. Damage there is named by verify: a ColdReadError or LedgerOpenError it throws, or
      // a `sqlite integrity check:` violation in its report.
      let report;
      try {
        report = await verifyLedger(ledger);
      } catch (error) {
        assert.ok(error instanceof ColdReadError || (error instanceof LedgerOpenError && /^audit entry \d+:/.test(error.message)), `${label}: ${(error as Error).name}: ${(error as Error).message}`);
        outcomes.refusedAtVerify! += 1;
        continue;
      }
      if (report.violations.some((violation) => violation.startsWith('sqlite integrity check:'))) {
        outcomes.refusedAtVerify! += 1;
        continue;
      }
      assert.deepEqual(report.violations, [], label);
      const documents = await ledger.transactions.all();
      for (const document of documents) {
        assert.equal(JSON.stringify(document.postings), intact.get(document.id), `${JSON.stringify({ ...damage, source: damage.source === checkpointed ? 'checkpointed' : 'wal' })}: ${document.id} differs from the intact ledger`);
      }
      // A prefix: everything recovered was in the intact ledger, and nothing newer survived while something older was lost.
      const recovered = documents.map((document) => document.id).sort();
      const expectedPrefix = [...intact.keys()].sort().slice(0, recovered.length);
      assert.deepEqual(recovered, expectedPrefix, `${JSON.stringify({ ...damage, source: damage.source === checkpointed ? 'checkpointed' : 'wal' })}: recovered a prefix`);
      outcomes.recovered! += 1;
    } finally {
      await ledger.close();
    }
  }
  process.stdout.write(`# damaged copies: ${JSON.stringify(outcomes)}\n`);
  assert.equal(outcomes.recovered! + outcomes.refused! + outcomes.refusedAtVerify!, damages.length);
  assert.ok(outcomes.recovered! > 0 && outcomes.refused! > 0, 'both outcomes were exercised');
});

test('a wrong data key is refused by name and changes nothing', async () => {
  const dataDir = freshDir('ledger-wrong-key');
  await loadThenKill(dataDir, 5);
  const before = snapshot(dataDir);
  await assert.rejects(
    openLedger({ dataDir, clock: systemClock, random: systemRandom, mustExist: true, dataKey: new Uint8Array(32).fill(1) }),
    (error: unknown) => error instanceof LedgerOpenError && error.code === 'wrong_data_key',
  );
  assert.deepEqual(snapshot(dataDir), before);
});
