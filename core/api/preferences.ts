// The terminal's display preferences, set on screen and remembered per terminal in the ledger:
// the language (each labelled in its own name), the time zone receipts and times are shown in
// (IANA name; the terminal's own by default, never UTC-only), and whether IRR amounts are shown
// in rials or, clearly labelled, in tomans (ten rials). Per operator once operators exist.
import { z } from 'zod';

export const locales = ['en', 'tr', 'fa'] as const;
export type Locale = (typeof locales)[number];

/** Each language labelled in its own name, as the switcher shows it. */
export const localeNames: Readonly<Record<Locale, string>> = { en: 'English', tr: 'Türkçe', fa: 'فارسی' };

/** An IANA time zone name the platform's Intl knows. */
export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'not a time zone this terminal knows');

export const preferencesSchema = z
  .object({
    locale: z.enum(locales),
    timeZone: timeZoneSchema,
    irrDisplay: z.enum(['rial', 'toman']),
    /** Whether the customer's copy of a receipt prints after an approval (the merchant's always does). */
    printCustomerCopy: z.boolean(),
  })
  .strict();
export type Preferences = z.infer<typeof preferencesSchema>;

export const preferencesCommandSchemas = {
  'preferences.get': { params: z.object({}).strict(), result: preferencesSchema },
  /** Changes some preferences; answers all of them and pushes preferences.changed. */
  'preferences.set': { params: preferencesSchema.partial().strict(), result: preferencesSchema },
} as const;
