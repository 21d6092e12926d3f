// The screen's catalogues (renderer/i18n): every language has exactly the English keys, no
// message is empty, every message is valid ICU that FormatJS formats in its own language with
// the same arguments as the English one, every code core can hand the screen (decline reasons,
// central's refusals, alert kinds, API errors, link states, device kinds and health, modes,
// currencies, problems; refund and void declines, print failures, printer problems, transaction
// kinds, ledger accounts, sync states, reconciliation problems) has its message, and the Persian
// catalogue is written in Persian.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createIntl } from '@formatjs/intl';
// FormatJS's own ICU parser (a dependency of @formatjs/intl), so the test reads messages as the app does.
import { parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { declineReasonCodes } from '../../core/card/decline-reasons.js';
import { verdictReasons } from '../../core/wire/sync-messages.js';
import { alertKinds } from '../../core/api/alerts.js';
import { apiErrorCodes } from '../../core/api/envelope.js';
import { deviceKinds, linkStateSchema, deviceHealthSchema, statusProblemSchema, terminalModes } from '../../core/api/status.js';
import { paymentStates } from '../../core/api/payment.js';
import { locales, type Locale } from '../../core/api/preferences.js';
import { currencyCodes } from '../../core/currency.js';
import { correctionDeclineReasonCodes } from '../../core/ledger/corrections.js';
import { printFailureCodes } from '../../core/api/receipts.js';
import { syncStates } from '../../core/api/corrections.js';
import { reconciliationDifferenceSchema } from '../../core/api/day-reports.js';
import { deviceStatusSchema } from '../../core/api/status.js';
import { transactionKinds } from '../../core/ledger/transaction.js';
import { accountKinds } from '../../core/ledger/accounts.js';
import { catalogues, type MessageKey } from '../../renderer/i18n/catalogues.js';
import { intlLocaleTags } from '../../renderer/i18n/locales.js';
import { receivableReasons, revocationReasons } from '../../renderer/i18n/reason-keys.js';

const englishKeys = Object.keys(catalogues.en).sort();

type Element = { type: number; value?: string; options?: Record<string, { value: Element[] }>; children?: Element[] };

/** The arguments a message takes, by name, with the kind of value each needs. */
function argumentsOf(elements: Element[], found = new Map<string, 'number' | 'text'>()): Map<string, 'number' | 'text'> {
  for (const element of elements) {
    if (element.type === TYPE.argument || element.type === TYPE.select) found.set(element.value!, 'text');
    if (element.type === TYPE.number || element.type === TYPE.plural) found.set(element.value!, 'number');
    for (const option of Object.values(element.options ?? {})) argumentsOf(option.value, found);
    if (element.children) argumentsOf(element.children, found);
  }
  return found;
}

/** Parses a message (ICU, as FormatJS does), formats it with stand-ins and lists its arguments. */
function check(locale: Locale, key: MessageKey): { text: string; names: string[]; errors: string[] } {
  const errors: string[] = [];
  let args = new Map<string, 'number' | 'text'>();
  try {
    args = argumentsOf(parse(catalogues[locale][key]) as Element[]);
  } catch (error) {
    errors.push(`not ICU: ${(error as Error).message}`);
  }
  const intl = createIntl({ locale: intlLocaleTags[locale], messages: catalogues[locale], onError: (error) => errors.push(error.message) });
  const values = Object.fromEntries([...args].map(([name, kind]) => [name, kind === 'number' ? 2 : 'x']));
  const text = intl.formatMessage({ id: key }, values) as string;
  return { text, names: [...args.keys()].sort(), errors };
}

for (const locale of locales) {
  test(`the ${locale} catalogue has exactly the English keys, none empty`, () => {
    const keys = Object.keys(catalogues[locale]).sort();
    assert.deepEqual(
      keys.filter((key) => !englishKeys.includes(key)),
      [],
      `keys English does not have`,
    );
    assert.deepEqual(
      englishKeys.filter((key) => !keys.includes(key)),
      [],
      `keys missing`,
    );
    const empty = Object.entries(catalogues[locale]).filter(([, message]) => message.trim() === '');
    assert.deepEqual(empty, [], 'empty messages');
  });

  test(`every ${locale} message is valid ICU with the English arguments`, () => {
    for (const key of englishKeys as MessageKey[]) {
      const { text, names, errors } = check(locale, key);
      assert.deepEqual(errors, [], `${locale} ${key} formats without error`);
      assert.ok(text.trim().length > 0, `${locale} ${key} formats to text`);
      assert.deepEqual(names, check('en', key).names, `${locale} ${key} takes the arguments the English one takes`);
    }
  });
}

test('every code core hands the screen has a message', () => {
  const required: string[] = [
    ...declineReasonCodes.map((code) => `decline.${code}`),
    ...verdictReasons.filter((reason) => reason !== 'settled').map((reason) => `rejection.${reason}`),
    ...alertKinds.flatMap((kind) =>
      kind === 'payment_rejected'
        ? ['alert.payment_rejected.title', 'alert.payment_rejected.what']
        : kind === 'card_revoked'
          ? ['alert.card_revoked.title', 'alert.card_revoked.todo', ...[...revocationReasons, 'other'].map((reason) => `alert.card_revoked.what.${reason}`)]
          : [...receivableReasons, 'other'].flatMap((reason) => ['title', 'what', 'todo'].map((part) => `alert.${kind}.${part}.${reason}`)),
    ),
    ...apiErrorCodes.map((code) => `error.reason.${code}`),
    ...linkStateSchema.options.map((state) => `link.${state}`),
    ...deviceKinds.map((kind) => `device.${kind}`),
    ...deviceHealthSchema.options.map((health) => `health.${health}`),
    ...terminalModes.map((mode) => `mode.${mode}`),
    ...currencyCodes.flatMap((code) => [`currency.${code}.short`, `currency.${code}.name`]),
    ...statusProblemSchema.shape.code.options.map((code) => `problem.${code}`),
    ...paymentStates.filter((state) => !['approved', 'declined', 'cancelled'].includes(state)).map((state) => `payment.${state}`),
    ...['approved', 'declined', 'cancelled'].map((outcome) => `outcome.${outcome}`),
    ...correctionDeclineReasonCodes.map((code) => `correction.${code}`),
    ...printFailureCodes.map((code) => `print.failure.${code}`),
    ...deviceStatusSchema.shape.problem.unwrap().unwrap().options.map((problem) => `printer.problem.${problem}`),
    ...transactionKinds.map((kind) => `kind.${kind}`),
    ...accountKinds.map((kind) => `account.${kind}`),
    ...syncStates.map((state) => `syncState.${state}`),
    ...reconciliationDifferenceSchema.shape.problem.options.map((problem) => `day.problem.${problem}`),
  ];
  assert.deepEqual(
    required.filter((key) => !englishKeys.includes(key)),
    [],
  );
});

test('the Persian catalogue is written in Persian, the Turkish one is not English', () => {
  const persianScript = /[\u0600-\u06FF]/;
  // Codes and placeholders alone (a currency code, "ATC {atc}") are the same in every language.
  const codesOnly = /^[\s{}A-Z0-9a-z.,()/:·-]*$/;
  const notPersian = Object.entries(catalogues.fa).filter(([key, message]) => !persianScript.test(message) && !(codesOnly.test(message) && message === catalogues.en[key as MessageKey] && !/[a-z]{3}/.test(message.replace(/\{[^}]*\}/g, ''))));
  assert.deepEqual(notPersian, [], 'Persian messages without Persian words');
  // Words Turkish spells as English does.
  const sameInTurkish = new Set(['drawer.terminal', 'receipt.terminal', 'currency.EUR.name', 'currency.USDT.name', 'money.toman']);
  const sameAsEnglish = Object.entries(catalogues.tr).filter(
    ([key, message]) => !sameInTurkish.has(key) && message === catalogues.en[key as MessageKey] && /[a-z]{3}/.test(message.replace(/\{[^}]*\}/g, '')),
  );
  assert.deepEqual(sameAsEnglish, [], 'Turkish messages left in English');
});
