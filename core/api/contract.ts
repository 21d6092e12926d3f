// The runtime's API contract, declared once: every command's params and result and every
// event's payload has a zod schema here. The runtime validates what it receives against it and
// the renderer derives its types from it, over either transport (Electron IPC or WebSocket).
import { z } from 'zod';
import { syncStatusSchema, terminalStatusSchema } from './status.js';
import { currencyCodes } from '../currency.js';
import { paymentCommandSchemas, paymentUpdateSchema } from './payment.js';
import { journalCommandSchemas } from './journal.js';
import { alertCommandSchemas, alertRecordSchema } from './alerts.js';
import { preferencesCommandSchemas, preferencesSchema } from './preferences.js';
import { correctionCommandSchemas } from './corrections.js';
import { dayCommandSchemas } from './day-reports.js';
import { receiptCommandSchemas, printResultSchema } from './receipts.js';
import { operatorCommandSchemas, operatorEventSchemas } from './operators.js';

const noParams = z.object({}).strict();

export const commandSchemas = {
  'system.ping': {
    params: noParams,
    result: z.object({ pong: z.literal(true), runtimeVersion: z.string() }),
  },
  'status.get': {
    params: noParams,
    result: terminalStatusSchema,
  },
  'link.checkNow': {
    params: noParams,
    result: z.object({ centralReachable: z.boolean(), roundTripMs: z.number().nullable() }),
  },
  'ledger.summary': {
    params: noParams,
    result: z.object({
      transactionCount: z.number().int().nonnegative(),
      pendingOutboxCount: z.number().int().nonnegative(),
      /** Per currency, as minor-unit strings: the merchant's takings and the offline exposure. */
      currencies: z.array(z.object({ currency: z.enum(currencyCodes), merchantMinor: z.string(), offlineClearingMinor: z.string() })),
    }),
  },
  'sync.now': {
    params: noParams,
    result: syncStatusSchema,
  },
  ...paymentCommandSchemas,
  ...journalCommandSchemas,
  ...alertCommandSchemas,
  ...preferencesCommandSchemas,
  ...correctionCommandSchemas,
  ...dayCommandSchemas,
  ...receiptCommandSchemas,
  ...operatorCommandSchemas,
} as const;

/** Raised alerts, as alerts.list lists them (core/api/alerts.ts). */
export const alertSchema = alertRecordSchema;

export const eventSchemas = {
  'status.changed': terminalStatusSchema,
  alert: alertSchema,
  'payment.updated': paymentUpdateSchema,
  /** A card was presented while no charge was open: it was ignored and pays nothing later. */
  'reader.cardIgnored': z.object({ atMs: z.number().int().nonnegative() }),
  'preferences.changed': preferencesSchema,
  /** A receipt printed (or not) after an approval, without anyone asking: the failure is named. */
  'receipt.printed': printResultSchema.extend({ transactionId: z.string(), copy: z.enum(['merchant', 'customer']) }),
  /** A provisional close completed once central decided everything it held open. */
  'day.closeCompleted': z.object({ reportId: z.string(), completedAtMs: z.number().int().nonnegative() }),
  ...operatorEventSchemas,
} as const;

export type CommandName = keyof typeof commandSchemas;
export type EventName = keyof typeof eventSchemas;
export type CommandParams<Name extends CommandName> = z.input<(typeof commandSchemas)[Name]['params']>;
export type CommandResult<Name extends CommandName> = z.infer<(typeof commandSchemas)[Name]['result']>;
export type EventPayload<Name extends EventName> = z.infer<(typeof eventSchemas)[Name]>;

export function isCommandName(value: string): value is CommandName {
  return Object.hasOwn(commandSchemas, value);
}
