// Shared pieces of the card property tests: a fixed card master key and reserve signing key (as
// central holds them), reserve batches for a card's ATCs, and offline limits wide enough that
// only the check under test can decline.
import { deriveAtcSecret, deriveCardKey, commitmentOf } from '../../core/card/card-crypto.js';
import { deriveReserveSigningKey, reservePublicKey, signReserveBatch, type ReserveTokenFields } from '../../core/card/reserve-token.js';
import { toHex } from '../../core/clock.js';
import { defaultOfflineLimits, type OfflineLimits } from '../../core/ledger/limits.js';
import type { DevpayCard } from '../../drivers/sim/devpay-card.js';
import type { ReserveStore } from '../../ledger/reserve-store.js';

const masterKey = new Uint8Array(32).fill(0x5a);

export const testCardMaster = {
  key: masterKey,
  cardKeyOf: (cardId: Uint8Array) => deriveCardKey(masterKey, cardId),
};

const signingKey = deriveReserveSigningKey(new Uint8Array(32).fill(0x33));
export const testReserveKeys = { signingKey, publicKey: reservePublicKey(signingKey) };

export const generousLimits: OfflineLimits = {
  maxOfflineMs: 365 * 24 * 60 * 60 * 1000,
  currencies: { ...defaultOfflineLimits.currencies, USD: { offlineFloatMinor: '999999999999', offlineCountLimit: 1_000_000, perPaymentCapMinor: '100000' } },
};

/** Issues and ingests tokens for ATCs 1..count of a card (USD, cap 10,000 minor, a year valid). */
export async function issueTestReserve(reserve: ReserveStore, terminalId: string, card: DevpayCard, count: number, nowMs: number, firstAtc = 1): Promise<void> {
  const cardKey = testCardMaster.cardKeyOf(card.cardId);
  for (let start = firstAtc; start < firstAtc + count; start += 256) {
    const tokens: ReserveTokenFields[] = [];
    for (let atc = start; atc < Math.min(start + 256, firstAtc + count); atc += 1) {
      tokens.push({ cardId: toHex(card.cardId), atc, commitment: toHex(commitmentOf(card.cardId, atc, deriveAtcSecret(cardKey, atc))), capMinor: '10000', currency: 'USD', expiresAtMs: nowMs + 365 * 24 * 60 * 60 * 1000 });
    }
    const batch = signReserveBatch(testReserveKeys.signingKey, { batchId: `batch-${toHex(card.cardId)}-${start}`, terminalId, issuedAtMs: nowMs }, tokens);
    const result = await reserve.ingest(batch);
    if (!result.ok) throw new Error(`test reserve batch refused: ${result.reason}`);
  }
}
