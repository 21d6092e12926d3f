// The screen's one way to words, numbers, money and times: a FormatJS intl object for the
// merchant's preferences (language, time zone, IRR display). Messages come from the catalogues
// by key; numbers, money, dates and durations only from Intl, in the preference's time zone and
// the language's calendar and digits (Persian: Jalali calendar, Persian digits).
import { createIntl, createIntlCache, type IntlShape } from '@formatjs/intl';
import type { ComponentChild, ComponentChildren } from 'preact';
import type { Locale, Preferences } from '../../core/api/preferences.js';
import { ApiError, apiErrorCodes } from '../../core/api/envelope.js';
import type { CurrencyCode } from '../../core/currency.js';
import { catalogues } from './catalogue-source.js';
import type { MessageKey } from './catalogues.js';
import { intlLocaleTags, localeDirections, type Direction } from './locales.js';
import { formatDecimal, moneyShape, type IrrDisplay } from './money-format.js';

type Values = Record<string, string | number>;

export interface Translator {
  readonly locale: Locale;
  readonly direction: Direction;
  readonly timeZone: string;
  readonly irrDisplay: IrrDisplay;
  /** A message as plain text. */
  t(key: MessageKey, values?: Values): string;
  /** A message whose values may be elements (amounts and ids in their own direction islands). */
  rich(key: MessageKey, values: Record<string, string | number | ComponentChild>): ComponentChildren;
  number(value: number | bigint, options?: Intl.NumberFormatOptions): string;
  /** An exact decimal string ("125.5") as a number of this language. */
  decimal(decimal: string, options?: Intl.NumberFormatOptions): string;
  /** An amount as one plain text, for labels; screens use the Money component. */
  moneyText(amountMinor: bigint, currency: CurrencyCode, irrDisplay?: IrrDisplay): string;
  date(atMs: number): string;
  time(atMs: number): string;
  dateTime(atMs: number): string;
  /** A span of time in units of this language: "3 min, 12 sec". */
  duration(ms: number): string;
  /** Items joined as this language lists them. */
  list(items: string[]): string;
  /** Why an API call failed, in the merchant's words (never the raw code). */
  errorReason(error: unknown): string;
}

const cache = createIntlCache();

/** The terminal's own zone, for the moments before the preferences arrive or if they cannot. */
export function platformTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export const fallbackPreferences: Preferences = { locale: 'en', timeZone: platformTimeZone(), irrDisplay: 'rial', printCustomerCopy: true };

export function createTranslator(preferences: Preferences): Translator {
  const { locale, timeZone, irrDisplay } = preferences;
  const tag = intlLocaleTags[locale];
  const intl: IntlShape<ComponentChild> = createIntl<ComponentChild>({ locale: tag, defaultLocale: intlLocaleTags.en, timeZone, messages: catalogues[locale] }, cache);
  const numberFormat = (options: Intl.NumberFormatOptions = {}): Intl.NumberFormat => intl.formatters.getNumberFormat(tag, options);

  const t = (key: MessageKey, values?: Values): string => intl.formatMessage({ id: key }, values) as string;

  const unitNumber = (value: number, unit: 'day' | 'hour' | 'minute' | 'second'): string =>
    numberFormat({ style: 'unit', unit, unitDisplay: 'short' }).format(value);

  const translator: Translator = {
    locale,
    direction: localeDirections[locale],
    timeZone,
    irrDisplay,
    t,
    rich: (key, values) => intl.formatMessage({ id: key }, values) as ComponentChildren,
    number: (value, options) => numberFormat(options).format(value),
    decimal: (decimal, options) => formatDecimal(numberFormat(options), decimal),
    moneyText(amountMinor, currency, display = irrDisplay) {
      const shape = moneyShape(amountMinor, currency, display);
      const number = formatDecimal(numberFormat(shape.options), shape.decimal);
      if (shape.kind === 'currency') return number;
      return t(shape.unit === 'toman' ? 'money.toman' : 'money.usdt', { amount: number });
    },
    date: (atMs) => intl.formatDate(atMs, { dateStyle: 'medium' }),
    time: (atMs) => intl.formatTime(atMs, { timeStyle: 'medium' }),
    dateTime: (atMs) => intl.formatDate(atMs, { dateStyle: 'medium', timeStyle: 'short' }),
    duration(ms) {
      const totalSeconds = Math.max(0, Math.floor(ms / 1000));
      const days = Math.floor(totalSeconds / 86_400);
      const hours = Math.floor((totalSeconds % 86_400) / 3600);
      const minutes = Math.floor((totalSeconds % 3600) / 60);
      const seconds = totalSeconds % 60;
      // Past a day the seconds are noise; below a minute they are all there is.
      const parts: string[] = [];
      if (days > 0) parts.push(unitNumber(days, 'day'));
      if (days > 0 || hours > 0) parts.push(unitNumber(hours, 'hour'));
      parts.push(unitNumber(minutes, 'minute'));
      if (days === 0) parts.push(unitNumber(seconds, 'second'));
      if (days === 0 && hours === 0 && minutes === 0) parts.splice(0, 1);
      return intl.formatList(parts, { type: 'unit', style: 'narrow' });
    },
    list: (items) => intl.formatList(items, { type: 'conjunction', style: 'short' }),
    errorReason(error) {
      if (error instanceof ApiError && (apiErrorCodes as readonly string[]).includes(error.code)) return t(`error.reason.${error.code}`);
      return t('error.reason.unknown');
    },
  };
  return translator;
}
