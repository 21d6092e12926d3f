// A ledger that can no longer commit fails loudly, with a real fault: the terminal's data folder
// sits on a small tmpfs that this test fills up (it mounts one where it runs as root and the
// kernel allows it; elsewhere it injects the same failure at the SQLite boundary, and says so).
// The payment whose commit hits the full disk is declined terminal_storage_failed, not
// card_read_failed; the next is declined before any card is read; the ledger reports failed
// with its cause. Once space is freed and the ledger reopened, the approved payment is there,
// the declined one is not, its card's token is still unspent, and the books verify. A real
// `devpay serve` does that reopening by itself, with backoff, without a restart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestLedger, type TestLedger } from '../../ledger/test-ledger.js';
import { ReserveStore } from '../../ledger/reserve-store.js';
import { verifyLedger } from '../../ledger/verifier.js';
import { LinkError } from '../../sync/mqtt-link.js';
import type { PaymentUpdate } from '../../core/api/payment.js';
import { testReserveKeys } from '../property/card-test-kit.js';
import { startDevpay } from '../harness/devpay-process.js';
import { openApiSession } from '../harness/api-session.js';
import { until } from '../harness/until.js';
import { signIn } from '../harness/operator-sign-in.js';
import { startPaymentFlowRig } from '../property/payment-flow-rig.js';

/** Mounts an 8 MiB tmpfs, or returns null where that is not allowed (not root, no capability). */
function mountSmallTmpfs(): string | null {
  if (process.getuid?.() !== 0) return null;
  const dir = mkdtempSync(join(tmpdir(), 'devpay-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
}

interface LedgerSummary {
  transactionCount: number;
  currencies: Array<{ currency: string; merchantMinor: string }>;
}

function usdMerchant(summary: LedgerSummary): string {
  return summary.currencies.find((entry) => entry.currency === 'USD')?.merchantMinor ?? '0';
}

/** Writes zeros until the filesystem says ENOSPC. */
function fillUp(path: string): void {
  const descriptor = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (let written = 0; written < 64 * 1024 * 1024; written += chunk.length) writeSync(descriptor, chunk);
    throw new Error('the filesystem never filled up');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(descriptor);
  }
}

test('a full disk declines by name, touches no token, and loses nothing once space is back', { timeout: 60_000 }, async (context) => {
  const mounted = mountSmallTmpfs();
  const dataDir = join(mounted ?? mkdtempSync(join(tmpdir(), 'devpay-full-')), 'terminal');
  context.diagnostic(mounted ? `real fault: an 8 MiB tmpfs at ${mounted}, filled up` : 'injected fault: commits fail at the SQLite boundary (tmpfs could not be mounted here)');
  let handle: TestLedger | null = null;
  try {
    handle = await openTestLedger(91, dataDir);
    const { ledger } = handle;
    const cardId = Uint8Array.from([9, 1, 9, 1, 2, 2, 3, 3]);
    // Central never answers, so every tap is decided offline and committed here.
    const { flow, pay } = await startPaymentFlowRig({ ledger, cardId, authorize: () => Promise.reject(new LinkError('timeout', 'no answer')), onlineTimeoutMs: 20 });

    const approved = await pay(true);
    assert.equal(approved.state, 'approved');
    if (mounted) fillUp(join(mounted, 'filler'));
    else (ledger.database.store as unknown as { commitGroup: () => void }).commitGroup = () => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    };
    const failed = await pay(true);
    assert.deepEqual([failed.state, failed.reason], ['declined', 'terminal_storage_failed'], 'the failed commit is the terminal\'s fault, not the card\'s');
    assert.match(String(ledger.failure()?.cause ?? ledger.failure()), /full|SQLITE_FULL|disk/i, 'the ledger reports failed with its cause');
    const next = await pay(false);
    assert.deepEqual([next.state, next.reason], ['declined', 'terminal_storage_failed'], 'declined before any card is read');
    await flow.stop();

    if (mounted) rmSync(join(mounted, 'filler'));
    await handle.reopen();
    const reopened = handle.ledger;
    assert.equal(reopened.failure(), null, 'a reopen clears the failure');
    const ids = (await reopened.database.collections.transactions.find({ selector: { kind: 'payment' } }).exec()).map((document) => document.id);
    assert.deepEqual(ids, [approved.paymentId], 'the approved payment is there and the declined one is not');
    const store = new ReserveStore(reopened, testReserveKeys.publicKey);
    await store.load();
    assert.equal(await store.isSpent(Buffer.from(cardId).toString('hex'), 2), false, 'the declined tap left its token unspent');
    assert.equal(await store.isSpent(Buffer.from(cardId).toString('hex'), 1), true);
    assert.deepEqual((await verifyLedger(reopened)).violations, []);
  } finally {
    await handle?.ledger.close().catch(() => undefined);
    if (mounted) {
      execFileSync('umount', [mounted], { stdio: 'ignore' });
      rmSync(mounted, { recursive: true, force: true });
    }
  }
});

test('devpay serve on a full disk keeps running, declines by name, says the ledger failed, and recovers by itself once space is back', { timeout: 150_000 }, async (context) => {
  const mounted = mountSmallTmpfs();
  if (!mounted) {
    // Only a root run (CI, the developers' machines) may mount; it must not quietly pass there.
    assert.notEqual(process.getuid?.(), 0, 'running as root, a tmpfs must mount');
    context.diagnostic('not root: no tmpfs, this process-level fault is left to the root run');
    return;
  }
  const server = await startDevpay(['serve', '--sim', '--no-pcsc', '--data', join(mounted, 'data'), '--port', '0']);
  const api = await openApiSession(server.url);
  const charge = async (): Promise<PaymentUpdate> => {
    api.discardPending();
    const started = await api.call<PaymentUpdate>('payment.start', { amountMinor: '100', currency: 'USD' });
    if (started.state === 'waiting_for_card') await api.call('sim.tap', { cardIndex: 0 });
    return api.nextEvent<PaymentUpdate>('payment.updated', (update) => update.attemptId === started.attemptId && ['approved', 'declined'].includes(update.state), 20_000);
  };
  try {
    await signIn(api);
    // Central's offline limits arrive first, so the charge on the full disk can fall back offline.
    await until('the offline limits from central', 20_000, async () => (await api.call<{ sync: { offlineLimits: unknown } }>('status.get')).sync.offlineLimits !== null);
    assert.equal((await charge()).state, 'approved', 'the terminal works before the disk fills');
    assert.deepEqual((await api.call<{ ledger: unknown }>('status.get')).ledger, { state: 'ok', cause: null });
    // Central's verdict on that payment is applied first, so the books stand still from here.
    await until('the approved payment to be synced', 20_000, async () => (await api.call<{ sync: { unsyncedCount: number } }>('status.get')).sync.unsyncedCount === 0);
    const before = await api.call<LedgerSummary>('ledger.summary');
    fillUp(join(mounted, 'filler'));
    const failed = await charge();
    assert.equal(failed.state, 'declined');
    // Central shares the disk here: it fails to claim, so the terminal decides offline and its
    // own commit fails; had central approved first, the decline would name that instead.
    assert.ok(['terminal_storage_failed', 'storage_failed_after_approval'].includes(failed.reason ?? ''), `declined ${failed.reason}`);
    const status = await api.call<{ ledger: { state: string; cause: string | null } }>('status.get');
    assert.equal(status.ledger.state, 'failed');
    const pushed = await api.nextEvent<{ ledger: { state: string } }>('status.changed', (changed) => changed.ledger.state === 'failed', 5_000);
    assert.equal(pushed.ledger.state, 'failed', 'the status bar is told at once');
    assert.match(status.ledger.cause ?? '', /commit failed|full|disk/i);
    const next = await charge();
    assert.deepEqual([next.state, next.reason], ['declined', 'terminal_storage_failed'], 'later charges are declined before any card is read');
    assert.equal(server.child.exitCode, null, 'the runtime is still running');

    // The runtime retries by itself with backoff (1 s doubling to 30 s); one attempt fails on
    // the full disk first, so the retry is shown to wait for the fault to clear, not to skip it.
    await until('a reopen attempt to fail on the full disk', 20_000, () => /ledger reopen failed/.test(server.output()), 100);
    api.discardPending();
    rmSync(join(mounted, 'filler'));
    await until('the ledger to be reopened, without a restart', 40_000, async () => (await api.call<{ ledger: { state: string } }>('status.get')).ledger.state === 'ok', 250);
    const recovered = await api.nextEvent<{ ledger: { state: string; cause: string | null } }>('status.changed', (changed) => changed.ledger.state === 'ok', 5_000);
    assert.deepEqual(recovered.ledger, { state: 'ok', cause: null }, 'the status bar is told of the recovery');
    const after = await charge();
    assert.equal(after.state, 'approved', `a charge after the recovery is approved (${after.reason})`);
    const summary = await api.call<LedgerSummary>('ledger.summary');
    assert.equal(summary.transactionCount, before.transactionCount + 1, 'the payment approved before the fault is still there, with the new one and nothing else');
    assert.equal(BigInt(usdMerchant(summary)), BigInt(usdMerchant(before)) + 100n, 'the merchant keeps what was taken before the fault');
    assert.equal(server.child.exitCode, null, 'the same process recovered');
  } finally {
    await api.close();
    await server.stop();
    rmSync(join(mounted, 'filler'), { force: true });
    execFileSync('umount', [mounted], { stdio: 'ignore' });
    rmSync(mounted, { recursive: true, force: true });
  }
  assert.doesNotMatch(server.output(), /\n\s+at /, 'no stack trace on the console');
});
