// The merchant's display preferences (language, time zone, IRR display): read with
// preferences.get on every (re)connection, followed through preferences.changed (another window,
// or this one, changed them), written with preferences.set. Until the first answer `settled` is
// false and the app shows no words at all, so a Persian merchant never sees an English flash;
// if the runtime cannot answer, the app goes on in English and says why.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Preferences } from '../../core/api/preferences.js';
import type { ApiClient } from '../api-client.js';
import type { Guard } from './use-guarded-call.js';

export interface PreferencesState {
  preferences: Preferences | null;
  /** preferences.get answered, or failed: the screen may be drawn. */
  settled: boolean;
  loadError: unknown;
  saveError: unknown;
  save(change: Partial<Preferences>): void;
}

export function usePreferences(client: ApiClient, connected: boolean, guard: Guard = (run) => run()): PreferencesState {
  const [preferences, setPreferences] = useState<Preferences | null>(null);
  const [settled, setSettled] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [saveError, setSaveError] = useState<unknown>(null);

  useEffect(() => client.on('preferences.changed', setPreferences), [client]);

  useEffect(() => {
    if (!connected) return;
    let alive = true;
    client.call('preferences.get', {}).then(
      (next) => {
        if (!alive) return;
        setPreferences(next);
        setLoadError(null);
        setSettled(true);
      },
      (failure: unknown) => {
        if (!alive) return;
        setLoadError(failure);
        setSettled(true);
      },
    );
    return () => {
      alive = false;
    };
  }, [client, connected]);

  // A runtime that never answers must not leave the screen blank: after a while, draw it anyway.
  useEffect(() => {
    if (settled) return;
    const timer = setTimeout(() => setSettled(true), 3000);
    return () => clearTimeout(timer);
  }, [settled]);

  const save = useCallback(
    (change: Partial<Preferences>) => {
      setSaveError(null);
      // Receipt settings need the settings permission: the guard asks for a supervisor or a fresh sign-in.
      guard(() => client.call('preferences.set', change), 'settings').then(
        (next) => setPreferences(next),
        (failure: unknown) => setSaveError(failure),
      );
    },
    [client, guard],
  );

  return { preferences, settled, loadError, saveError, save };
}
