// The amount being keyed in, as a text field the keyboard can focus and a screen reader reads:
// its value is the formatted amount (Intl, the merchant's digits), never typed into directly;
// keys reach it through the counter's keyboard handler and the keypad. Long amounts shrink
// instead of overflowing. Below it, one line says what the merchant must know: the amount is
// over the maximum, or the tomans shown are a display of the rials charged, or the currency.
import type { Ref } from 'preact';
import type { CurrencyCode } from '../../core/currency.js';
import { useI18n } from '../i18n/i18n-context.js';
import { moneyShape } from '../i18n/money-format.js';
import { Money } from './money.js';

export interface AmountEntryProps {
  amountMinor: bigint;
  currency: CurrencyCode;
  /** The largest amount central allows per payment in this currency. */
  maximumMinor: bigint;
  inputRef: Ref<HTMLInputElement>;
}

/** Font size steps by length, so 18 digits with separators still fit the column. */
function sizeClass(length: number): string {
  if (length <= 12) return 'size-l';
  if (length <= 17) return 'size-m';
  if (length <= 23) return 'size-s';
  return 'size-xs';
}

export function AmountEntry({ amountMinor, currency, maximumMinor, inputRef }: AmountEntryProps) {
  const i18n = useI18n();
  const text = i18n.moneyText(amountMinor, currency);
  const overMaximum = amountMinor > maximumMinor;
  const toman = currency === 'IRR' && i18n.irrDisplay === 'toman';
  // An Intl currency text reads left to right; a number with a unit word follows the language.
  const direction = moneyShape(amountMinor, currency, i18n.irrDisplay).kind === 'currency' ? 'ltr' : i18n.direction;
  const note = overMaximum
    ? i18n.rich('amount.overMaximum', { maximum: <Money amountMinor={maximumMinor} currency={currency} /> })
    : toman
      ? i18n.rich('amount.tomanNote', { rials: <Money amountMinor={amountMinor} currency={currency} irrDisplay="rial" /> })
      : i18n.t(`currency.${currency}.name`);
  // The field's value is only ever what this component renders; anything typed or pasted into
  // it directly is put back.
  const keepValue = (event: Event): void => {
    const input = event.currentTarget as HTMLInputElement;
    if (input.value !== text) input.value = text;
  };
  return (
    <div class={`amount-entry${overMaximum ? ' over-maximum' : ''}`} data-testid="amount" data-amount-minor={amountMinor.toString()} data-currency={currency}>
      <input
        ref={inputRef}
        id="amount-input"
        class={`amount-value ${sizeClass(text.length)}`}
        data-testid="amount-input"
        type="text"
        inputMode="none"
        autoComplete="off"
        spellcheck={false}
        dir={direction}
        aria-label={i18n.t('amount.label', { currency: i18n.t(`currency.${currency}.name`) })}
        aria-invalid={overMaximum}
        aria-describedby="amount-note"
        value={text}
        onBeforeInput={(event) => event.preventDefault()}
        onInput={keepValue}
      />
      <p id="amount-note" class="amount-note" data-testid="amount-note" aria-live="polite">
        {note}
      </p>
    </div>
  );
}
