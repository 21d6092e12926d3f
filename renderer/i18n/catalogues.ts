// The three catalogues, each the screen's messages and the messages of core's codes, merged
// into the flat id → ICU message map FormatJS takes. Every catalogue has exactly the keys of
// the English one: the types refuse a missing or an extra key, and
// test/static/catalogues.test.ts checks the same at run time along with empty messages and
// placeholders that differ from English.
import type { Locale } from '../../core/api/preferences.js';
import { enScreen, type ScreenKey } from './catalogues/en.js';
import { enReasons } from './catalogues/en-reasons.js';
import { trScreen } from './catalogues/tr.js';
import { trReasons } from './catalogues/tr-reasons.js';
import { faScreen } from './catalogues/fa.js';
import { faReasons } from './catalogues/fa-reasons.js';
import type { ReasonKey } from './reason-keys.js';

export type MessageKey = ScreenKey | ReasonKey;
export type Catalogue = Readonly<Record<MessageKey, string>>;

export const catalogues: Readonly<Record<Locale, Catalogue>> = {
  en: { ...enScreen, ...enReasons },
  tr: { ...trScreen, ...trReasons },
  fa: { ...faScreen, ...faReasons },
};
