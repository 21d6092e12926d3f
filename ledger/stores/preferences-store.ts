// The terminal's display preferences, kept in its ledger settings under `local/preferences`:
// only what the merchant chose, so a preference never chosen keeps following its default (the
// terminal's own time zone moves with the machine until someone picks one). The only reader and
// writer of that document; a change is read, merged and written in one unit, so two changes at
// once both land.
import { preferencesSchema, type Preferences } from '../../core/api/preferences.js';
import type { Ledger } from '../ledger.js';
import { readCurrent, upsertDocuments } from '../storage-writes.js';
import { parseStoredJson } from './stored-value.js';

const preferencesKey = 'local/preferences';
const chosenSchema = preferencesSchema.partial().strict();
export type ChosenPreferences = Partial<Preferences>;

export class PreferencesStore {
  constructor(private readonly ledger: Ledger) {}

  /** What the merchant chose so far ({} until anything was); a damaged value is a StoredValueInvalidError. */
  async chosen(): Promise<ChosenPreferences> {
    const stored = await this.ledger.database.collections.settings.findOne(preferencesKey).exec();
    return stored ? parseStoredJson(preferencesKey, stored.value, chosenSchema) : {};
  }

  /**
   * Adds a change to what was chosen, in a unit of its own; resolves at commit with everything
   * chosen since. A stored value that no longer parses (a time zone the platform dropped) is
   * replaced by the change rather than blocking every later one.
   */
  async choose(change: ChosenPreferences): Promise<ChosenPreferences> {
    // A key present but undefined would otherwise overwrite an earlier choice with nothing.
    const checked = Object.fromEntries(Object.entries(chosenSchema.parse(change)).filter(([, value]) => value !== undefined)) as ChosenPreferences;
    const { settings } = this.ledger.database.collections;
    return this.ledger.engine.guarded(async () => {
      const [stored] = await readCurrent(settings, [preferencesKey]);
      const previous = stored ? chosenSchema.safeParse(safeJson(stored.value)) : null;
      const chosen = { ...(previous?.success ? previous.data : {}), ...checked };
      await upsertDocuments(settings, [{ key: preferencesKey, value: JSON.stringify(chosen) }], 'key');
      return chosen;
    });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
