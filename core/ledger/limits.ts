// Offline limits central sets for each terminal: per currency an offline float (total approved
// offline before sync), a count limit, a per-payment cap and the agent's top-up float, and a
// maximum time offline. They travel as a setting pulled from central; the payment flow and the
// wallet top-up enforce them, and central checks the float again at settlement.
import { z } from 'zod';
import { currencyCodes } from '../currency.js';

const minorString = z.string().regex(/^(0|[1-9]\d{0,18})$/);

export const offlineLimitsSchema = z
  .object({
    maxOfflineMs: z.number().int().nonnegative(),
    currencies: z.record(
      z.enum(currencyCodes),
      z
        .object({
          offlineFloatMinor: minorString,
          offlineCountLimit: z.number().int().nonnegative(),
          perPaymentCapMinor: minorString,
          /**
           * A field agent's float: the most e-money its wallet top-ups may issue in all (central
           * raises it as the agent deposits the cash). Absent is zero: no top-ups until granted.
           */
          agentFloatMinor: minorString.optional(),
          /**
           * The largest charge central allows in this currency, online or offline; a larger one
           * is refused (amount_above_maximum) before any card is read. Absent: the default below.
           */
          maxPaymentMinor: minorString.optional(),
          /**
           * Refunds given offline before central confirms them: their total and their count.
           * Absent or zero: no refund offline in this currency (core/ledger/corrections.ts).
           */
          offlineRefundFloatMinor: minorString.optional(),
          offlineRefundCountLimit: z.number().int().nonnegative().optional(),
          /**
           * Cardholder verification: a charge above this amount needs the card's PIN, verified by
           * the card (VERIFY) and bound into its cryptogram. Absent: the default below.
           */
          cvmLimitMinor: minorString.optional(),
          /** The same for a charge decided offline, usually lower. Absent: the default below. */
          offlineCvmLimitMinor: minorString.optional(),
        })
        .strict(),
    ),
  })
  .strict();
export type OfflineLimits = z.infer<typeof offlineLimitsSchema>;

/** Conservative defaults until central says otherwise: a day offline, modest floats. */
export const defaultOfflineLimits: OfflineLimits = {
  maxOfflineMs: 24 * 60 * 60 * 1000,
  currencies: {
    IRR: { offlineFloatMinor: '50000000', offlineCountLimit: 50, perPaymentCapMinor: '5000000', offlineRefundFloatMinor: '10000000', offlineRefundCountLimit: 10 },
    TRY: { offlineFloatMinor: '500000', offlineCountLimit: 50, perPaymentCapMinor: '50000', offlineRefundFloatMinor: '100000', offlineRefundCountLimit: 10 },
    USD: { offlineFloatMinor: '50000', offlineCountLimit: 50, perPaymentCapMinor: '5000', offlineRefundFloatMinor: '10000', offlineRefundCountLimit: 10 },
    EUR: { offlineFloatMinor: '50000', offlineCountLimit: 50, perPaymentCapMinor: '5000', offlineRefundFloatMinor: '10000', offlineRefundCountLimit: 10 },
    USDT: { offlineFloatMinor: '500000000', offlineCountLimit: 50, perPaymentCapMinor: '50000000', offlineRefundFloatMinor: '100000000', offlineRefundCountLimit: 10 },
  },
};

/** The largest charge per currency when central's limits name none. */
export const defaultMaxPaymentMinor: Readonly<Record<(typeof currencyCodes)[number], string>> = {
  IRR: '100000000000',
  TRY: '10000000',
  USD: '1000000',
  EUR: '1000000',
  USDT: '10000000000',
};

/** Per currency, above which a charge needs the card's PIN (online / offline) when central names none. */
export const defaultCvmLimitMinor: Readonly<Record<(typeof currencyCodes)[number], { online: string; offline: string }>> = {
  IRR: { online: '10000000', offline: '2000000' },
  TRY: { online: '150000', offline: '50000' },
  USD: { online: '10000', offline: '3000' },
  EUR: { online: '10000', offline: '3000' },
  USDT: { online: '100000000', offline: '30000000' },
};

/** The amount above which a charge in this currency needs the cardholder's PIN, for the way it is decided. */
export function cvmLimitMinor(limits: OfflineLimits | null, currency: (typeof currencyCodes)[number], mode: 'online' | 'offline'): bigint {
  const set = limits?.currencies[currency];
  const named = mode === 'online' ? set?.cvmLimitMinor : set?.offlineCvmLimitMinor;
  return BigInt(named ?? defaultCvmLimitMinor[currency][mode]);
}

export function maxPaymentMinor(limits: OfflineLimits | null, currency: (typeof currencyCodes)[number]): bigint {
  return BigInt(limits?.currencies[currency]?.maxPaymentMinor ?? defaultMaxPaymentMinor[currency]);
}

/** The agent's top-up float in a currency under these limits; zero where central granted none. */
export function agentFloatLimitMinor(limits: OfflineLimits, currency: (typeof currencyCodes)[number]): bigint {
  return BigInt(limits.currencies[currency]?.agentFloatMinor ?? '0');
}
