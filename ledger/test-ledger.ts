// Opens a ledger in a fresh temporary folder for tests, with a manual clock, seeded randomness
// and a fixed data key, plus the helpers tests use to build payments.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualClock, seededRandom } from '../core/clock.js';
import { createUlidFactory } from '../core/ids.js';
import { accountId } from '../core/ledger/accounts.js';
import type { CurrencyCode } from '../core/currency.js';
import type { TransactionDraft } from '../core/ledger/transaction.js';
import { openLedger, type Ledger } from './ledger.js';

export const testOwner = 't-test0001';
export const testDataKey = new Uint8Array(32).fill(0x42);

export interface TestLedger {
  ledger: Ledger;
  dataDir: string;
  nextId: () => string;
  reopen(): Promise<Ledger>;
}

export async function openTestLedger(seed = 1, dataDir = mkdtempSync(join(tmpdir(), 'devpay-ledger-'))): Promise<TestLedger> {
  const clock = manualClock(1_795_000_000_000);
  const random = seededRandom(seed);
  const nextId = createUlidFactory(clock, random);
  const open = () => openLedger({ dataDir, owner: testOwner, clock, random, dataKey: testDataKey });
  const handle: TestLedger = {
    ledger: await open(),
    dataDir,
    nextId: () => {
      clock.advance(1);
      return nextId();
    },
    async reopen() {
      await handle.ledger.close();
      handle.ledger = await open();
      return handle.ledger;
    },
  };
  return handle;
}

export function systemAccount(kind: 'merchant' | 'offline_clearing' | 'central' | 'fx', currency: CurrencyCode): string {
  return accountId(kind, testOwner, currency);
}

export function offlinePayment(id: string, currency: CurrencyCode, amountMinor: bigint): TransactionDraft {
  return {
    id,
    kind: 'payment',
    state: 'approved_offline',
    postings: [
      { accountId: systemAccount('offline_clearing', currency), amountMinor: (-amountMinor).toString() },
      { accountId: systemAccount('merchant', currency), amountMinor: amountMinor.toString() },
    ],
  };
}
