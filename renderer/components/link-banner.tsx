// The banner shown while the link is offline or degraded: how long central has been silent
// (ticking, from the runtime's centralUnreachableSinceMs), what waits to sync and how much per
// currency, and Sync now. Online is never claimed here or anywhere while central is silent.
import type { TerminalStatus } from '../../core/api/status.js';
import type { ApiClient } from '../api-client.js';
import { useI18n } from '../i18n/i18n-context.js';
import { useNow } from '../hooks/use-now.js';
import { BacklogAmounts } from './backlog-amounts.js';
import { SyncNowButton } from './sync-now-button.js';

function SilentFor({ sinceMs }: { sinceMs: number }) {
  const i18n = useI18n();
  const nowMs = useNow(1000);
  return (
    <bdi data-i18n-exempt data-testid="silent-duration" data-since-ms={sinceMs}>
      {i18n.duration(nowMs - sinceMs)}
    </bdi>
  );
}

export function LinkBanner({ client, status, connected }: { client: ApiClient; status: TerminalStatus; connected: boolean }) {
  const i18n = useI18n();
  const { link, sync } = status;
  if (link.state !== 'offline' && link.state !== 'degraded') return null;
  const since = link.centralUnreachableSinceMs;
  const headline =
    since === null
      ? i18n.t('banner.offlineSinceUnknown')
      : i18n.rich(link.state === 'degraded' ? 'banner.degraded' : 'banner.offline', { duration: <SilentFor sinceMs={since} /> });
  return (
    <section class={`link-banner state-${link.state}`} aria-label={i18n.t(`link.${link.state}`)} data-testid="link-banner" data-state={link.state}>
      <p class="link-banner-text">
        <strong>{headline}</strong> <span data-testid="banner-backlog">{i18n.t('banner.backlog', { count: sync.unsyncedCount })}</span>
      </p>
      <BacklogAmounts sync={sync} />
      <SyncNowButton client={client} connected={connected} testId="sync-now" />
    </section>
  );
}
