// "Sync now": asks the runtime to drain its outbox to central at once (sync.now), shows that it
// is busy while it runs, then what is left to sync or why it did not finish.
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api-client.js';
import { useI18n } from '../i18n/i18n-context.js';
import { keepFocusOnPointerDown } from './keep-focus.js';

type SyncRun = { state: 'idle' } | { state: 'busy' } | { state: 'done'; left: number } | { state: 'failed'; failure: unknown };

export function SyncNowButton({ client, connected, testId }: { client: ApiClient; connected: boolean; testId: string }) {
  const i18n = useI18n();
  const [run, setRun] = useState<SyncRun>({ state: 'idle' });
  const busy = run.state === 'busy';
  const start = (): void => {
    if (busy || !connected) return;
    setRun({ state: 'busy' });
    client.call('sync.now', {}).then(
      (sync) => setRun({ state: 'done', left: sync.unsyncedCount }),
      (failure: unknown) => setRun({ state: 'failed', failure }),
    );
  };
  return (
    <span class="sync-now">
      <button type="button" data-testid={testId} aria-disabled={busy || !connected} aria-busy={busy} data-state={run.state} onMouseDown={keepFocusOnPointerDown} onClick={start}>
        {i18n.t(busy ? 'sync.busy' : 'sync.now')}
      </button>
      <span class="sync-result" role="status" data-testid={`${testId}-result`}>
        {run.state === 'done' ? i18n.t('sync.done', { count: run.left }) : run.state === 'failed' ? i18n.t('error.sync', { reason: i18n.errorReason(run.failure) }) : null}
      </span>
    </span>
  );
}
