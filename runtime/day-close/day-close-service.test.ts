// The day close service over a real ledger in a temporary folder (no central: reconciliation is
// unavailable, as on a terminal that is offline): the X report counts the period without storing
// anything; a close with undecided payments is refused with their count; a provisional close is
// stored as such and completed, once, when central's verdicts have been applied; the same client
// id answers the same close, repeated; the next close covers only what came after; an empty
// period is nothing to close; the audit journal holds one day_closed per close.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { manualClock, seededRandom } from '../../core/clock.js';
import type { DayReport } from '../../core/api/day-reports.js';
import { createUlidFactory } from '../../core/ids.js';
import type { TransactionDraft } from '../../core/ledger/transaction.js';
import { openLedger } from '../../ledger/ledger.js';
import { systemAccount, testDataKey, testOwner } from '../../ledger/test-ledger.js';
import { createLogger } from '../logger.js';
import { DayCloseService } from './day-close-service.js';

function cardPayment(id: string, amountMinor: bigint, mode: 'online' | 'offline'): TransactionDraft {
  return {
    id,
    kind: 'payment',
    state: mode === 'online' ? 'approved_online' : 'approved_offline',
    postings: [
      { accountId: systemAccount(mode === 'online' ? 'central' : 'offline_clearing', 'USD'), amountMinor: (-amountMinor).toString() },
      { accountId: systemAccount('merchant', 'USD'), amountMinor: amountMinor.toString() },
    ],
    card: { cardId: '00000000000000a1', atc: Number(amountMinor), panMasked: '627412******0042', cryptogram: '0'.repeat(32), terminalData: '0'.repeat(54), mode },
  };
}

test('X report, refusal, provisional close and its completion, repeated client ids and the next period', async () => {
  const clock = manualClock(1_795_000_000_000);
  const random = seededRandom(41);
  const nextId = createUlidFactory(clock, random);
  const ledger = await openLedger({ dataDir: mkdtempSync(join(tmpdir(), 'devpay-day-close-')), owner: testOwner, clock, random, dataKey: testDataKey });
  const completed: DayReport[] = [];
  const service = new DayCloseService({ ledger, terminalId: testOwner, clock, nextId, logger: createLogger({ level: 'silent' }), totals: null, centralReachable: () => false, onCompleted: (report) => completed.push(report) });
  const post = async (draft: TransactionDraft): Promise<string> => {
    clock.advance(1000);
    const posted = await ledger.engine.post(draft);
    assert.equal(posted.result, 'ok');
    return draft.id;
  };
  try {
    assert.deepEqual(await service.close('empty-ledger-01', false), { outcome: 'refused', reason: 'nothing_to_close', unsyncedCount: 0 });
    const online = await post(cardPayment(nextId(), 1500n, 'online'));
    const offline = await post(cardPayment(nextId(), 700n, 'offline'));
    clock.advance(1000);

    const x = await service.report();
    assert.equal(x.kind, 'x');
    assert.equal(x.sequence, null);
    assert.equal(x.reconciliation.state, 'unavailable');
    const [usd] = x.currencies;
    assert.deepEqual([usd?.sales, usd?.salesOnline, usd?.salesOffline, usd?.netMinor, usd?.unsynced], [
      { count: 2, totalMinor: '2200' },
      { count: 1, totalMinor: '1500' },
      { count: 1, totalMinor: '700' },
      '2200',
      { count: 2, totalMinor: '2200' },
    ]);
    assert.deepEqual(await service.list(20), [], 'an X report stores nothing');

    assert.deepEqual(await service.close('first-close-01', false), { outcome: 'refused', reason: 'unsynced_transactions', unsyncedCount: 2 });
    const provisional = await service.close('first-close-01', true);
    assert.equal(provisional.outcome, 'closed');
    if (provisional.outcome !== 'closed') return;
    assert.deepEqual([provisional.report.provisional, provisional.report.completedAtMs, provisional.report.sequence, provisional.repeated], [true, null, 1, false]);
    const again = await service.close('first-close-01', true);
    assert.deepEqual(again, { ...provisional, repeated: true }, 'the same client id answers the same close');

    // Central settles one payment: the close still waits for the other.
    await ledger.engine.applyVerdict(online, 'settled', nextId(), 'settled');
    service.checkOpenSoon();
    await service.whenChecked();
    assert.equal(completed.length, 0, 'not while a payment of its period is undecided');
    await ledger.engine.applyVerdict(offline, 'settled', nextId(), 'settled');
    service.checkOpenSoon();
    await service.whenChecked();
    assert.equal(completed.length, 1, 'completed once the period has nothing undecided');
    assert.equal(completed[0]!.id, provisional.report.id);
    assert.equal(completed[0]!.currencies[0]!.unsynced.count, 0);
    assert.equal(completed[0]!.currencies[0]!.netMinor, '2200');
    service.checkOpenSoon();
    await service.whenChecked();
    assert.equal(completed.length, 1, 'and only once');
    const [stored] = await service.list(20);
    assert.deepEqual(stored, completed[0]);

    // The next period starts where the last close ended: only the new sale.
    await post(cardPayment(nextId(), 400n, 'online'));
    await ledger.engine.applyVerdict((await ledger.engine.transactions.hot())[0]!.id, 'settled', nextId(), 'settled');
    clock.advance(1000);
    const second = await service.close('second-close-2', false);
    assert.equal(second.outcome, 'closed');
    if (second.outcome !== 'closed') return;
    assert.equal(second.report.fromMs, provisional.report.toMs);
    assert.deepEqual([second.report.sequence, second.report.provisional, second.report.completedAtMs], [2, false, second.report.createdAtMs]);
    assert.deepEqual(second.report.currencies.map((line) => [line.currency, line.sales.count, line.netMinor]), [['USD', 1, '400']]);
    assert.deepEqual(await service.close('third-close-03', false), { outcome: 'refused', reason: 'nothing_to_close', unsyncedCount: 0 });
    assert.deepEqual((await service.list(20)).map((report) => report.sequence), [2, 1]);

    const audit = await ledger.audit.all();
    assert.deepEqual(audit.filter((entry) => entry.kind === 'day_closed').map((entry) => entry.payload.sequence), [1, 2], 'one day_closed per close');
    assert.equal(audit.filter((entry) => entry.kind === 'day_close_completed').length, 1);
  } finally {
    await service.stop();
    await ledger.close();
  }
});
