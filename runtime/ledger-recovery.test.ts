// The reopening of a ledger whose commit failed: closing the failed ledger releases its folder
// lock (or no reopen in this process could take it); attempts back off 1 s, 2 s, 4 s, ... to the
// cap, each one that fails (open, write probe or the session built on it) closes what it opened;
// and a runtime whose ledger fails keeps answering, declines charges by name while it reopens,
// and comes back with everything that was committed before.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { manualClock, seededRandom } from '../core/clock.js';
import { createUlidFactory } from '../core/ids.js';
import type { PaymentUpdate } from '../core/api/payment.js';
import { openLedger, type Ledger } from '../ledger/ledger.js';
import { probeLedgerWrite } from '../ledger/ledger-probe.js';
import { offlinePayment, systemAccount, testDataKey, testOwner } from '../ledger/test-ledger.js';
import { createLogger } from './logger.js';
import { reopenLedgerWithBackoff, type Wait } from './ledger-recovery.js';
import { TerminalRuntime } from './terminal-runtime.js';
import { setupCodeFor } from '../core/operators/setup-code.js';

const clock = manualClock(1_795_000_000_000);
const recoverySyncKey = new Uint8Array(32).fill(0x4d);

function opener(dataDir: string): () => Promise<Ledger> {
  return () => openLedger({ dataDir, owner: testOwner, clock, random: seededRandom(7), dataKey: testDataKey });
}

/** Makes every later commit of this ledger fail as a full disk does. */
function failCommits(ledger: Ledger): void {
  (ledger.database.store as unknown as { commitGroup: () => void }).commitGroup = () => {
    throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  };
}

function collectingLogger(): { logger: ReturnType<typeof createLogger>; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const lines = (): Array<Record<string, unknown>> => chunks.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger: createLogger({ level: 'info', destination }), lines };
}

async function eventually(what: string, check: () => boolean): Promise<void> {
  for (let tries = 0; !check(); tries += 1) {
    if (tries > 400) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('closing a ledger whose commit failed releases the folder lock, and a reopen commits again', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'devpay-recovery-'));
  const open = opener(dataDir);
  const failed = await open();
  failCommits(failed);
  await assert.rejects(probeLedgerWrite(failed, clock.nowMs()), { name: 'LedgerStorageFailedError' });
  assert.match(failed.failure()?.message ?? '', /disk is full/);
  await failed.close();
  assert.equal(existsSync(join(dataDir, 'ledger.lock')), false, 'the lock is released');
  const reopened = await open();
  try {
    assert.equal(reopened.failure(), null);
    await probeLedgerWrite(reopened, clock.nowMs());
  } finally {
    await reopened.close();
  }
});

test('reopening backs off 1 s doubling to the cap and closes whatever a failed attempt opened', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'devpay-recovery-'));
  const open = opener(dataDir);
  const { logger, lines } = collectingLogger();
  const delays: number[] = [];
  const wait: Wait = async (delayMs) => void delays.push(delayMs);
  let opens = 0;
  let used: Ledger | null = null;
  let useFailures = 1;
  const recovered = await reopenLedgerWithBackoff({
    // Two opens refused (a full disk refusing the lock file), one whose probe cannot commit, one
    // whose session fails to start, then one that works. Every open after a failed one would be
    // refused as locked by this very process, had the failed one kept its lock.
    open: async () => {
      opens += 1;
      if (opens <= 2) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const ledger = await open();
      if (opens === 3) failCommits(ledger);
      return ledger;
    },
    probe: (ledger) => probeLedgerWrite(ledger, clock.nowMs()),
    use: async (ledger) => {
      if (useFailures-- > 0) throw new Error('session did not start');
      used = ledger;
    },
    logger,
    signal: new AbortController().signal,
    backoff: { firstDelayMs: 1000, maxDelayMs: 8000 },
    wait,
  });
  assert.equal(recovered, true);
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 8000]);
  const ledger = used as Ledger | null;
  assert.ok(ledger, 'the working ledger was handed over');
  assert.equal(ledger.failure(), null);
  await ledger.close();
  const warnings = lines().filter((line) => line.msg === 'ledger reopen failed');
  assert.deepEqual(
    warnings.map((line) => [line.attempt, line.retryInMs]),
    [[1, 2000], [2, 4000], [3, 8000], [4, 8000]],
  );
  assert.match(String(warnings[2]?.cause), /disk is full/, 'a failed probe names the commit\'s cause');
  assert.ok(warnings.every((line) => !('stack' in line) && !('err' in line)), 'causes only, no stacks');
  assert.equal(lines().filter((line) => line.msg === 'ledger reopened; payments resume').length, 1);
});

test('reopening stops when told to, leaving nothing open', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'devpay-recovery-'));
  const stop = new AbortController();
  const recovered = await reopenLedgerWithBackoff({
    open: opener(dataDir),
    probe: async () => stop.abort(),
    use: () => Promise.reject(new Error('never built on')),
    logger: createLogger({ level: 'silent' }),
    signal: stop.signal,
    wait: async () => undefined,
  });
  assert.equal(recovered, false);
  assert.equal(existsSync(join(dataDir, 'ledger.lock')), false, 'the ledger opened meanwhile was closed');
});

test('a runtime whose ledger fails keeps answering, declines by name while reopening, and recovers with nothing lost', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'devpay-recovery-'));
  const open = opener(dataDir);
  const ledger = await open();
  const nextId = createUlidFactory(clock, seededRandom(5));
  assert.equal((await ledger.engine.post(offlinePayment(nextId(), 'USD', 250n))).result, 'ok');
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const runtime = new TerminalRuntime({
    dataDir,
    mode: 'counter',
    simulator: false,
    pcsc: false,
    broker: null,
    clock,
    random: seededRandom(3),
    logger: createLogger({ level: 'silent' }),
    ledger,
    openLedger: open,
    // The reopen waits for the test, so the test can look at the runtime while it reopens.
    ledgerRecovery: { checkIntervalMs: 5, wait: (_delayMs, signal) => Promise.race([gate, new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()))]) },
    terminalId: testOwner,
    // A sync key (and no broker: nothing is pushed) so the fresh terminal's admin can be set up.
    syncKey: recoverySyncKey,
    centralPublicKey: null,
  });
  const call = async (method: string, params: Record<string, unknown> = {}): Promise<{ ok: boolean; result?: unknown; error?: { code: string } }> =>
    JSON.parse(await runtime.api.handleMessage(JSON.stringify({ v: 1, type: 'call', id: 'c1', method, params }))) as { ok: boolean; result?: unknown; error?: { code: string } };
  await runtime.start();
  try {
    // Charges and the ledger's commands are for a signed-in operator: the fresh terminal's admin.
    const setup = await call('setup.createAdmin', { setupCode: setupCodeFor(recoverySyncKey, testOwner), name: 'Recovery admin', pin: '8250613' });
    assert.equal((setup.result as { outcome: string } | undefined)?.outcome, 'signed_in', JSON.stringify(setup));
    failCommits(ledger);
    await assert.rejects(ledger.engine.post(offlinePayment(nextId(), 'USD', 100n)));
    await eventually('the session to be stopped for the reopen', () => runtime.currentLedger() === null);
    const status = (await call('status.get')).result as { ledger: { state: string; cause: string } };
    assert.deepEqual(status.ledger, { state: 'failed', cause: 'database or disk is full' });
    const charge = (await call('payment.start', { amountMinor: '100', currency: 'USD' })).result as PaymentUpdate;
    assert.deepEqual([charge.state, charge.reason], ['declined', 'terminal_storage_failed'], 'declined by name, no card read');
    assert.equal((await call('payment.current')).result, null);
    for (const [method, params] of [['ledger.summary', {}], ['journal.list', {}], ['alerts.list', {}], ['alerts.dismiss', { id: 'x' }], ['preferences.get', {}], ['preferences.set', { locale: 'tr' }]] as const) {
      assert.equal((await call(method, params)).error?.code, 'runtime_unavailable', `${method} while reopening`);
    }

    release();
    await eventually('the ledger to be reopened', () => runtime.status().ledger.state === 'ok');
    const reopened = runtime.currentLedger();
    assert.ok(reopened && reopened !== ledger, 'a new ledger is open');
    const summary = (await call('ledger.summary')).result as { transactionCount: number; currencies: Array<{ currency: string; merchantMinor: string }> };
    assert.equal(summary.transactionCount, 1, 'the committed payment is there, the failed one is not');
    assert.equal(summary.currencies.find((entry) => entry.currency === 'USD')?.merchantMinor, '250');
    assert.equal(reopened.engine.balanceOf(systemAccount('merchant', 'USD')), 250n);
    const started = (await call('payment.start', { amountMinor: '100', currency: 'USD' })).result as PaymentUpdate;
    assert.equal(started.state, 'waiting_for_card', 'charges reach the new session again');
    assert.equal(((await call('preferences.set', { locale: 'tr' })).result as { locale: string }).locale, 'tr', 'preferences reach the new ledger');
    assert.deepEqual((await call('payment.cancel', { attemptId: started.attemptId })).result, { cancelled: true });
  } finally {
    release();
    await runtime.stop();
    await runtime.currentLedger()?.close();
  }
});
