// The day close store over a real ledger in a temporary folder: a close is recorded with its
// client id inside an engine unit and read back by client id, by sequence and in the newest-first
// list, also after a reopen; the head says where the next period starts and which provisional
// closes wait; a close out of sequence or off the last close's end is refused by name; a
// provisional close is completed in place; a damaged stored close is a named error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DayReport } from '../../core/api/day-reports.js';
import { openTestLedger } from '../test-ledger.js';
import { upsertDocuments } from '../storage-writes.js';
import { DayCloseConflictError, DayCloseStore } from './day-close-store.js';
import { StoredValueInvalidError } from './stored-value.js';

function zReport(sequence: number, fromMs: number, toMs: number, provisional = false): DayReport {
  return {
    id: `01J0000000000000000000000${sequence}`.slice(0, 26),
    kind: 'z',
    terminalId: 't-test0001',
    fromMs,
    toMs,
    createdAtMs: toMs,
    provisional,
    completedAtMs: provisional ? null : toMs,
    sequence,
    currencies: [
      {
        currency: 'USD',
        sales: { count: 2, totalMinor: '300' },
        salesOnline: { count: 1, totalMinor: '100' },
        salesOffline: { count: 1, totalMinor: '200' },
        refunds: { count: 0, totalMinor: '0' },
        refundsOnline: { count: 0, totalMinor: '0' },
        refundsOffline: { count: 0, totalMinor: '0' },
        voids: { count: 0, totalMinor: '0' },
        reversals: { count: 0, totalMinor: '0' },
        netMinor: '300',
        unsynced: { count: provisional ? 1 : 0, totalMinor: provisional ? '200' : '0' },
      },
    ],
    reconciliation: { state: 'unavailable', checkedAtMs: null, differences: [] },
  };
}

test('closes are recorded once per client id, listed newest first, and kept across a reopen', async () => {
  const handle = await openTestLedger(31);
  try {
    let store = new DayCloseStore(handle.ledger);
    assert.equal(await store.head(), null);
    assert.deepEqual(await store.list(20), []);
    await handle.ledger.engine.guarded(() => store.record(zReport(1, 1000, 2000), 'close-one-0001'));
    await handle.ledger.engine.guarded(() => store.record(zReport(2, 2000, 3000, true), 'close-two-0002'));
    assert.deepEqual(await store.head(), { sequence: 2, toMs: 3000, reportId: zReport(2, 0, 0).id, openSequences: [2] });
    assert.equal((await store.byClientId('close-one-0001'))?.sequence, 1);
    assert.equal((await store.byClientId('close-two-0002'))?.sequence, 2);
    assert.equal(await store.byClientId('never-used-0003'), null);
    assert.deepEqual((await store.list(20)).map((report) => report.sequence), [2, 1]);
    assert.deepEqual((await store.list(1)).map((report) => report.sequence), [2]);
    assert.deepEqual((await store.open()).map((report) => report.sequence), [2]);

    await assert.rejects(handle.ledger.engine.guarded(() => store.record(zReport(2, 3000, 4000), 'again-0000002')), DayCloseConflictError, 'a sequence used twice');
    await assert.rejects(handle.ledger.engine.guarded(() => store.record(zReport(3, 2500, 4000), 'overlap-000003')), DayCloseConflictError, 'a period that does not start at the last close');
    // A refused record is refused before it writes anything, so the ledger keeps working.
    assert.equal(handle.ledger.failure(), null);
    await handle.reopen();
    store = new DayCloseStore(handle.ledger);
    assert.deepEqual((await store.list(20)).map((report) => report.sequence), [2, 1], 'kept across the reopen');

    const completed = { ...zReport(2, 2000, 3000, true), completedAtMs: 3500 };
    await handle.ledger.engine.guarded(() => store.complete(completed));
    assert.equal((await store.bySequence(2))?.completedAtMs, 3500);
    assert.deepEqual(await store.open(), [], 'no provisional close waits any more');
    assert.equal((await store.byClientId('close-two-0002'))?.completedAtMs, 3500, 'the client id answers the completed form');
  } finally {
    await handle.ledger.close();
  }
});

test('a damaged stored close is a named error', async () => {
  const handle = await openTestLedger(32);
  try {
    const store = new DayCloseStore(handle.ledger);
    await handle.ledger.engine.guarded(() => store.record(zReport(1, 1000, 2000), 'close-one-0001'));
    await handle.ledger.engine.guarded(() => upsertDocuments(handle.ledger.database.collections.settings, [{ key: 'day_close/report/0000000001', value: '{"clientId":"close-one-0001","report":{"kind":"q"}}' }], 'key'));
    await assert.rejects(store.byClientId('close-one-0001'), StoredValueInvalidError);
    await assert.rejects(store.list(5), StoredValueInvalidError);
  } finally {
    await handle.ledger.close();
  }
});
