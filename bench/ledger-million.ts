// Builds the ledger of a terminal with years of history for `npm run bench -- ledger`: one
// million settled transactions and 100,000 reserve tokens, written through the engine's own
// path (posts and verdicts in engine units of a thousand, as central's batch settlement runs
// them; the outbox entry a pushed payment would have had is left out, as its verdict removes it)
// and tokens through the reserve store's ingest of batches signed as central signs them. The
// clock advances about five minutes per payment, so the history spans nine years, as a busy
// counter's would at 300 payments a day. Card payments carry a masked PAN with one of 10,000
// last-four values; most are online, every twentieth offline (settled with its settlement
// entry), every hundredth rejected (with its reversal).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualClock, seededRandom } from '../core/clock.js';
import { currencyCodes } from '../core/currency.js';
import { createUlidFactory } from '../core/ids.js';
import { accountId } from '../core/ledger/accounts.js';
import type { TransactionDraft } from '../core/ledger/transaction.js';
import { openLedger } from '../ledger/ledger.js';
import { ReserveStore } from '../ledger/reserve-store.js';
import { testDataKey } from '../ledger/test-ledger.js';
import { benchKeys, benchTerminalId, signBatches, tokenFor } from './tap/shared.js';

export const millionTransactions = 1_000_000;
export const millionReserveTokens = 100_000;
const startMs = Date.UTC(2017, 0, 1);
const stepMs = 284_000;

export interface MillionLedger {
  dataDir: string;
  buildS: number;
  transactions: number;
}

function cardPayment(id: string, index: number, offline: boolean): TransactionDraft {
  const currency = currencyCodes[index % currencyCodes.length]!;
  const amount = 100n + BigInt((index * 7919) % 1_000_000);
  const source = offline ? 'offline_clearing' : 'central';
  const last4 = String((index * 7907) % 10_000).padStart(4, '0');
  return {
    id,
    kind: 'payment',
    state: offline ? 'approved_offline' : 'approved_online',
    postings: [
      { accountId: accountId(source, benchTerminalId, currency), amountMinor: (-amount).toString() },
      { accountId: accountId('merchant', benchTerminalId, currency), amountMinor: amount.toString() },
    ],
    card: {
      cardId: (index % 5000).toString(16).padStart(16, '0'),
      atc: 1 + Math.floor(index / 5000),
      panMasked: `627412******${last4}`,
      cryptogram: (index % 65536).toString(16).padStart(32, '0'),
      terminalData: '0'.repeat(54),
      mode: offline ? 'offline' : 'online',
    },
  };
}

export async function buildMillionLedger(): Promise<MillionLedger> {
  const started = performance.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'devpay-bench-1m-'));
  const clock = manualClock(startMs);
  const random = seededRandom(1_000_000);
  const nextId = createUlidFactory(clock, random);
  const ledger = await openLedger({ dataDir, owner: benchTerminalId, clock, random, dataKey: testDataKey });
  let transactions = 0;
  let index = 0;
  while (transactions < millionTransactions) {
    await ledger.engine.guarded(async (unit) => {
      for (let inUnit = 0; inUnit < 1000 && transactions < millionTransactions; inUnit += 1, index += 1) {
        clock.advance(stepMs);
        const offline = index % 20 === 0;
        const rejected = index % 100 === 1;
        const posted = await unit.post(cardPayment(nextId(), index, offline), { toOutbox: false });
        if (posted.result !== 'ok') throw new Error(`post: ${posted.result}`);
        transactions += 1;
        if (rejected) continue;
        const settled = await unit.settle(posted.transaction.id, nextId(), 'central');
        if (settled.result !== 'ok') throw new Error(`settle: ${settled.result}`);
        if (settled.followUp) transactions += 1;
      }
    });
  }
  // Rejections go through the engine's verdict path, each with its reversal.
  const hot = await ledger.engine.transactions.hot();
  for (let start = 0; start < hot.length; start += 256) {
    await Promise.all(
      hot.slice(start, start + 256).map(async (transaction) => {
        const rejected = await ledger.engine.applyVerdict(transaction.id, 'rejected', nextId(), 'double_spend');
        if (rejected.result !== 'ok') throw new Error(`reject: ${rejected.result}`);
        transactions += 1;
      }),
    );
  }
  const keys = benchKeys();
  const reserve = new ReserveStore(ledger, keys.centralPublicKey);
  await reserve.load();
  const plan = { currency: 'EUR' as const, capMinor: '100000', expiresAtMs: clock.nowMs() + 365 * 24 * 60 * 60 * 1000 };
  const tokens = [];
  for (let card = 0; card < millionReserveTokens / 20; card += 1) {
    const cardId = keys.cardId(2000 + card);
    for (let atc = 1; atc <= 20; atc += 1) tokens.push(tokenFor(keys, cardId, atc, plan));
  }
  for (const batch of signBatches(keys, benchTerminalId, 'million', tokens, clock.nowMs())) {
    const ingested = await reserve.ingest(batch);
    if (!ingested.ok) throw new Error(`reserve ingest: ${ingested.reason}`);
  }
  await ledger.close();
  return { dataDir, buildS: (performance.now() - started) / 1000, transactions };
}
