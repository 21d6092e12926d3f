// The terminal's status: read with status.get whenever the runtime (re)connects, then kept
// current by status.changed events, never by polling. The error is kept as the failure itself,
// so the banner says it in whatever language is on screen when it is drawn.
import { useEffect, useState } from 'preact/hooks';
import type { TerminalStatus } from '../../core/api/status.js';
import type { ApiClient } from '../api-client.js';

export interface TerminalStatusState {
  status: TerminalStatus | null;
  error: unknown;
}

export function useTerminalStatus(client: ApiClient, connected: boolean): TerminalStatusState {
  const [status, setStatus] = useState<TerminalStatus | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(
    () =>
      client.on('status.changed', (next) => {
        setStatus(next);
        setError(null);
      }),
    [client],
  );

  useEffect(() => {
    if (!connected) return;
    let alive = true;
    client.call('status.get', {}).then(
      (next) => {
        if (!alive) return;
        setStatus(next);
        setError(null);
      },
      (failure: unknown) => {
        if (alive) setError(failure);
      },
    );
    return () => {
      alive = false;
    };
  }, [client, connected]);

  return { status, error };
}
