// How each of the terminal's languages is handed to Intl and to the page: the Intl locale tag
// (Persian asks for the Jalali calendar explicitly, so a platform whose default differs still
// shows 14xx years), the writing direction for <html dir>, and the currency a new sale starts in.
import type { Locale } from '../../core/api/preferences.js';
import type { CurrencyCode } from '../../core/currency.js';

export const intlLocaleTags: Readonly<Record<Locale, string>> = {
  en: 'en-US',
  tr: 'tr-TR',
  fa: 'fa-IR-u-ca-persian',
};

export type Direction = 'ltr' | 'rtl';

export const localeDirections: Readonly<Record<Locale, Direction>> = { en: 'ltr', tr: 'ltr', fa: 'rtl' };

/**
 * The currency selected when the screen opens, until the merchant picks another: the one a
 * merchant working in that language most likely takes, so a sale is digits and Enter.
 */
export const homeCurrencies: Readonly<Record<Locale, CurrencyCode>> = { en: 'USD', tr: 'TRY', fa: 'IRR' };
