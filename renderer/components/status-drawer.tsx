// The details drawer under the status bar, opened by the summary button (touch or click) and
// closed by its Close button or Escape: the terminal, the display preferences, the link, what
// waits to sync per currency (with Sync now), the ledger's health, the devices and the problems
// with their fixes. It lies over the counter and never makes the page scroll. It owns its keys,
// so typing in it does not key an amount.
import type { Ref } from 'preact';
import type { Preferences } from '../../core/api/preferences.js';
import type { TerminalStatus } from '../../core/api/status.js';
import type { ApiClient } from '../api-client.js';
import { useI18n } from '../i18n/i18n-context.js';
import { BacklogAmounts, backlogEntries } from './backlog-amounts.js';
import { DetailRow } from './detail-row.js';
import { DeviceDetails } from './device-details.js';
import { DisplaySettings } from './display-settings.js';
import { LinkDetails } from './link-details.js';
import { LtrText } from './ltr-text.js';
import { SyncNowButton } from './sync-now-button.js';

export interface StatusDrawerProps {
  client: ApiClient;
  status: TerminalStatus | null;
  connected: boolean;
  headingRef: Ref<HTMLHeadingElement>;
  onClose(): void;
  onSavePreferences(change: Partial<Preferences>): void;
  printCustomerCopy: boolean;
}

export function StatusDrawer({ client, status, connected, headingRef, onClose, onSavePreferences, printCustomerCopy }: StatusDrawerProps) {
  const i18n = useI18n();
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    onClose();
  };
  return (
    <section id="status-drawer" class="drawer" aria-labelledby="status-drawer-title" data-testid="status-drawer" data-own-keys onKeyDown={onKeyDown}>
      <div class="drawer-head">
        <h2 id="status-drawer-title" tabIndex={-1} ref={headingRef}>
          {i18n.t('drawer.title')}
        </h2>
        <button type="button" data-testid="drawer-close" onClick={onClose}>
          {i18n.t('drawer.close')}
        </button>
      </div>
      <div class="drawer-columns">
        <div class="drawer-section">
          <h3>{i18n.t('drawer.terminal')}</h3>
          {status ? (
            <dl class="details-list">
              <DetailRow label="drawer.terminalId">
                <LtrText testId="terminal-id">{status.terminalId}</LtrText>
              </DetailRow>
              <DetailRow label="drawer.mode">{i18n.t(`mode.${status.mode}`)}</DetailRow>
              <DetailRow label="drawer.version">
                <LtrText>{status.runtimeVersion}</LtrText>
              </DetailRow>
            </dl>
          ) : null}
          {status?.simulator ? <p class="note">{i18n.t('drawer.simulator')}</p> : null}
          <h3>{i18n.t('drawer.display')}</h3>
          <DisplaySettings onSave={onSavePreferences} printCustomerCopy={printCustomerCopy} />
        </div>
        {status ? (
          <div class="drawer-section">
            <h3>{i18n.t('drawer.link')}</h3>
            <LinkDetails link={status.link} />
            <h3>{i18n.t('drawer.sync')}</h3>
            <dl class="details-list">
              <DetailRow label="drawer.syncKey">{i18n.t(status.sync.provisioned ? 'drawer.provisioned' : 'drawer.notProvisioned')}</DetailRow>
              <DetailRow label="drawer.backlog" testId="backlog" state={String(status.sync.unsyncedCount)}>
                {backlogEntries(status.sync).length === 0 ? i18n.t('drawer.backlogNone') : <BacklogAmounts sync={status.sync} />}
              </DetailRow>
              {status.sync.oldestUnsyncedAgeMs === null ? null : (
                <DetailRow label="drawer.oldest">
                  <bdi data-i18n-exempt>
                    {i18n.duration(status.sync.oldestUnsyncedAgeMs)}
                  </bdi>
                </DetailRow>
              )}
              <DetailRow label="drawer.ledger" testId="ledger-health" state={status.ledger.state}>
                {i18n.t(status.ledger.state === 'ok' ? 'drawer.ledgerOk' : 'drawer.ledgerFailed')}
                {status.ledger.cause ? <LtrText class="technical">{status.ledger.cause}</LtrText> : null}
              </DetailRow>
            </dl>
            <SyncNowButton client={client} connected={connected} testId="drawer-sync-now" />
          </div>
        ) : null}
        {status ? (
          <div class="drawer-section">
            <h3>{i18n.t('drawer.devices')}</h3>
            <DeviceDetails devices={status.devices} problems={status.problems} />
          </div>
        ) : null}
      </div>
    </section>
  );
}
