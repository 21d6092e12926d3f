// The merchant's alerts: the ledger keeps them until dismissed, so the list is read with
// alerts.list on every (re)connection and new ones arrive as `alert` events. Dismissing asks the
// runtime (alerts.dismiss) and drops the alert once it answered; an alert the runtime does not
// know (dismissed: false) is gone there already, so it goes here too.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { AlertRecord } from '../../core/api/alerts.js';
import type { ApiClient } from '../api-client.js';

export interface AlertsState {
  /** Undismissed alerts, newest first. */
  alerts: AlertRecord[];
  loadError: unknown;
  dismissError: unknown;
  dismiss(id: string): void;
}

function newestFirst(alerts: AlertRecord[]): AlertRecord[] {
  return [...alerts].sort((left, right) => right.atMs - left.atMs || (left.id < right.id ? 1 : -1));
}

export function useAlerts(client: ApiClient, connected: boolean): AlertsState {
  const [alerts, setAlerts] = useState<AlertRecord[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [dismissError, setDismissError] = useState<unknown>(null);
  /** Alerts pushed while a list was being read: the list may predate them. */
  const pushedDuringLoad = useRef(new Map<string, AlertRecord>());

  useEffect(
    () =>
      client.on('alert', (alert) => {
        pushedDuringLoad.current.set(alert.id, alert);
        setAlerts((current) => {
          const others = current.filter((known) => known.id !== alert.id);
          return alert.dismissedAtMs === null ? newestFirst([alert, ...others]) : others;
        });
      }),
    [client],
  );

  useEffect(() => {
    if (!connected) return;
    let alive = true;
    pushedDuringLoad.current.clear();
    client.call('alerts.list', {}).then(
      ({ alerts: listed }) => {
        if (!alive) return;
        const byId = new Map(listed.map((alert) => [alert.id, alert]));
        for (const pushed of pushedDuringLoad.current.values()) byId.set(pushed.id, pushed);
        setAlerts(newestFirst([...byId.values()].filter((alert) => alert.dismissedAtMs === null)));
        setLoadError(null);
      },
      (failure: unknown) => {
        if (alive) setLoadError(failure);
      },
    );
    return () => {
      alive = false;
    };
  }, [client, connected]);

  const dismiss = useCallback(
    (id: string) => {
      setDismissError(null);
      client.call('alerts.dismiss', { id }).then(
        () => setAlerts((current) => current.filter((alert) => alert.id !== id)),
        (failure: unknown) => setDismissError(failure),
      );
    },
    [client],
  );

  return { alerts, loadError, dismissError, dismiss };
}
