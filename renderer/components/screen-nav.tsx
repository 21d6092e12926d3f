// The screens of the counter, on the status bar: the sale (home), the journal and the day (X/Z
// reports). Plain buttons in the tab order; the one on screen says so (aria-current), in words
// as well as in colour. Escape on the journal or the day screen also leads home. Operators is
// offered only to those who may manage or unlock operators.
import { useI18n } from '../i18n/i18n-context.js';

export const screens = ['counter', 'journal', 'day', 'operators'] as const;
export type Screen = (typeof screens)[number];

export function ScreenNav({ screen, shown, onNavigate }: { screen: Screen; shown: readonly Screen[]; onNavigate(screen: Screen): void }) {
  const i18n = useI18n();
  return (
    <nav class="screen-nav" aria-label={i18n.t('nav.label')}>
      {shown.map((target) => (
        <button
          key={target}
          type="button"
          data-testid={`nav-${target}`}
          aria-current={target === screen ? 'page' : undefined}
          onClick={() => onNavigate(target)}
        >
          {i18n.t(`nav.${target}`)}
        </button>
      ))}
    </nav>
  );
}
