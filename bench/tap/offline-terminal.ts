// The terminal side of the tap benchmark: a real ledger in a temporary folder with a fixed data
// key, its reserve store checking batches against central's public key, and the offline decision
// exactly as the payment flow makes it once the card's answer is parsed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { toHex } from '../../core/clock.js';
import { currencyCodes, type CurrencyCode } from '../../core/currency.js';
import { createUlidFactory } from '../../core/ids.js';
import { sessionTokenValid } from '../../core/card/offline-checks.js';
import type { ReserveBatch } from '../../core/card/reserve-token.js';
import type { OfflineLimits } from '../../core/ledger/limits.js';
import type { CardTapData } from '../../device/devpay-card-apdu.js';
import { approveOffline, type OfflineContext } from '../../ledger/card-payments.js';
import { openLedger, type Ledger } from '../../ledger/ledger.js';
import { ReserveStore } from '../../ledger/reserve-store.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import type { BenchKeys } from './shared.js';

/** Limits no bench payment can reach: every tap must be approved, so a decline is a bug. */
export function generousLimits(): OfflineLimits {
  const generous = { offlineFloatMinor: '999999999999999999', offlineCountLimit: 1_000_000_000, perPaymentCapMinor: '999999999999' };
  return { maxOfflineMs: 30 * 24 * 60 * 60 * 1000, currencies: Object.fromEntries(currencyCodes.map((code) => [code, generous])) as OfflineLimits['currencies'] };
}

export interface OfflineTerminal {
  readonly ledger: Ledger;
  readonly reserve: ReserveStore;
  readonly nextId: () => string;
  ingest(batches: ReserveBatch[]): Promise<number>;
  /**
   * Decides a parsed tap offline as the payment flow does (session token, early spent check,
   * then the unit) and throws unless it is approved. Answers the time of approveOffline alone
   * and of the whole decision, in milliseconds.
   */
  decide(tap: CardTapData, amountMinor: bigint, currency: CurrencyCode, terminalData: Uint8Array): Promise<{ unitMs: number; decisionMs: number }>;
  readonly dataDir: string;
  readonly dataKey: Uint8Array;
  /** Closes the ledger and keeps its folder (for the fresh-process open). */
  closeLedger(): Promise<void>;
  close(): Promise<void>;
}

export async function openOfflineTerminal(keys: BenchKeys, terminalId: string): Promise<OfflineTerminal> {
  const dataDir = mkdtempSync(join(tmpdir(), 'devpay-bench-tap-'));
  const dataKey = new Uint8Array(32).fill(0x5a);
  const ledger = await openLedger({ dataDir, owner: terminalId, clock: systemClock, random: systemRandom, dataKey });
  let open = true;
  const reserve = new ReserveStore(ledger, keys.centralPublicKey);
  await reserve.load();
  const nextId = createUlidFactory(systemClock, systemRandom);
  const context: OfflineContext = { limits: generousLimits(), isRevoked: () => false, lastCentralContactMs: systemClock.nowMs() };
  return {
    dataDir,
    dataKey,
    ledger,
    reserve,
    nextId,
    async ingest(batches) {
      let inserted = 0;
      for (const batch of batches) {
        const result = await reserve.ingest(batch);
        if (!result.ok) throw new Error(`reserve batch ${batch.batchId} refused: ${result.reason}`);
        inserted += result.inserted;
      }
      return inserted;
    },
    async decide(tap, amountMinor, tapCurrency, terminalData) {
      const started = performance.now();
      if (!sessionTokenValid(tap, terminalData)) throw new Error(`tap of card ${toHex(tap.cardId)} ATC ${tap.atc}: session token invalid`);
      if (await reserve.isSpent(toHex(tap.cardId), tap.atc)) throw new Error(`tap of card ${toHex(tap.cardId)} ATC ${tap.atc}: already spent`);
      const unitStarted = performance.now();
      const outcome = await approveOffline(ledger, reserve, { paymentId: nextId(), tap, amountMinor, currency: tapCurrency, terminalData, nowMs: systemClock.nowMs() }, context);
      const ended = performance.now();
      if (outcome.outcome !== 'approved') throw new Error(`offline tap of card ${toHex(tap.cardId)} ATC ${tap.atc} declined: ${outcome.reason}`);
      if (outcome.repeated) throw new Error(`offline tap of card ${toHex(tap.cardId)} ATC ${tap.atc} answered as a repeat`);
      return { unitMs: ended - unitStarted, decisionMs: ended - started };
    },
    async closeLedger() {
      if (open) await ledger.close();
      open = false;
    },
    async close() {
      if (open) await ledger.close();
      open = false;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
