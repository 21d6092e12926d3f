// The touch keypad: digits as a physical keypad lays them out (1-2-3 on top, left to right in
// every language: the grid is a left-to-right island), delete, clear, and the Charge key passed
// in as children. Keys are touch affordances: the keyboard types digits directly, so the keys
// are not tab stops, and pressing one keeps the focus where it was (on the amount).
import type { ComponentChildren } from 'preact';
import { useI18n } from '../i18n/i18n-context.js';
import { keepFocusOnPointerDown } from './keep-focus.js';

export type KeypadKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '00' | 'back' | 'clear';

const digitKeys: KeypadKey[] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '00'];

export interface KeypadProps {
  onKey(key: KeypadKey): void;
  disabled: boolean;
  /** The Charge key, placed in the keypad's last column. */
  children: ComponentChildren;
}

export function Keypad({ onKey, disabled, children }: KeypadProps) {
  const i18n = useI18n();
  const digitLabel = (key: KeypadKey): string =>
    key
      .split('')
      .map((digit) => i18n.number(Number(digit), { useGrouping: false }))
      .join('');
  return (
    <div class="keypad" dir="ltr" role="group" aria-label={i18n.t('keypad.label')}>
      {digitKeys.map((key) => (
        <button key={key} type="button" tabIndex={-1} class={`key key-${key}`} data-testid={`key-${key}`} disabled={disabled} onMouseDown={keepFocusOnPointerDown} onClick={() => onKey(key)}>
          <span data-i18n-exempt>{digitLabel(key)}</span>
        </button>
      ))}
      <button type="button" tabIndex={-1} class="key key-back" data-testid="key-back" aria-label={i18n.t('keypad.back')} disabled={disabled} onMouseDown={keepFocusOnPointerDown} onClick={() => onKey('back')}>
        <span aria-hidden="true" data-i18n-exempt>
          ⌫
        </span>
      </button>
      <button type="button" tabIndex={-1} class="key key-clear" data-testid="key-clear" disabled={disabled} onMouseDown={keepFocusOnPointerDown} onClick={() => onKey('clear')}>
        {i18n.t('keypad.clear')}
      </button>
      {children}
    </div>
  );
}
