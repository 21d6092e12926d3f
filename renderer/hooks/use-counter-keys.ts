// The counter's keyboard: digits (Latin, Persian or Arabic-Indic, so a Persian keyboard layout
// works too) and Backspace edit the amount wherever the focus is, Enter charges, Escape cancels
// a charge waiting for its card. Enter on a button or link keeps its own meaning (it presses
// that control), and controls that own their keys (the details drawer, a select) keep them all.
import { useEffect, useRef } from 'preact/hooks';

export interface CounterKeyHandlers {
  digit(digit: string): void;
  back(): void;
  clear(): void;
  charge(): void;
  cancel(): void;
}

const persianZero = 0x06f0;
const arabicIndicZero = 0x0660;

/** The Latin digit a key stands for, or null. */
export function latinDigit(key: string): string | null {
  if (key.length !== 1) return null;
  if (key >= '0' && key <= '9') return key;
  const code = key.charCodeAt(0);
  if (code >= persianZero && code <= persianZero + 9) return String(code - persianZero);
  if (code >= arabicIndicZero && code <= arabicIndicZero + 9) return String(code - arabicIndicZero);
  return null;
}

export function useCounterKeys(handlers: CounterKeyHandlers): void {
  const current = useRef(handlers);
  current.current = handlers;

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target instanceof Element ? event.target : null;
      if (target?.closest('[data-own-keys], select, textarea')) return;
      const digit = latinDigit(event.key);
      if (digit !== null) {
        event.preventDefault();
        current.current.digit(digit);
        return;
      }
      switch (event.key) {
        case 'Backspace':
          event.preventDefault();
          current.current.back();
          return;
        case 'Delete':
          event.preventDefault();
          current.current.clear();
          return;
        case 'Escape':
          current.current.cancel();
          return;
        case 'Enter':
          if (target?.closest('button:not([role="radio"]), a[href]')) return;
          event.preventDefault();
          current.current.charge();
          return;
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
