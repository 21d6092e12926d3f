// An amount on screen, formatted by Intl in the merchant's language and kept whole in either
// writing direction: an Intl currency text is a left-to-right island; a number with a unit word
// (tomans, USDT) keeps the number left to right inside a message that follows the language, so
// "۱۲۵ تومان" reads right in Persian. Marked data-i18n-exempt: its digits come from Intl, not
// from a catalogue, and the pseudo-locale test knows to pass over them.
import { useI18n } from '../i18n/i18n-context.js';
import { moneyShape, type IrrDisplay } from '../i18n/money-format.js';
import type { CurrencyCode } from '../../core/currency.js';

export interface MoneyProps {
  amountMinor: bigint;
  currency: CurrencyCode;
  /** Overrides the preference: a receipt line that must say rials, say. */
  irrDisplay?: IrrDisplay;
  testId?: string;
}

export function Money({ amountMinor, currency, irrDisplay, testId }: MoneyProps) {
  const i18n = useI18n();
  const shape = moneyShape(amountMinor, currency, irrDisplay ?? i18n.irrDisplay);
  const number = i18n.decimal(shape.decimal, shape.options);
  if (shape.kind === 'currency') {
    return (
      <bdi class="money" dir="ltr" data-i18n-exempt data-testid={testId}>
        {number}
      </bdi>
    );
  }
  const amount = (
    <bdi dir="ltr" data-i18n-exempt>
      {number}
    </bdi>
  );
  return (
    <bdi class="money" data-testid={testId} data-unit={shape.unit}>
      {i18n.rich(shape.unit === 'toman' ? 'money.toman' : 'money.usdt', { amount })}
    </bdi>
  );
}
