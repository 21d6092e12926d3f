// Central's day totals over a real central ledger: a terminal asking about its own settled
// payment gets its state, kind, currency and amount; asking about another terminal's payment or
// an id central never saw gets the same `unknown`; a request with a bad tag or naming another
// terminal is refused (no answer); the answer is signed with the asking terminal's key.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { manualClock, seededRandom, toHex } from '../core/clock.js';
import { createUlidFactory } from '../core/ids.js';
import { accountId } from '../core/ledger/accounts.js';
import { deriveTerminalSyncKey, signMessage, verifyMessage } from '../core/wire/auth-tag.js';
import { dayTotalsResultSchema } from '../core/wire/day-messages.js';
import { wireProtocolVersion } from '../core/wire/topics.js';
import { openLedger } from '../ledger/ledger.js';
import { testDataKey } from '../ledger/test-ledger.js';
import { silentLog } from '../core/log-sink.js';
import { DayTotals } from './day-totals.js';

const masterKey = new Uint8Array(32).fill(7);

test('central answers day totals only for the asking terminal’s own transactions', async () => {
  const clock = manualClock(1_795_000_000_000);
  const random = seededRandom(51);
  const nextId = createUlidFactory(clock, random);
  const ledger = await openLedger({ dataDir: mkdtempSync(join(tmpdir(), 'devpay-central-day-')), owner: 'central', clock, random, dataKey: testDataKey });
  try {
    const settledPaymentOf = async (terminalId: string, amountMinor: bigint): Promise<string> => {
      for (const kind of ['central', 'merchant'] as const) await ledger.engine.openAccount({ id: accountId(kind, terminalId, 'EUR'), kind, currency: 'EUR', createdAtMs: clock.nowMs() });
      const id = nextId();
      const posted = await ledger.engine.post({ id, kind: 'payment', state: 'approved_online', postings: [{ accountId: accountId('central', terminalId, 'EUR'), amountMinor: (-amountMinor).toString() }, { accountId: accountId('merchant', terminalId, 'EUR'), amountMinor: amountMinor.toString() }] }, { toOutbox: false });
      assert.equal(posted.result, 'ok');
      assert.equal((await ledger.engine.transition(id, 'settled', nextId(), 'settled')).result, 'ok');
      return id;
    };
    const mine = await settledPaymentOf('t-alpha001', 1234n);
    const theirs = await settledPaymentOf('t-bravo002', 999n);
    const never = nextId();
    const handler = new DayTotals(ledger, masterKey, silentLog);
    const key = deriveTerminalSyncKey(masterKey, 't-alpha001');
    const request = (terminalId: string, signingKey: Uint8Array, ids: string[]): Buffer =>
      Buffer.from(JSON.stringify(signMessage(signingKey, { v: wireProtocolVersion, kind: 'day_totals', correlationId: toHex(random.bytes(16)), terminalId, ids })));

    const answer = await handler.handleDayTotals('t-alpha001', request('t-alpha001', key, [mine, theirs, never, mine]));
    assert.ok(answer && verifyMessage(key, answer), 'signed with the asking terminal’s key');
    const parsed = dayTotalsResultSchema.parse(answer);
    const unknown = { state: 'unknown', kind: null, currency: null, amountMinor: null };
    assert.deepEqual(parsed.entries, [
      { id: mine, state: 'settled', kind: 'payment', currency: 'EUR', amountMinor: '1234' },
      { id: theirs, ...unknown },
      { id: never, ...unknown },
    ]);

    assert.equal(await handler.handleDayTotals('t-alpha001', request('t-alpha001', deriveTerminalSyncKey(masterKey, 't-bravo002'), [theirs])), null, 'a bad tag is refused');
    assert.equal(await handler.handleDayTotals('t-alpha001', request('t-bravo002', deriveTerminalSyncKey(masterKey, 't-bravo002'), [theirs])), null, 'another terminal named on this topic is refused');
    assert.equal(await handler.handleDayTotals('t-alpha001', Buffer.from('{"v":1,"kind":"day_totals"')), null, 'malformed JSON is refused');
    assert.equal(handler.refusedCount, 3);
  } finally {
    await ledger.close();
  }
});
