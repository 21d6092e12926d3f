// The merchant's alerts under the status bar, newest first, one at a time so that an alert,
// a result and its receipt fit together on an 800×480 screen: Next steps through them, Dismiss
// asks the runtime to dismiss the one shown (the ledger keeps it until then, across reloads).
import { useState } from 'preact/hooks';
import type { AlertRecord } from '../../core/api/alerts.js';
import { useI18n } from '../i18n/i18n-context.js';
import { AlertCard } from './alert-card.js';

export function AlertStrip({ alerts, onDismiss }: { alerts: AlertRecord[]; onDismiss(id: string): void }) {
  const i18n = useI18n();
  const [shownId, setShownId] = useState<string | null>(null);
  if (alerts.length === 0) return null;
  const index = Math.max(0, alerts.findIndex((alert) => alert.id === shownId));
  const shown = alerts[index]!;
  return (
    <section class="alert-strip" aria-label={i18n.t('alerts.label')} data-testid="alerts" data-count={alerts.length}>
      <AlertCard alert={shown} />
      <div class="alert-actions">
        {alerts.length > 1 ? (
          <button type="button" data-testid="alert-next" onClick={() => setShownId(alerts[(index + 1) % alerts.length]!.id)}>
            {i18n.t('alerts.next')} <span class="alert-position">{i18n.t('alerts.position', { index: index + 1, count: alerts.length })}</span>
          </button>
        ) : null}
        <button type="button" data-testid="alert-dismiss" onClick={() => onDismiss(shown.id)}>
          {i18n.t('alerts.dismiss')}
        </button>
      </div>
    </section>
  );
}
