// The language switcher: each language named in its own language (English, Türkçe, فارسی), so a
// merchant who reads none of the others still finds theirs. Choosing one saves it in the
// terminal's preferences (preferences.set); the screen follows the preferences.changed event.
import { localeNames, locales, type Locale } from '../../core/api/preferences.js';
import { useI18n } from '../i18n/i18n-context.js';
import { keepFocusOnPointerDown } from './keep-focus.js';

export function LanguageSwitcher({ onChoose }: { onChoose(locale: Locale): void }) {
  const i18n = useI18n();
  return (
    <div class="language-switcher" role="group" aria-label={i18n.t('language.label')} data-testid="language-switcher">
      {locales.map((locale) => (
        <button
          key={locale}
          type="button"
          lang={locale}
          dir="auto"
          aria-pressed={locale === i18n.locale}
          data-testid={`language-${locale}`}
          data-i18n-exempt
          onMouseDown={keepFocusOnPointerDown}
          onClick={() => {
            if (locale !== i18n.locale) onChoose(locale);
          }}
        >
          {localeNames[locale]}
        </button>
      ))}
    </div>
  );
}
