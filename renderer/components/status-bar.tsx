// The status bar, one line at any width: the page heading, then a summary that is itself the
// button opening the details drawer (touch or click, never hover): the link as it is (online
// only when central answers; degraded and offline said as such), what waits to sync, the devices,
// the receipt printer's problem, and a failed ledger or a terminal problem when there is one;
// then the screens (sale, journal, day, operators) and the signed-in operator. Colour is never the only signal.
import type { ComponentChildren, Ref } from 'preact';
import type { TerminalStatus } from '../../core/api/status.js';
import type { Locale } from '../../core/api/preferences.js';
import { useI18n } from '../i18n/i18n-context.js';
import { LanguageSwitcher } from './language-switcher.js';
import { ScreenNav, type Screen } from './screen-nav.js';

export interface StatusBarProps {
  status: TerminalStatus | null;
  connected: boolean;
  drawerOpen: boolean;
  toggleRef: Ref<HTMLButtonElement>;
  onToggleDrawer(): void;
  onChooseLocale(locale: Locale): void;
  screen: Screen;
  /** The screens this operator may open; none while nobody is signed in. */
  screens: readonly Screen[];
  onNavigate(screen: Screen): void;
  /** The signed-in operator with Lock and Sign out. */
  sessionControls: ComponentChildren;
}

function Chip({ testId, tone, state, children }: { testId: string; tone: 'good' | 'bad' | 'pending'; state?: string; children: string }) {
  return (
    <span class={`chip ${tone}`} data-testid={testId} data-state={state}>
      <span class="dot" aria-hidden="true" />
      <span class="chip-text">{children}</span>
    </span>
  );
}

function Summary({ status, connected }: { status: TerminalStatus | null; connected: boolean }) {
  const i18n = useI18n();
  if (!connected || status === null) {
    return (
      <Chip testId="runtime" tone={connected ? 'pending' : 'bad'} state={connected ? 'connecting' : 'down'}>
        {i18n.t(connected ? 'status.connecting' : 'status.disconnected')}
      </Chip>
    );
  }
  const { link, sync, devices, ledger, problems } = status;
  // A receipt printer's named problem (paper out, cover open, …) is said on the bar itself, so
  // the devices chip counts only the devices that chip does not already name.
  const printerProblem = devices.find((device) => device.kind === 'receipt_printer' && device.problem)?.problem ?? null;
  const badDevices = devices.filter((device) => device.health !== 'ok' && !(device.kind === 'receipt_printer' && device.problem)).length;
  const linkTone = link.state === 'online' ? 'good' : link.state === 'degraded' || link.state === 'connecting' ? 'pending' : 'bad';
  return (
    <>
      <Chip testId="link" tone={linkTone} state={link.state}>
        {i18n.t(`link.${link.state}`)}
      </Chip>
      <span class={`chip ${sync.unsyncedCount === 0 ? 'good' : 'pending'}`} data-testid="unsynced" data-count={sync.unsyncedCount}>
        <span class="dot" aria-hidden="true" />
        <span class="chip-text">{i18n.t('status.unsynced', { count: sync.unsyncedCount })}</span>
      </span>
      {printerProblem && badDevices === 0 ? null : (
        <Chip testId="devices-summary" tone={badDevices === 0 ? 'good' : 'bad'} state={badDevices === 0 ? 'ok' : 'attention'}>
          {badDevices === 0 ? i18n.t('status.devicesOk', { count: devices.length }) : i18n.t('status.devicesBad', { count: badDevices })}
        </Chip>
      )}
      {printerProblem ? (
        <Chip testId="printer" tone={printerProblem === 'paper_near_end' ? 'pending' : 'bad'} state={printerProblem}>
          {i18n.t('status.printer', { problem: i18n.t(`printer.problem.${printerProblem}`) })}
        </Chip>
      ) : null}
      {ledger.state === 'failed' ? (
        <Chip testId="ledger" tone="bad" state="failed">
          {i18n.t('status.ledgerFailed')}
        </Chip>
      ) : null}
      {problems.length > 0 ? (
        <Chip testId="problems-summary" tone="bad" state="problems">
          {i18n.t('status.problems', { count: problems.length })}
        </Chip>
      ) : null}
    </>
  );
}

export function StatusBar({ status, connected, drawerOpen, toggleRef, onToggleDrawer, onChooseLocale, screen, screens, onNavigate, sessionControls }: StatusBarProps) {
  const i18n = useI18n();
  return (
    <header class="status-bar" data-testid="status-bar">
      <h1 class="app-heading">{i18n.t('app.heading')}</h1>
      {screens.length > 0 ? <ScreenNav screen={screen} shown={screens} onNavigate={onNavigate} /> : null}
      <button
        type="button"
        class="status-summary"
        data-testid="status-summary"
        ref={toggleRef}
        aria-expanded={drawerOpen}
        aria-controls="status-drawer"
        onClick={onToggleDrawer}
      >
        <span class="chips">
          <Summary status={status} connected={connected} />
        </span>
        <span class="details-label">
          <span class="details-text">{i18n.t('status.details')}</span>
          <span class="caret" aria-hidden="true" />
        </span>
      </button>
      {sessionControls}
      <LanguageSwitcher onChoose={onChooseLocale} />
    </header>
  );
}
