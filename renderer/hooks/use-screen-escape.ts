// Escape leads back from a screen (the journal's detail to its list, a screen to the counter),
// unless something on the way owns the key: a dialog, the details drawer, a confirmation that
// handles Escape itself (they call preventDefault, or sit under data-own-keys).
import { useEffect, useRef } from 'preact/hooks';

export function useScreenEscape(onEscape: () => void): void {
  const current = useRef(onEscape);
  current.current = onEscape;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      const target = event.target instanceof Element ? event.target : null;
      if (target?.closest('[data-own-keys], dialog, select')) return;
      if (document.querySelector('dialog[open]')) return;
      event.preventDefault();
      current.current();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
