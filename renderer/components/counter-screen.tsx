// The counter screen's frame: an amount keyed in like a cash register (digits fill from the
// smallest unit, so 1-2-5 in USD reads 1.25), and a currency picker. The amount lives as a
// bigint of minor units; only formatMinor turns it into text.
import { useState } from 'preact/hooks';
import { currencyCodes, formatMinor, type CurrencyCode } from '../../core/currency.js';

/** Eighteen digits keep every amount inside a signed 64-bit integer. */
const maxDigits = 18;

export function CounterScreen() {
  const [digits, setDigits] = useState('');
  const [currency, setCurrency] = useState<CurrencyCode>('TRY');
  const amountMinor = digits === '' ? 0n : BigInt(digits);

  const press = (key: string): void => {
    if (key === 'clear') return setDigits('');
    if (key === 'back') return setDigits(digits.slice(0, -1));
    const next = (digits + key).replace(/^0+/, '');
    if (next.length <= maxDigits) setDigits(next);
  };

  return (
    <section class="counter" aria-label="Counter">
      <div class="amount" data-testid="amount" data-amount-minor={amountMinor.toString()} data-currency={currency}>
        <span class="currency-code">{currency}</span> {formatMinor(amountMinor, currency)}
      </div>
      <div class="currency-picker" role="radiogroup" aria-label="Currency">
        {currencyCodes.map((code) => (
          <button
            key={code}
            type="button"
            role="radio"
            aria-checked={code === currency}
            class={code === currency ? 'selected' : ''}
            data-testid={`currency-${code}`}
            onClick={() => setCurrency(code)}
          >
            {code}
          </button>
        ))}
      </div>
      <div class="keypad" aria-label="Amount keypad">
        {['1', '2', '3', '4', '5', '6', '7', '8', '9', '00', '0'].map((key) => (
          <button key={key} type="button" data-testid={`key-${key}`} onClick={() => press(key)}>
            {key}
          </button>
        ))}
        <button type="button" data-testid="key-back" aria-label="Delete last digit" onClick={() => press('back')}>
          ⌫
        </button>
        <button type="button" class="wide" data-testid="key-clear" onClick={() => press('clear')}>
          Clear
        </button>
      </div>
    </section>
  );
}
