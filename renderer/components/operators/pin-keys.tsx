// PIN keys: the digits laid out as on a keypad (1-2-3 on top, left to right in every language),
// delete, clear and OK, above the entered PIN shown as dots only. The digits live in this
// component's state alone, as ASCII digits whatever the language shows on the keys; OK hands
// them over once and they are cleared at once. They never reach an attribute, a URL or a log.
// Digits typed on a keyboard (Latin or Persian) go here first, in the capture phase, so a
// screen behind (the counter's amount) never sees them.
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { latinDigit } from '../../hooks/use-counter-keys.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { keepFocusOnPointerDown } from '../keep-focus.js';

const digitKeys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'] as const;

export interface PinKeysProps {
  minDigits: number;
  maxDigits: number;
  busy: boolean;
  /** Receives the PIN (ASCII digits) when OK is pressed with enough digits. */
  onSubmit(pin: string): void;
  /** A change clears the entered digits (a wrong PIN, another operator picked). */
  resetKey: string;
  testId: string;
  /** More keys in the OK column (the cardholder's Cancel). */
  children?: ComponentChildren;
}

export function PinKeys({ minDigits, maxDigits, busy, onSubmit, resetKey, testId, children }: PinKeysProps) {
  const i18n = useI18n();
  const [pin, setPin] = useState('');
  const state = useRef({ pin, busy, submit: (): void => undefined });
  // Cleared when resetKey changes, never at mount: keys typed the moment the keypad appears stay
  // (a mount effect ran after them and wiped them). A layout effect runs before the next input.
  const shownResetKey = useRef(resetKey);
  useLayoutEffect(() => {
    if (shownResetKey.current === resetKey) return;
    shownResetKey.current = resetKey;
    setPin('');
  }, [resetKey]);

  const type = (digit: string): void => setPin((current) => (busy || current.length >= maxDigits ? current : current + digit));
  const submit = (): void => {
    if (busy || pin.length < minDigits) return;
    const entered = pin;
    setPin('');
    onSubmit(entered);
  };
  state.current = { pin, busy, submit };

  // Listening from the layout effect: the keypad hears keys from the moment it is shown.
  useLayoutEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target instanceof Element ? event.target : null;
      if (target?.closest('input, select, textarea')) return;
      const digit = latinDigit(event.key);
      const handled = digit !== null || event.key === 'Backspace' || event.key === 'Delete' || (event.key === 'Enter' && !target?.closest('button'));
      if (!handled) return;
      event.preventDefault();
      event.stopPropagation();
      if (digit !== null) type(digit);
      else if (event.key === 'Backspace') setPin((current) => current.slice(0, -1));
      else if (event.key === 'Delete') setPin('');
      else state.current.submit();
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [busy, maxDigits]);

  return (
    <div class="pin-keys" data-testid={testId} data-length={pin.length}>
      <p class="pin-dots" data-testid={`${testId}-dots`}>
        <span class="pin-dot-row" aria-hidden="true">
          {Array.from({ length: Math.max(pin.length, minDigits) }, (_, index) => (
            <span key={index} class={`pin-dot${index < pin.length ? ' filled' : ''}`} />
          ))}
        </span>
        <span class="visually-hidden" role="status">
          {i18n.t('pinEntry.entered', { count: pin.length })}
        </span>
      </p>
      <div class="pin-grid" dir="ltr" role="group" aria-label={i18n.t('pinEntry.label')}>
        {digitKeys.map((digit) => (
          <button key={digit} type="button" tabIndex={-1} class={`key pin-key-${digit}`} data-testid={`${testId}-key-${digit}`} disabled={busy} onMouseDown={keepFocusOnPointerDown} onClick={() => type(digit)}>
            <span data-i18n-exempt>{i18n.number(Number(digit))}</span>
          </button>
        ))}
        <button type="button" tabIndex={-1} class="key pin-back" data-testid={`${testId}-back`} aria-label={i18n.t('keypad.back')} disabled={busy} onMouseDown={keepFocusOnPointerDown} onClick={() => setPin((current) => current.slice(0, -1))}>
          <span aria-hidden="true" data-i18n-exempt>
            ⌫
          </span>
        </button>
        <button type="button" tabIndex={-1} class="key pin-clear" data-testid={`${testId}-clear`} disabled={busy} onMouseDown={keepFocusOnPointerDown} onClick={() => setPin('')}>
          {i18n.t('keypad.clear')}
        </button>
        <button type="button" class="key pin-ok" data-testid={`${testId}-ok`} aria-disabled={busy || pin.length < minDigits} aria-busy={busy} onMouseDown={keepFocusOnPointerDown} onClick={submit}>
          {i18n.t('pinEntry.ok')}
        </button>
        {children}
      </div>
    </div>
  );
}
