// Pseudo-locale catalogues for the "no string outside a catalogue" test: every message of every
// language wrapped in ⟦…⟧. A test build of the renderer puts this module in the place of
// renderer/i18n/catalogue-source.ts (test/e2e/support/pseudo-build.ts), so any text on screen
// without the markers was written somewhere other than a catalogue.
import type { Locale } from '../../../core/api/preferences.js';
import { catalogues as real, type Catalogue } from '../../../renderer/i18n/catalogues.js';

export const pseudoOpen = '⟦';
export const pseudoClose = '⟧';

function wrap(catalogue: Catalogue): Catalogue {
  return Object.fromEntries(Object.entries(catalogue).map(([key, message]) => [key, `${pseudoOpen}${message}${pseudoClose}`])) as Catalogue;
}

export const catalogues: Readonly<Record<Locale, Catalogue>> = { en: wrap(real.en), tr: wrap(real.tr), fa: wrap(real.fa) };
