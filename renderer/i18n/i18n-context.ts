// The translator of the current preferences, handed down the component tree. Components read it
// with useI18n(); a change of language, time zone or IRR display re-renders everything under
// the provider with the new one.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { createTranslator, fallbackPreferences, type Translator } from './translator.js';

export const I18nContext = createContext<Translator>(createTranslator(fallbackPreferences));

export function useI18n(): Translator {
  return useContext(I18nContext);
}
