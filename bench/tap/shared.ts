// Shared pieces of the tap benchmark: the keys derived from the sync master key the bench gives
// central, reserve batches signed as central signs them, a tap read through the APDU codec, and
// the shutdown list every phase registers its processes with.
import { fromHex, toHex } from '../../core/clock.js';
import { commitmentOf, deriveAtcSecret, deriveCardKey, terminalIdHash, type TerminalData } from '../../core/card/card-crypto.js';
import { deriveReserveSigningKey, maxReserveBatchTokens, reservePublicKey, signReserveBatch, type ReserveBatch, type ReserveTokenFields } from '../../core/card/reserve-token.js';
import { transactionDate } from '../../core/card/terminal-data.js';
import type { CurrencyCode } from '../../core/currency.js';
import { deriveTerminalSyncKey } from '../../core/wire/auth-tag.js';
import { deriveCardMasterKey, simCardId } from '../../central/central-cards.js';
import { generateCommand, parseGenerateResponse, parseSelectResponse, selectCommand, type CardTapData } from '../../device/devpay-card-apdu.js';
import type { DevpayCard } from '../../drivers/sim/devpay-card.js';
import { systemRandom } from '../../runtime/system-clock.js';

export const benchTerminalId = 't-bench0001';
/** The sync master key the bench gives central (DEVPAY_SYNC_MASTER_KEY); fixed, so runs compare. */
export const benchMasterHex = '5eb1'.repeat(16);

export interface BenchKeys {
  master: Uint8Array;
  cardMaster: Uint8Array;
  signingKey: Uint8Array;
  centralPublicKey: Uint8Array;
  syncKey: Uint8Array;
  cardId(index: number): Uint8Array;
  cardKey(cardId: Uint8Array): Uint8Array;
}

export function benchKeys(masterHex = benchMasterHex, terminalId = benchTerminalId): BenchKeys {
  const master = fromHex(masterHex);
  const cardMaster = deriveCardMasterKey(master);
  const signingKey = deriveReserveSigningKey(master);
  return {
    master,
    cardMaster,
    signingKey,
    centralPublicKey: reservePublicKey(signingKey),
    syncKey: deriveTerminalSyncKey(master, terminalId),
    cardId: (index) => simCardId(cardMaster, index),
    cardKey: (cardId) => deriveCardKey(cardMaster, cardId),
  };
}

export interface TokenPlan {
  currency: CurrencyCode;
  capMinor: string;
  expiresAtMs: number;
}

/** One token per (card, ATC), as central issues them: a commitment to the ATC's one-time secret. */
export function tokenFor(keys: BenchKeys, cardId: Uint8Array, atc: number, plan: TokenPlan): ReserveTokenFields {
  const secret = deriveAtcSecret(keys.cardKey(cardId), atc);
  return { cardId: toHex(cardId), atc, commitment: toHex(commitmentOf(cardId, atc, secret)), capMinor: plan.capMinor, currency: plan.currency, expiresAtMs: plan.expiresAtMs };
}

/** Splits tokens into signed batches of at most 256, as central pages them to a terminal. */
export function signBatches(keys: BenchKeys, terminalId: string, prefix: string, tokens: ReserveTokenFields[], issuedAtMs: number): ReserveBatch[] {
  const batches: ReserveBatch[] = [];
  for (let start = 0; start < tokens.length; start += maxReserveBatchTokens) {
    const batchId = `${prefix}-${String(batches.length).padStart(6, '0')}`;
    batches.push(signReserveBatch(keys.signingKey, { batchId, terminalId, issuedAtMs }, tokens.slice(start, start + maxReserveBatchTokens)));
  }
  return batches;
}

export function terminalDataFor(terminalId: string, amountMinor: bigint, currency: CurrencyCode, nowMs: number): TerminalData {
  return { amountMinor, currency, terminalIdHash: terminalIdHash(terminalId), unpredictableNumber: systemRandom.bytes(4), date: transactionDate(nowMs) };
}

/** SELECT then GENERATE straight through the card's respond(), parsed by the same codec as a reader's answers. */
export function tapThroughCodec(card: DevpayCard, terminalData: TerminalData): CardTapData {
  card.reset();
  const selected = parseSelectResponse(card.respond(selectCommand()));
  return parseGenerateResponse(card.respond(generateCommand(terminalData)), selected.cardId);
}

export function percentileMs(samples: number[], fraction: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((left, right) => left - right);
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!.toFixed(3));
}

export function summary(prefix: string, samples: number[]): Record<string, number | null> {
  return {
    [`${prefix}_p50_ms`]: percentileMs(samples, 0.5),
    [`${prefix}_p99_ms`]: percentileMs(samples, 0.99),
    [`${prefix}_max_ms`]: samples.length === 0 ? null : Number(Math.max(...samples).toFixed(3)),
  };
}

export function rssMb(): number {
  return Number((process.memoryUsage().rss / 1024 / 1024).toFixed(1));
}

export { Cleanup } from '../../test/harness/cleanup.js';
export { waitForValue as waitFor } from '../../test/harness/until.js';
