// Dates, times and amounts as a printed receipt shows them in each language: the terminal's time
// zone (never the machine's UTC for its own sake), the Persian (Jalali) calendar and Persian
// digits in Persian, Turkish and English number separators, and IRR in rials or, labelled, in
// tomans (ten rials). Amounts stay bigint minor units to the last digit: no floats.
import { currencies, type CurrencyCode } from '../../core/currency.js';
import type { Locale, Preferences } from '../../core/api/preferences.js';
import { toPersianDigits } from './persian-shaping.js';
import type { ReceiptLabels } from './receipt-labels/index.js';

const intlLocales: Readonly<Record<Locale, string>> = { en: 'en-GB', tr: 'tr-TR', fa: 'fa-IR-u-ca-persian' };
const separators: Readonly<Record<Locale, { group: string; decimal: string }>> = {
  en: { group: ',', decimal: '.' },
  tr: { group: '.', decimal: ',' },
  fa: { group: '\u066c', decimal: '\u066b' },
};

/** The date and the time of an instant in a time zone, as the receipt prints them. */
export function formatReceiptDateTime(atMs: number, locale: Locale, timeZone: string): { date: string; time: string } {
  const at = new Date(atMs);
  const date = new Intl.DateTimeFormat(intlLocales[locale], { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  const time = new Intl.DateTimeFormat(intlLocales[locale], { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(at);
  return { date, time };
}

/** Digits with the language's separators: 1234567 with exponent 2 → "12,345.67" in English. */
export function formatDecimal(amountMinor: bigint, exponent: number, locale: Locale): string {
  const { group, decimal } = separators[locale];
  const negative = amountMinor < 0n;
  const digits = (negative ? -amountMinor : amountMinor).toString().padStart(exponent + 1, '0');
  const integerPart = digits.slice(0, digits.length - exponent).replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const text = (negative ? '-' : '') + integerPart + (exponent > 0 ? decimal + digits.slice(digits.length - exponent) : '');
  return locale === 'fa' ? toPersianDigits(text) : text;
}

/**
 * An amount with its currency. IRR in tomans divides by ten and keeps a tenth where the rials do
 * not divide evenly, so nothing is rounded away on a receipt.
 */
export function formatReceiptAmount(amountMinor: bigint, currency: CurrencyCode, locale: Locale, irrDisplay: Preferences['irrDisplay'], labels: ReceiptLabels): string {
  if (currency === 'IRR') {
    const inTomans = irrDisplay === 'toman';
    const exponent = inTomans && amountMinor % 10n !== 0n ? 1 : 0;
    const shown = inTomans && exponent === 0 ? amountMinor / 10n : amountMinor;
    return `${formatDecimal(shown, exponent, locale)} ${inTomans ? labels.toman : labels.rial}`;
  }
  return `${formatDecimal(amountMinor, currencies[currency].exponent, locale)} ${currency}`;
}

/**
 * The card as a receipt may show it: the last four digits only, whatever the stored mask holds,
 * so a receipt never carries more of a card number than the last four.
 */
export function maskedCardForReceipt(panMasked: string): string {
  const lastFour = String(panMasked).replace(/\D/g, '').slice(-4).padStart(4, '*');
  return `**** **** **** ${lastFour}`;
}
