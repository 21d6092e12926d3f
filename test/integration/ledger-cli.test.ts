// The ledger commands as a technician and an auditor use them, through the real `devpay`
// command: load prints durable ids, verify passes and then catches a balance altered on disk
// (re-sealed with the right key, so only the books can tell), audit export writes a chain that
// verifies, and a ledger held by a running terminal is not opened twice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { WebSocket } from 'ws';
import { fromHex } from '../../core/clock.js';
import { verifyChain } from '../../ledger/audit-journal.js';
import { SealedCodec } from '../../ledger/durable/sealed-codec.js';
import type { AuditDocument } from '../../ledger/schemas.js';
import { systemRandom } from '../../runtime/system-clock.js';
import { runDevpay, startDevpay } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { setUpAdmin } from '../harness/operator-sign-in.js';

test('ledger load, verify, audit export, and verify catching an altered balance', { timeout: 60_000 }, async () => {
  const dataDir = freshDir('ledger-cli');
  const load = await runDevpay(['ledger', 'load', '--data', dataDir, '--count', '12', '--concurrency', '3']);
  assert.equal(load.code, 0, load.stderr);
  const ids = load.stdout.trim().split('\n');
  assert.equal(ids.length, 12);
  assert.ok(ids.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)));

  const verified = await runDevpay(['ledger', 'verify', '--data', dataDir]);
  assert.equal(verified.code, 0, verified.stdout + verified.stderr);
  assert.match(verified.stdout, /"ok":true,"transactions":12/);

  const out = join(dataDir, 'audit.jsonl');
  const exported = await runDevpay(['audit', 'export', '--data', dataDir, '--out', out]);
  assert.equal(exported.code, 0, exported.stderr);
  const entries = readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as AuditDocument);
  assert.equal(verifyChain(entries), null);
  assert.equal(entries.filter((entry) => entry.kind === 'transaction_posted').length, 12);

  // Alter one maintained balance on disk, sealing it properly, as a bug or an insider might.
  const codec = new SealedCodec(fromHex(readFileSync(join(dataDir, 'data.key'), 'utf8').trim()), systemRandom);
  const database = new Database(join(dataDir, 'ledger.sqlite'));
  const row = database.prepare("SELECT id, body FROM documents WHERE collection = 'ledger/balances/0' AND id LIKE 'test_sink:%' LIMIT 1").get() as { id: string; body: Buffer };
  const balance = JSON.parse(codec.open(`ledger/balances/0\u0000${row.id}`, row.body)) as { balanceMinor: string };
  balance.balanceMinor = (BigInt(balance.balanceMinor) + 1n).toString();
  database.prepare("UPDATE documents SET body = ? WHERE collection = 'ledger/balances/0' AND id = ?").run(codec.seal(`ledger/balances/0\u0000${row.id}`, JSON.stringify(balance)), row.id);
  database.close();
  const caught = await runDevpay(['ledger', 'verify', '--data', dataDir]);
  assert.equal(caught.code, 1);
  assert.match(caught.stdout, /violation: account test_sink:[\w-]+:\w+: balance \d+ but entries sum to \d+/);
});

test('a running terminal owns its ledger: ledger.summary answers, a second writer is refused', { timeout: 60_000 }, async () => {
  const dataDir = freshDir('ledger-owned');
  assert.equal((await runDevpay(['ledger', 'load', '--data', dataDir, '--count', '4'])).code, 0);
  // Provisioned (a sync key, no broker), so its first admin can be created to ask for the summary.
  const syncKeyHex = '5e'.repeat(32);
  const server = await startDevpay(['serve', '--no-pcsc', '--data', dataDir, '--port', '0'], { env: { DEVPAY_SYNC_KEY: syncKeyHex } });
  try {
    await setUpAdmin(server.url, { syncKey: syncKeyHex, pin: '3907162' });
    const socket = new WebSocket(server.url);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const reply = await new Promise<Record<string, unknown>>((resolve) => {
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString()) as Record<string, unknown>;
        if (message.type === 'result') resolve(message);
      });
      socket.send(JSON.stringify({ v: 1, type: 'call', id: 's', method: 'ledger.summary', params: {} }));
    });
    socket.close();
    const summary = reply.result as { transactionCount: number; pendingOutboxCount: number; currencies: unknown[] };
    assert.equal(summary.transactionCount, 4);
    assert.equal(summary.pendingOutboxCount, 0, 'test payments never enter the outbox');
    assert.equal(summary.currencies.length, 5);
    const second = await runDevpay(['ledger', 'load', '--data', dataDir, '--count', '1']);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /the ledger is in use by process \d+/);
  } finally {
    assert.equal(await server.stop(), 0);
  }
  assert.equal((await runDevpay(['ledger', 'verify', '--data', dataDir])).code, 0, 'the lock is released on shutdown');
});
