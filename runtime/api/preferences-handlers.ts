// The preferences handlers: the terminal's display preferences (language, time zone, how IRR is
// shown), what the merchant chose over the defaults, and changing some of them (persisted, then
// pushed as preferences.changed so every open screen follows). Defaults: English, the
// machine's own time zone (never UTC for its own sake: receipts show the merchant's local time)
// and rials. The ledger is asked for at call time; while none is open the call answers
// runtime_unavailable.
import { preferencesSchema, timeZoneSchema, type Preferences } from '../../core/api/preferences.js';
import type { Ledger } from '../../ledger/ledger.js';
import { PreferencesStore, type ChosenPreferences } from '../../ledger/stores/preferences-store.js';
import { StoredValueInvalidError } from '../../ledger/stores/stored-value.js';
import type { Logger } from '../logger.js';
import type { CommandHandlers } from './api-server.js';

/** The machine's IANA time zone, or UTC where the platform names none Intl knows. */
export function systemTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return timeZoneSchema.safeParse(zone).success ? zone : 'UTC';
}

export function defaultPreferences(): Preferences {
  return { locale: 'en', timeZone: systemTimeZone(), irrDisplay: 'rial', printCustomerCopy: true };
}

export interface PreferencesHandlersOptions {
  currentLedger: () => Ledger;
  publish: (preferences: Preferences) => void;
  logger: Logger;
  /** The defaults (tests fix the time zone). */
  defaults?: () => Preferences;
}

export function preferencesHandlers(options: PreferencesHandlersOptions): Pick<CommandHandlers, 'preferences.get' | 'preferences.set'> {
  const defaults = options.defaults ?? defaultPreferences;
  const merged = (chosen: ChosenPreferences): Preferences => preferencesSchema.parse({ ...defaults(), ...chosen });
  return {
    'preferences.get': async () => {
      const chosen = await new PreferencesStore(options.currentLedger()).chosen().catch((error: unknown) => {
        // A damaged value must not leave the screen without a language: the defaults stand in
        // until the merchant chooses again, which replaces it.
        if (!(error instanceof StoredValueInvalidError)) throw error;
        options.logger.warn({ reason: 'stored_value_invalid', key: error.key }, 'stored preferences refused; showing the defaults');
        return {};
      });
      return merged(chosen);
    },
    'preferences.set': async (change) => {
      const preferences = merged(await new PreferencesStore(options.currentLedger()).choose(change));
      options.logger.info({ changed: Object.keys(change) }, 'preferences changed');
      options.publish(preferences);
      return preferences;
    },
  };
}
