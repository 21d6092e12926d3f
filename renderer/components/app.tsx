// The application frame: the status bar on top, alert banners (a payment central rejected and
// reversed, a card central blocked) and the mode's screen below. The status comes from
// status.get once and then from status.changed events, never from polling.
import { useEffect, useState } from 'preact/hooks';
import type { TerminalStatus } from '../../core/api/status.js';
import type { EventPayload } from '../../core/api/contract.js';
import type { ApiClient } from '../api-client.js';
import { StatusBar } from './status-bar.js';
import { CounterScreen } from './counter-screen.js';

type Alert = EventPayload<'alert'>;

interface ShownAlert {
  id: number;
  kind: Alert['kind'];
  text: string;
}

/** How many alerts stay on screen; older ones scroll off. */
const maxAlertsShown = 5;

function alertText(alert: Alert): string {
  switch (alert.kind) {
    case 'payment_rejected':
      return `Payment ${alert.transactionId} was rejected by central (${alert.reason}) and reversed.`;
    case 'agent_receivable':
      return alert.reason === 'refused_after_spending'
        ? `Central refused ${alert.transactionId} (a top-up or refund) after the customer had spent it: ${alert.currency ?? ''} ${alert.amountMinor?.replace('-', '') ?? ''} (minor units) is now owed by the agent.`
        : `A reversal repaid ${alert.currency ?? ''} ${alert.amountMinor ?? ''} (minor units) of the agent's receivable.`;
    case 'card_revoked':
      // The runtime names the card in the reason; a revocation need not come from a payment here.
      return `Central blocked a card: ${alert.reason}${alert.transactionId ? ` (payment ${alert.transactionId})` : ''}. Its taps are declined from now on.`;
  }
}

export interface AppProps {
  client: ApiClient;
  onConnectionChange: (listener: (connected: boolean) => void) => void;
}

export function App({ client, onConnectionChange }: AppProps) {
  const [status, setStatus] = useState<TerminalStatus | null>(null);
  const [runtimeConnected, setRuntimeConnected] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [alerts, setAlerts] = useState<ShownAlert[]>([]);

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
    let nextAlertId = 0;
    const unsubscribeAlerts = client.on('alert', (alert) => {
      const shown: ShownAlert = { id: nextAlertId++, kind: alert.kind, text: alertText(alert) };
      setAlerts((current) => [...current.slice(1 - maxAlertsShown), shown]);
    });
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
        <p key={alert.id} class="banner banner-error" role="alert" data-testid="alert" data-kind={alert.kind}>
          {alert.text}
        </p>
      ))}
      <main>
        {status?.mode === 'counter' || status === null ? (
          <CounterScreen client={client} simulator={status?.simulator ?? false} />
        ) : (
          <p class="placeholder">{status.mode} mode</p>
        )}
      </main>
    </div>
  );
}
