// The link part of the details drawer: the link state as the runtime names it, whether the
// broker and central answer (with the round trip), when central last answered and, while it is
// silent, for how long (ticking), the heartbeat interval and the clock offset central reported.
import type { LinkStatus } from '../../core/api/status.js';
import { useI18n } from '../i18n/i18n-context.js';
import { useNow } from '../hooks/use-now.js';
import { DetailRow } from './detail-row.js';

/** An Intl text (a duration, a time, milliseconds): isolated, in the direction of its own words. */
function Exempt({ children }: { children: string }) {
  return <bdi data-i18n-exempt>{children}</bdi>;
}

export function LinkDetails({ link }: { link: LinkStatus }) {
  const i18n = useI18n();
  const nowMs = useNow(1000);
  const milliseconds = (value: number, signed = false): string =>
    i18n.number(Math.round(value), { style: 'unit', unit: 'millisecond', unitDisplay: 'short', signDisplay: signed ? 'exceptZero' : 'auto' });
  const lastSeenMs = link.centralLastSeenAt === null ? null : Date.parse(link.centralLastSeenAt);
  return (
    <dl class="details-list">
      <DetailRow label="drawer.linkState" testId="link-state" state={link.state}>
        {i18n.t(`link.${link.state}`)}
      </DetailRow>
      <DetailRow label="drawer.broker" testId="broker" state={link.brokerReachable ? 'up' : 'down'}>
        {i18n.t(link.brokerReachable ? 'drawer.reachable' : 'drawer.unreachable')}
      </DetailRow>
      <DetailRow label="drawer.central" testId="central" state={link.centralReachable ? 'up' : 'down'}>
        {i18n.t(link.centralReachable ? 'drawer.reachable' : 'drawer.unreachable')}
      </DetailRow>
      {link.centralRoundTripMs === null ? null : (
        <DetailRow label="drawer.roundTrip" testId="round-trip">
          <Exempt>{milliseconds(link.centralRoundTripMs)}</Exempt>
        </DetailRow>
      )}
      <DetailRow label="drawer.lastSeen" testId="last-seen">
        {lastSeenMs === null || Number.isNaN(lastSeenMs) ? i18n.t('drawer.never') : <Exempt>{i18n.dateTime(lastSeenMs)}</Exempt>}
      </DetailRow>
      {link.centralUnreachableSinceMs === null ? null : (
        <DetailRow label="drawer.unreachableFor" testId="silent-for">
          <Exempt>{i18n.duration(nowMs - link.centralUnreachableSinceMs)}</Exempt>
        </DetailRow>
      )}
      <DetailRow label="drawer.heartbeat" testId="heartbeat">
        <Exempt>{i18n.duration(link.heartbeatIntervalMs)}</Exempt>
      </DetailRow>
      {link.clockOffsetMs === null ? null : (
        <DetailRow label="drawer.clockOffset" testId="clock-offset">
          <Exempt>{milliseconds(link.clockOffsetMs, true)}</Exempt>
        </DetailRow>
      )}
    </dl>
  );
}
