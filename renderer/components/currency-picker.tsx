// The currency of the sale: one radio group, a single tab stop (roving tabindex: only the
// checked currency is tabbable) and arrow keys that move and select, mirrored in a right-to-left
// language so the arrow points where the focus goes. Each radio shows the short name and is
// named by the full one ("US dollar (USD)"), which contains it.
import { useRef } from 'preact/hooks';
import { currencyCodes, type CurrencyCode } from '../../core/currency.js';
import { useI18n } from '../i18n/i18n-context.js';
import { keepFocusOnPointerDown } from './keep-focus.js';

export interface CurrencyPickerProps {
  currency: CurrencyCode;
  onChange(currency: CurrencyCode): void;
  disabled: boolean;
}

export function CurrencyPicker({ currency, onChange, disabled }: CurrencyPickerProps) {
  const i18n = useI18n();
  const radios = useRef<(HTMLButtonElement | null)[]>([]);

  const select = (index: number): void => {
    const count = currencyCodes.length;
    const wrapped = (index + count) % count;
    onChange(currencyCodes[wrapped]!);
    radios.current[wrapped]?.focus();
  };

  const onKeyDown = (event: KeyboardEvent, index: number): void => {
    const forward = i18n.direction === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
    const backward = i18n.direction === 'rtl' ? 'ArrowRight' : 'ArrowLeft';
    if (event.key === forward || event.key === 'ArrowDown') select(index + 1);
    else if (event.key === backward || event.key === 'ArrowUp') select(index - 1);
    else if (event.key === 'Home') select(0);
    else if (event.key === 'End') select(currencyCodes.length - 1);
    else return;
    event.preventDefault();
  };

  return (
    <div class="currency-picker" role="radiogroup" aria-label={i18n.t('currency.label')} data-testid="currency-picker">
      {currencyCodes.map((code, index) => (
        <button
          key={code}
          ref={(element) => {
            radios.current[index] = element;
          }}
          type="button"
          role="radio"
          aria-checked={code === currency}
          aria-label={i18n.t(`currency.${code}.name`)}
          tabIndex={code === currency ? 0 : -1}
          class={code === currency ? 'selected' : undefined}
          data-testid={`currency-${code}`}
          disabled={disabled}
          onMouseDown={keepFocusOnPointerDown}
          onClick={() => onChange(code)}
          onKeyDown={(event) => onKeyDown(event, index)}
        >
          {i18n.t(`currency.${code}.short`)}
        </button>
      ))}
    </div>
  );
}
