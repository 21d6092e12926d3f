// Alerts in the merchant's terms: what happened (kind and reason code, localised on screen),
// to which payment, for how much, with the masked PAN as printed on the receipt (never a card
// id), and when. Kept in the ledger until the merchant dismisses them, listed on screen, and
// pushed as an `alert` event when raised.
import { z } from 'zod';
import { currencyCodes } from '../currency.js';

export const alertKinds = ['payment_rejected', 'card_revoked', 'agent_receivable'] as const;

export const alertRecordSchema = z.object({
  id: z.string().max(40),
  kind: z.enum(alertKinds),
  /** When the terminal raised it (epoch ms). */
  atMs: z.number().int().nonnegative(),
  /** The machine reason (central's verdict reason, or refused_after_spending / receivable_repaid). */
  reason: z.string().max(200),
  transactionId: z.string().max(40).nullable(),
  /** For a payment: its amount; for an agent receivable: the signed amount moved. */
  amountMinor: z.string().regex(/^-?\d{1,20}$/).nullable(),
  currency: z.enum(currencyCodes).nullable(),
  /** The masked PAN as on the receipt (BIN and last four), when a card is involved. */
  panMasked: z.string().regex(/^\d{6}\*{6}\d{4}$/).nullable(),
  dismissedAtMs: z.number().int().nonnegative().nullable(),
});
export type AlertRecord = z.infer<typeof alertRecordSchema>;

export const alertCommandSchemas = {
  /** Alerts newest first; dismissed ones only when asked for. */
  'alerts.list': { params: z.object({ includeDismissed: z.boolean().optional() }).strict(), result: z.object({ alerts: z.array(alertRecordSchema) }) },
  'alerts.dismiss': { params: z.object({ id: z.string().min(1).max(40) }).strict(), result: z.object({ dismissed: z.boolean() }) },
} as const;
