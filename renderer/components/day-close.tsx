// Closing the day (Z report), asked once more before it happens. Each attempt (the normal close,
// then, if the runtime refuses it for unsynced transactions, the provisional one) makes its own
// client id when it is confirmed and sends that same id on every retry, so a double press or a
// lost answer never closes twice. A refusal for unsynced transactions says how many and offers
// "Close provisionally", which needs its own explicit confirmation: its report says provisional
// until central has decided everything (day.closeCompleted).
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { DayReport } from '../../core/api/day-reports.js';
import type { ApiClient } from '../api-client.js';
import { newClientId } from '../client-id.js';
import { useCan } from '../hooks/session-context.js';
import { useGuard } from '../hooks/use-guarded-call.js';
import { useI18n } from '../i18n/i18n-context.js';

type CloseRun =
  | { state: 'confirm'; provisional: boolean }
  | { state: 'busy'; provisional: boolean }
  | { state: 'failed'; provisional: boolean; failure: unknown }
  | { state: 'refused'; reason: 'unsynced_transactions' | 'nothing_to_close'; unsyncedCount: number };

export interface DayCloseProps {
  client: ApiClient;
  connected: boolean;
  onClosed(report: DayReport): void;
  onDone(): void;
}

export function DayClose({ client, connected, onClosed, onDone }: DayCloseProps) {
  const i18n = useI18n();
  const guard = useGuard();
  const mayClose = useCan()('day_close');
  const [run, setRun] = useState<CloseRun>({ state: 'confirm', provisional: false });
  const clientId = useRef(newClientId());
  const mainRef = useRef<HTMLButtonElement>(null);
  const focusKey = run.state === 'refused' ? 'refused' : `${run.state === 'busy' ? 'confirm' : run.state}-${run.provisional}`;
  useLayoutEffect(() => mainRef.current?.focus(), [focusKey]);

  const send = (provisional: boolean): void => {
    if (run.state === 'busy' || !connected) return;
    setRun({ state: 'busy', provisional });
    const params = { clientId: clientId.current, provisional };
    guard(() => client.call('day.close', params), 'day_close').then(
      (answer) => {
        if (answer.outcome === 'closed') return onClosed(answer.report);
        setRun({ state: 'refused', reason: answer.reason, unsyncedCount: answer.unsyncedCount });
      },
      (failure: unknown) => setRun({ state: 'failed', provisional, failure }),
    );
  };
  const askProvisional = (): void => {
    // A refused close closed nothing: the provisional close is a new attempt with its own id.
    clientId.current = newClientId();
    setRun({ state: 'confirm', provisional: true });
  };
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || run.state === 'busy') return;
    event.preventDefault();
    onDone();
  };

  if (run.state === 'refused') {
    const unsynced = run.reason === 'unsynced_transactions';
    return (
      <div class="day-close" role="group" aria-labelledby="day-close-text" data-testid="day-close-panel" data-state="refused" data-reason={run.reason} data-own-keys onKeyDown={onKeyDown}>
        <p id="day-close-text" role="alert" data-testid="day-close-refused" data-unsynced-count={run.unsyncedCount}>
          {unsynced ? i18n.t('day.refusedUnsynced', { count: run.unsyncedCount }) : i18n.t('day.nothingToClose')}
        </p>
        <div class="confirm-actions">
          {unsynced ? (
            <button type="button" class="danger" data-testid="day-close-provisional" ref={mainRef} aria-disabled={!connected} onClick={askProvisional}>
              {i18n.t('day.closeProvisionally')}
            </button>
          ) : null}
          <button type="button" data-testid="day-close-keep" ref={unsynced ? undefined : mainRef} onClick={onDone}>
            {i18n.t('day.closeKeep')}
          </button>
        </div>
      </div>
    );
  }
  const busy = run.state === 'busy';
  return (
    <div class="day-close" role="group" aria-labelledby="day-close-text" data-testid="day-close-panel" data-state={run.state} data-provisional={run.provisional} data-own-keys onKeyDown={onKeyDown}>
      <p id="day-close-text">
        {i18n.t(run.provisional ? 'day.provisionalQuestion' : 'day.closeQuestion')}
        {mayClose ? null : <span data-testid="day-close-needs-supervisor"> {i18n.t('day.needsSupervisor')}</span>}
      </p>
      {run.state === 'failed' ? (
        <p class="field-message" role="alert" data-testid="day-close-error">
          {i18n.t('error.close', { reason: i18n.errorReason(run.failure) })}
        </p>
      ) : null}
      <div class="confirm-actions">
        <button type="button" class="danger" data-testid={run.provisional ? 'day-provisional-confirm' : 'day-close-confirm'} ref={mainRef} aria-disabled={busy || !connected} aria-busy={busy} onClick={() => send(run.provisional)}>
          {i18n.t(busy ? 'day.closing' : run.provisional ? 'day.provisionalYes' : 'day.closeYes')}
        </button>
        <button type="button" data-testid="day-close-keep" aria-disabled={busy} onClick={() => !busy && onDone()}>
          {i18n.t('day.closeKeep')}
        </button>
      </div>
    </div>
  );
}
