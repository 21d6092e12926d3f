// The receipts part of the API contract: printing (and reprinting) a transaction's receipt or a
// day report on the receipt printer. Printing never blocks or loses a payment: a failure is
// answered by name and the receipt stays reprintable from the journal.
import { z } from 'zod';

/** Why a print did not happen, as the printer driver names it. */
export const printFailureCodes = ['printer_paper_out', 'printer_cover_open', 'printer_offline', 'printer_timeout', 'printer_unreachable', 'printer_status_invalid', 'printer_not_configured', 'printer_busy'] as const;
export type PrintFailureCode = (typeof printFailureCodes)[number];

export const printResultSchema = z.object({
  printed: z.boolean(),
  failure: z.enum(printFailureCodes).nullable(),
  /** Characters the printer's code page could not print (printed as '?'). */
  unmappableCount: z.number().int().nonnegative(),
});
export type PrintResult = z.infer<typeof printResultSchema>;

export const receiptCommandSchemas = {
  /** Prints a transaction's receipt (payment, refund or void): the merchant copy, the customer copy or both. */
  'receipt.print': {
    params: z.object({ transactionId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/), copy: z.enum(['merchant', 'customer', 'both']) }).strict(),
    result: printResultSchema,
  },
  /** Prints a stored Z report, or the X report now when reportId is absent. */
  'report.print': {
    params: z.object({ reportId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/).optional() }).strict(),
    result: printResultSchema,
  },
} as const;
