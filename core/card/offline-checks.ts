// The checks a terminal makes, without central, before approving a tap offline: that the card
// revealed the secret its reserve token commits to, that the PAN and CVV are the ones that secret
// derives, that central's signature over the token holds, and that the payment fits the token's
// cap, currency and expiry and the terminal's offline limits. Pure functions; the reserve store
// runs them inside the unit that spends the token and posts the payment.
import { toHex } from '../clock.js';
import { commitmentOf, computeSessionToken, cryptogramInput, equalBytes, oneTimeCvv, oneTimePan, type CardCvm } from './card-crypto.js';
import { verifyStoredToken, type StoredReserveToken } from './reserve-token.js';
import { cvmLimitMinor, type OfflineLimits } from '../ledger/limits.js';
import type { CurrencyCode } from '../currency.js';
import type { DeclineReason } from './decline-reasons.js';
import { fromHex } from '../clock.js';

/** The parts of a tap the offline checks need (CardTapData from the APDU codec has them). */
export interface TapSecrets {
  cardId: Uint8Array;
  atc: number;
  pan: string;
  cvv: string;
  atcSecret: Uint8Array;
}

/**
 * Checks a tap's session token with its revealed secret and the terminal data sent: any byte of
 * the response altered, or the answer given to other terminal data, fails here.
 */
export function sessionTokenValid(tap: TapSecrets & { cryptogram: Uint8Array; sessionToken: Uint8Array; cvm?: CardCvm }, terminalData: Uint8Array): boolean {
  // The token covers the card's CVM result too, so a CVM byte changed on its way fails here.
  const input = cryptogramInput(tap.cardId, tap.atc, tap.pan, tap.cvv, terminalData, tap.cvm ?? 'none');
  return equalBytes(computeSessionToken(tap.atcSecret, input, tap.cryptogram), tap.sessionToken);
}

export function checkTapAgainstToken(
  tap: TapSecrets,
  token: StoredReserveToken,
  publicKey: Uint8Array,
  payment: { amountMinor: bigint; currency: CurrencyCode; nowMs: number },
): DeclineReason | null {
  if (token.cardId !== toHex(tap.cardId) || token.atc !== tap.atc) return 'no_reserve_token';
  if (!verifyStoredToken(publicKey, token)) return 'token_signature_invalid';
  if (!equalBytes(commitmentOf(tap.cardId, tap.atc, tap.atcSecret), fromHex(token.commitment))) return 'commitment_mismatch';
  if (oneTimePan(tap.atcSecret) !== tap.pan || oneTimeCvv(tap.atcSecret) !== tap.cvv) return 'pan_cvv_mismatch';
  if (payment.nowMs >= token.expiresAtMs) return 'token_expired';
  if (token.currency !== payment.currency) return 'wrong_currency';
  if (payment.amountMinor > BigInt(token.capMinor)) return 'over_token_cap';
  return null;
}

/** The terminal's exposure in the payment's currency before this payment. */
export interface OfflineExposure {
  /** Sum of offline approvals central has not yet confirmed, minor units. */
  openAmountMinor: bigint;
  openCount: number;
  /** When the terminal last heard from central, or null if never. */
  lastCentralContactMs: number | null;
}

export function checkOfflineLimits(limits: OfflineLimits | null, payment: { amountMinor: bigint; currency: CurrencyCode; nowMs: number }, exposure: OfflineExposure): DeclineReason | null {
  const perCurrency = limits?.currencies[payment.currency];
  if (!limits || !perCurrency || perCurrency.offlineCountLimit === 0) return 'offline_not_allowed';
  if (exposure.lastCentralContactMs === null || payment.nowMs - exposure.lastCentralContactMs > limits.maxOfflineMs) return 'offline_too_long';
  if (payment.amountMinor > BigInt(perCurrency.perPaymentCapMinor)) return 'over_payment_cap';
  if (exposure.openCount + 1 > perCurrency.offlineCountLimit) return 'offline_count_exceeded';
  if (exposure.openAmountMinor + payment.amountMinor > BigInt(perCurrency.offlineFloatMinor)) return 'offline_float_exceeded';
  return null;
}

/**
 * Offline, a payment above the offline CVM limit needs the PIN the card verified (its CVM result,
 * checked under the session token): the terminal cannot ask central, so it asks the card.
 */
export function checkOfflineCvm(limits: OfflineLimits | null, payment: { amountMinor: bigint; currency: CurrencyCode }, cvm: CardCvm): DeclineReason | null {
  return payment.amountMinor > cvmLimitMinor(limits, payment.currency, 'offline') && cvm !== 'card_pin' ? 'pin_required' : null;
}

export function maskPan(pan: string): string {
  return `${pan.slice(0, 6)}${'*'.repeat(pan.length - 10)}${pan.slice(-4)}`;
}
