// The day close part of the API contract: the X report (the day so far, nothing closed) and the
// Z report (the day closed), per currency, reconciled with central's totals when central
// answers. A Z report covers everything since the previous close; with transactions central has
// not decided the close is refused unless the merchant closes provisionally, which the report
// says, and the close completes when sync has finished. A close is a ledger event, once.
import { z } from 'zod';
import { currencyCodes } from '../currency.js';
import { clientIdSchema } from './corrections.js';

const minorString = z.string().regex(/^-?\d{1,20}$/);
const countAndTotal = z.object({ count: z.number().int().nonnegative(), totalMinor: minorString });

export const dayReportCurrencySchema = z.object({
  currency: z.enum(currencyCodes),
  sales: countAndTotal,
  salesOnline: countAndTotal,
  salesOffline: countAndTotal,
  refunds: countAndTotal,
  refundsOnline: countAndTotal,
  refundsOffline: countAndTotal,
  voids: countAndTotal,
  /** Central's rejections of this period, reversed on the terminal. */
  reversals: countAndTotal,
  /** Sales less refunds, voids and reversals: what the merchant keeps for the period. */
  netMinor: minorString,
  /** Of this period's transactions, those central has not decided yet. */
  unsynced: countAndTotal,
});
export type DayReportCurrency = z.infer<typeof dayReportCurrencySchema>;

export const reconciliationDifferenceSchema = z.object({
  transactionId: z.string(),
  currency: z.enum(currencyCodes),
  /** What this terminal holds and what central holds for it; null where one side has nothing. */
  terminalAmountMinor: minorString.nullable(),
  centralAmountMinor: minorString.nullable(),
  problem: z.enum(['missing_at_central', 'missing_at_terminal', 'amount_differs', 'state_differs']),
});

export const reconciliationSchema = z.object({
  /** matched: central's totals equal the terminal's; differences: listed below; unavailable: central did not answer. */
  state: z.enum(['matched', 'differences', 'unavailable']),
  checkedAtMs: z.number().int().nonnegative().nullable(),
  differences: z.array(reconciliationDifferenceSchema).max(500),
});

export const dayReportSchema = z.object({
  /** The report's id (a ULID); a Z report's is the close's ledger event. */
  id: z.string(),
  kind: z.enum(['x', 'z']),
  terminalId: z.string(),
  /** Inclusive start (the previous close's end, or the first transaction) and exclusive end. */
  fromMs: z.number().int().nonnegative(),
  toMs: z.number().int().nonnegative(),
  createdAtMs: z.number().int().nonnegative(),
  /** Closed with transactions central had not decided; completedAtMs is set once they are. */
  provisional: z.boolean(),
  completedAtMs: z.number().int().nonnegative().nullable(),
  /** The number of the close on this terminal (1, 2, …); null for an X report. */
  sequence: z.number().int().positive().nullable(),
  currencies: z.array(dayReportCurrencySchema),
  reconciliation: reconciliationSchema,
});
export type DayReport = z.infer<typeof dayReportSchema>;

export const dayCloseRefusalSchema = z.object({
  outcome: z.literal('refused'),
  reason: z.enum(['unsynced_transactions', 'nothing_to_close']),
  unsyncedCount: z.number().int().nonnegative(),
});

export const dayCommandSchemas = {
  /** The X report: the period since the last close, nothing closed, nothing stored. */
  'day.report': { params: z.object({}).strict(), result: dayReportSchema },
  /**
   * Closes the day (Z report). Refused with unsynced transactions unless `provisional`. The same
   * client id answers the close it made (a retry after a crash closes nothing twice).
   */
  'day.close': {
    params: z.object({ clientId: clientIdSchema, provisional: z.boolean().default(false) }).strict(),
    result: z.union([z.object({ outcome: z.literal('closed'), report: dayReportSchema, repeated: z.boolean() }), dayCloseRefusalSchema]),
  },
  /** Stored Z reports, newest first. */
  'day.list': {
    params: z.object({ limit: z.number().int().min(1).max(100).default(20) }).strict(),
    result: z.object({ reports: z.array(dayReportSchema) }),
  },
} as const;
