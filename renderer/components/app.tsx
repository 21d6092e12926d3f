// The application frame: the status bar on top and the mode's screen below. The status comes
// from status.get once and then from status.changed events, never from polling.
import { useEffect, useState } from 'preact/hooks';
import type { TerminalStatus } from '../../core/api/status.js';
import type { ApiClient } from '../api-client.js';
import { StatusBar } from './status-bar.js';
import { CounterScreen } from './counter-screen.js';

export interface AppProps {
  client: ApiClient;
  onConnectionChange: (listener: (connected: boolean) => void) => void;
}

export function App({ client, onConnectionChange }: AppProps) {
  const [status, setStatus] = useState<TerminalStatus | null>(null);
  const [runtimeConnected, setRuntimeConnected] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [alerts, setAlerts] = useState<string[]>([]);

  useEffect(() => {
    const refresh = (): void => {
      client.call('status.get', {}).then(
        (next) => {
          setStatus(next);
          setError(null);
        },
        (failure: Error) => setError(failure.message),
      );
    };
    const unsubscribe = client.on('status.changed', setStatus);
    const unsubscribeAlerts = client.on('alert', (alert) =>
      setAlerts((current) => [...current.slice(-4), `Payment ${alert.transactionId} was rejected by central (${alert.reason}) and reversed.`]),
    );
    onConnectionChange((connected) => {
      setRuntimeConnected(connected);
      if (connected) refresh();
    });
    refresh();
    return () => {
      unsubscribe();
      unsubscribeAlerts();
    };
  }, [client]);

  return (
    <div class="app">
      <StatusBar status={status} runtimeConnected={runtimeConnected} />
      {error ? (
        <p class="banner banner-error" role="alert" data-testid="runtime-error">
          {error}
        </p>
      ) : null}
      {alerts.map((alert) => (
        <p key={alert} class="banner banner-error" role="alert" data-testid="alert">
          {alert}
        </p>
      ))}
      <main>{status?.mode === 'counter' || status === null ? <CounterScreen /> : <p class="placeholder">{status.mode} mode</p>}</main>
    </div>
  );
}
