// How operator sessions behave, as central sets it for a terminal (a pulled setting named
// `operator_policy`, like the offline limits): idle and absolute session lengths, how many failed
// fingerprint matches open the PIN fallback, how many wrong PINs lock an operator out, how long an
// authentication counts as fresh for sensitive actions, and each currency's refund limit for
// operators without refund_above_limit. Until central sends one, the defaults below hold.
import { z } from 'zod';
import { currencyCodes, type CurrencyCode } from '../currency.js';

const minorString = z.string().regex(/^(0|[1-9]\d{0,18})$/);

export const operatorPolicySchema = z
  .object({
    /** A session with no operator activity this long locks (the operator signs in again to resume). */
    idleTimeoutMs: z.number().int().min(10_000).max(24 * 60 * 60 * 1000),
    /** A session ends this long after sign-in, however active. */
    absoluteSessionMs: z.number().int().min(60_000).max(7 * 24 * 60 * 60 * 1000),
    /** Failed fingerprint matches in a row after which the PIN is offered. */
    fingerprintFailuresBeforePin: z.number().int().min(1).max(10),
    /** Wrong PINs in a row after which the operator is locked out until a supervisor lifts it. */
    pinFailuresBeforeLockout: z.number().int().min(1).max(10),
    /** How long a sign-in, re-authentication or override counts as fresh for a sensitive action. */
    reauthWindowMs: z.number().int().min(0).max(60 * 60 * 1000),
    /** Per currency, the largest refund (one refund's amount) without refund_above_limit; absent is zero. */
    refundLimitMinor: z.record(z.enum(currencyCodes), minorString),
  })
  .strict();
export type OperatorPolicy = z.infer<typeof operatorPolicySchema>;

/** The setting's name in central's pulled settings. */
export const operatorPolicySettingName = 'operator_policy';

export const defaultOperatorPolicy: OperatorPolicy = {
  idleTimeoutMs: 5 * 60 * 1000,
  absoluteSessionMs: 12 * 60 * 60 * 1000,
  fingerprintFailuresBeforePin: 3,
  pinFailuresBeforeLockout: 5,
  reauthWindowMs: 2 * 60 * 1000,
  refundLimitMinor: { IRR: '20000000', TRY: '200000', USD: '20000', EUR: '20000', USDT: '200000000' },
};

export function refundLimitMinor(policy: OperatorPolicy, currency: CurrencyCode): bigint {
  return BigInt(policy.refundLimitMinor[currency] ?? '0');
}
