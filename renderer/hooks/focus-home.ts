// Focus never falls to <body>. The counter screen names its "home" for the state it is in (the
// amount while keying, Cancel while a card is awaited, the progress while authorizing, New
// payment on a result); when the focused control disappears or is disabled, focus goes there.
// Chromium fires no focusout when a focused element is removed, so the check also runs after
// every render of the app and of the counter screen.
import { createContext } from 'preact';
import { useEffect, useLayoutEffect } from 'preact/hooks';

export interface FocusHome {
  current: (() => HTMLElement | null) | null;
}

export const FocusHomeContext = createContext<FocusHome>({ current: null });

function focusIsLost(): boolean {
  const active = document.activeElement;
  return active === null || active === document.body || !active.isConnected;
}

export function restoreLostFocus(home: FocusHome): void {
  if (focusIsLost()) home.current?.()?.focus();
}

/**
 * Runs the check after every render of the calling component (in the render's own task, so no
 * moment passes with the focus on <body> after a focused control is removed) and whenever focus
 * leaves.
 */
export function useFocusGuard(home: FocusHome): void {
  useLayoutEffect(() => restoreLostFocus(home));
  useEffect(() => {
    const onFocusOut = (event: FocusEvent): void => {
      if (event.relatedTarget !== null) return;
      // The focus may be on its way somewhere on purpose; look once the event has settled.
      setTimeout(() => restoreLostFocus(home), 0);
    };
    document.addEventListener('focusout', onFocusOut);
    return () => document.removeEventListener('focusout', onFocusOut);
  }, [home]);
}
