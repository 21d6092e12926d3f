// The three catalogues, each the screen's messages (the counter's, the merchant's day's and the operators') and
// the messages of core's codes, merged
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
import { enMerchantDay, type MerchantDayKey } from './catalogues/en-merchant-day.js';
import { trMerchantDay } from './catalogues/tr-merchant-day.js';
import { faMerchantDay } from './catalogues/fa-merchant-day.js';
import { enLedgerTerms } from './catalogues/en-ledger-terms.js';
import { trLedgerTerms } from './catalogues/tr-ledger-terms.js';
import { faLedgerTerms } from './catalogues/fa-ledger-terms.js';
import { enOperators, type OperatorsKey } from './catalogues/en-operators.js';
import { trOperators } from './catalogues/tr-operators.js';
import { faOperators } from './catalogues/fa-operators.js';
import type { LedgerTermKey, ReasonKey } from './reason-keys.js';

export type MessageKey = ScreenKey | ReasonKey | MerchantDayKey | LedgerTermKey | OperatorsKey;
export type Catalogue = Readonly<Record<MessageKey, string>>;

export const catalogues: Readonly<Record<Locale, Catalogue>> = {
  en: { ...enScreen, ...enReasons, ...enMerchantDay, ...enLedgerTerms, ...enOperators },
  tr: { ...trScreen, ...trReasons, ...trMerchantDay, ...trLedgerTerms, ...trOperators },
  fa: { ...faScreen, ...faReasons, ...faMerchantDay, ...faLedgerTerms, ...faOperators },
};
