// Tables of the offline checks: each way a tap or a payment can fail offline names its reason,
// in the order the terminal checks them, and a tap that fits everything passes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toHex } from '../clock.js';
import { commitmentOf, computeCryptogram, computeSessionToken, cryptogramInput, deriveAtcSecret, deriveCardKey, oneTimeCvv, oneTimePan } from './card-crypto.js';
import { checkOfflineLimits, checkTapAgainstToken, maskPan, sessionTokenValid, type OfflineExposure } from './offline-checks.js';
import { deriveReserveSigningKey, openReserveBatch, reservePublicKey, signReserveBatch, type StoredReserveToken } from './reserve-token.js';
import { defaultOfflineLimits } from '../ledger/limits.js';

const nowMs = 1_795_000_000_000;
const cardId = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
const cardKey = deriveCardKey(new Uint8Array(32).fill(1), cardId);
const signingKey = deriveReserveSigningKey(new Uint8Array(32).fill(2));
const publicKey = reservePublicKey(signingKey);

function tapAt(atc: number) {
  const atcSecret = deriveAtcSecret(cardKey, atc);
  return { cardId, atc, pan: oneTimePan(atcSecret), cvv: oneTimeCvv(atcSecret), atcSecret };
}

function tokenFor(atc: number, overrides: { secretOf?: number } = {}): StoredReserveToken {
  const commitment = toHex(commitmentOf(cardId, atc, deriveAtcSecret(cardKey, overrides.secretOf ?? atc)));
  const batch = signReserveBatch(signingKey, { batchId: 'batch-offline-1', terminalId: 't-check001', issuedAtMs: nowMs }, [{ cardId: toHex(cardId), atc, commitment, capMinor: '4000', currency: 'USD', expiresAtMs: nowMs + 1000 }]);
  const opened = openReserveBatch(publicKey, batch, 't-check001');
  assert.ok(opened.ok);
  return opened.tokens[0]!;
}

const payment = { amountMinor: 1500n, currency: 'USD' as const, nowMs };

test('a tap that fits its token passes; each misfit names its reason', () => {
  const tap = tapAt(5);
  const token = tokenFor(5);
  assert.equal(checkTapAgainstToken(tap, token, publicKey, payment), null);
  const cases: Array<[string, ReturnType<typeof checkTapAgainstToken>, ReturnType<typeof checkTapAgainstToken>]> = [
    ['another ATC than the token', checkTapAgainstToken(tapAt(6), token, publicKey, payment), 'no_reserve_token'],
    ['a token signed by someone else', checkTapAgainstToken(tap, token, reservePublicKey(deriveReserveSigningKey(new Uint8Array(32).fill(9))), payment), 'token_signature_invalid'],
    ['a token whose cap was raised', checkTapAgainstToken(tap, { ...token, capMinor: '999999' }, publicKey, payment), 'token_signature_invalid'],
    ['a secret that is not the committed one', checkTapAgainstToken(tap, tokenFor(5, { secretOf: 7 }), publicKey, payment), 'commitment_mismatch'],
    ['a PAN not derived from the secret', checkTapAgainstToken({ ...tap, pan: tapAt(6).pan }, token, publicKey, payment), 'pan_cvv_mismatch'],
    ['a CVV not derived from the secret', checkTapAgainstToken({ ...tap, cvv: tap.cvv === '000' ? '001' : '000' }, token, publicKey, payment), 'pan_cvv_mismatch'],
    ['past the expiry', checkTapAgainstToken(tap, token, publicKey, { ...payment, nowMs: nowMs + 1000 }), 'token_expired'],
    ['another currency', checkTapAgainstToken(tap, token, publicKey, { ...payment, currency: 'EUR' }), 'wrong_currency'],
    ['over the token cap', checkTapAgainstToken(tap, token, publicKey, { ...payment, amountMinor: 4001n }), 'over_token_cap'],
  ];
  for (const [what, actual, expected] of cases) assert.equal(actual, expected, what);
  assert.equal(checkTapAgainstToken(tap, token, publicKey, { ...payment, amountMinor: 4000n }), null, 'the cap itself is allowed');
});

test('offline limits: float, count, per-payment cap and time offline, each by name', () => {
  // Defaults for USD: float 50000, 50 payments, 5000 per payment, a day offline.
  const fresh: OfflineExposure = { openAmountMinor: 0n, openCount: 0, lastCentralContactMs: nowMs - 1000 };
  assert.equal(checkOfflineLimits(defaultOfflineLimits, payment, fresh), null);
  const cases: Array<[string, ReturnType<typeof checkOfflineLimits>, ReturnType<typeof checkOfflineLimits>]> = [
    ['no limits from central yet', checkOfflineLimits(null, payment, fresh), 'offline_not_allowed'],
    ['a currency without limits', checkOfflineLimits({ ...defaultOfflineLimits, currencies: {} as typeof defaultOfflineLimits.currencies }, payment, fresh), 'offline_not_allowed'],
    ['never heard from central', checkOfflineLimits(defaultOfflineLimits, payment, { ...fresh, lastCentralContactMs: null }), 'offline_too_long'],
    ['offline a day and a second', checkOfflineLimits(defaultOfflineLimits, payment, { ...fresh, lastCentralContactMs: nowMs - 86_401_000 }), 'offline_too_long'],
    ['over the per-payment cap', checkOfflineLimits(defaultOfflineLimits, { ...payment, amountMinor: 5001n }, fresh), 'over_payment_cap'],
    ['the 51st offline payment', checkOfflineLimits(defaultOfflineLimits, payment, { ...fresh, openCount: 50 }), 'offline_count_exceeded'],
    ['past the float', checkOfflineLimits(defaultOfflineLimits, payment, { ...fresh, openAmountMinor: 48_501n }), 'offline_float_exceeded'],
  ];
  for (const [what, actual, expected] of cases) assert.equal(actual, expected, what);
  assert.equal(checkOfflineLimits(defaultOfflineLimits, payment, { ...fresh, openAmountMinor: 48_500n, openCount: 49 }), null, 'exactly at the float and count is allowed');
});

test('the session token fails for other terminal data; the PAN mask keeps BIN and last four', () => {
  const tap = tapAt(3);
  const terminalData = new Uint8Array(27).fill(7);
  const cryptogram = computeCryptogram(cardKey, cryptogramInput(cardId, 3, tap.pan, tap.cvv, terminalData));
  const sessionToken = computeSessionToken(tap.atcSecret, cryptogramInput(cardId, 3, tap.pan, tap.cvv, terminalData), cryptogram);
  assert.equal(sessionTokenValid({ ...tap, cryptogram, sessionToken }, terminalData), true);
  assert.equal(sessionTokenValid({ ...tap, cryptogram, sessionToken }, new Uint8Array(27).fill(8)), false);
  assert.equal(maskPan('8991001234567893'), '899100******7893');
});
