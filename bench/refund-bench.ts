// Refund timings for `npm run bench -- day`: from the refund's decision to its durable post, on a
// real sealed ledger in a temporary folder (each post waits for its fsync), with the payments it
// refunds settled first.
//   refund_online_p50_ms / refund_online_p99_ms: central approved; the unit re-checks the rules
//     against the payment and its refunds, posts approved_online and marks the request posted
//   refund_offline_p50_ms / refund_offline_p99_ms: the same decided offline, the offline refund
//     limits checked against the open offline refunds inside the unit
//   refund_request_save_p99_ms: saving the request with its id before central is asked
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultOfflineLimits, type OfflineLimits } from '../core/ledger/limits.js';
import { LedgerCorrections } from '../ledger/corrections.js';
import { offlinePayment, openTestLedger } from '../ledger/test-ledger.js';

const refundsPerMode = 300;
const limits: OfflineLimits = {
  ...defaultOfflineLimits,
  currencies: { ...defaultOfflineLimits.currencies, USD: { offlineFloatMinor: '100000000', offlineCountLimit: 100_000, perPaymentCapMinor: '100000', offlineRefundFloatMinor: '100000000', offlineRefundCountLimit: 100_000 } },
};

function percentileMs(samples: number[], fraction: number): number {
  const sorted = [...samples].sort((left, right) => left - right);
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!.toFixed(3));
}

export async function measureRefunds(): Promise<Record<string, number>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'devpay-bench-refunds-'));
  const handle = await openTestLedger(31, dataDir);
  try {
    const { ledger } = handle;
    const paymentIds: string[] = [];
    for (let index = 0; index < refundsPerMode * 2; index += 1) {
      const id = handle.nextId();
      const card = { cardId: '0011223344556677', atc: index + 1, panMasked: '123456******4321', cryptogram: '0'.repeat(32), terminalData: '0'.repeat(54), mode: 'offline' as const };
      await ledger.engine.post({ ...offlinePayment(id, 'USD', 5000n), card });
      await ledger.engine.transition(id, 'settled', handle.nextId(), 'settled');
      paymentIds.push(id);
    }
    const corrections = new LedgerCorrections(ledger, handle.nextId);
    const samples = { online: [] as number[], offline: [] as number[], save: [] as number[] };
    for (const [index, originalId] of paymentIds.entries()) {
      const mode = index % 2 === 0 ? 'online' : 'offline';
      const savingAt = performance.now();
      const begun = await corrections.beginRefund({ originalId, clientId: `bench-refund-${index}`, amountMinor: 1200n, currency: 'USD', nowMs: 1 });
      samples.save.push(performance.now() - savingAt);
      if (!begun.ok) throw new Error(`refund ${index} refused: ${begun.reason}`);
      const decidedAt = performance.now();
      const posted = await corrections.postRefund(begun.request, mode, limits);
      samples[mode].push(performance.now() - decidedAt);
      if (!posted.ok) throw new Error(`refund ${index} not posted: ${posted.reason}`);
    }
    return {
      refund_online_p50_ms: percentileMs(samples.online, 0.5),
      refund_online_p99_ms: percentileMs(samples.online, 0.99),
      refund_offline_p50_ms: percentileMs(samples.offline, 0.5),
      refund_offline_p99_ms: percentileMs(samples.offline, 0.99),
      refund_request_save_p99_ms: percentileMs(samples.save, 0.99),
    };
  } finally {
    await handle.ledger.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * receipt_encode_p99_ms: a receipt with its QR code encoded to printer bytes, per locale (en and
 * tr as code page 857 text, fa as raster lines of shaped text), after the font's first load;
 * receipt_encode_p99_ms is the worst locale's p99, receipt_encode_fa_first_ms the first Persian
 * receipt, which parses the font.
 */
export async function measureReceiptEncoding(): Promise<Record<string, number>> {
  const { encodeTransactionReceipt } = await import('../runtime/printing/receipt-rendering.js');
  const { receiptSamples } = await import('../test/harness/receipt-samples.js');
  const results: Record<string, number> = {};
  let worst = 0;
  for (const locale of ['en', 'tr', 'fa'] as const) {
    const firstAt = performance.now();
    encodeTransactionReceipt(receiptSamples[locale]);
    if (locale === 'fa') results.receipt_encode_fa_first_ms = Number((performance.now() - firstAt).toFixed(3));
    const samples: number[] = [];
    for (let index = 0; index < 200; index += 1) {
      const startedAt = performance.now();
      encodeTransactionReceipt(receiptSamples[locale]);
      samples.push(performance.now() - startedAt);
    }
    results[`receipt_encode_${locale}_p99_ms`] = percentileMs(samples, 0.99);
    worst = Math.max(worst, percentileMs(samples, 0.99));
  }
  results.receipt_encode_p99_ms = worst;
  return results;
}
