// The application frame: the one-line status bar with the details drawer, the banners (the
// runtime's channel reconnecting, the link offline or degraded, errors, alerts) and the mode's
// screen. Everything is said through the translator of the merchant's preferences
// (preferences.get, then preferences.changed), and <html lang dir> and the title follow it.
// Until the preferences are known the frame stays empty, so no wrong language flashes. The
// counter is the home screen; the status bar leads to the journal and the day (X/Z) screens,
// and Escape leads back. A screen that opens puts the focus on its place (focus home). Until an
// operator is signed in, the setup, sign-in or lock screen takes the counter's place; commands
// a role or a stale authentication refuses open the re-authentication or override dialog.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api-client.js';
import { I18nContext } from '../i18n/i18n-context.js';
import { createTranslator, fallbackPreferences } from '../i18n/translator.js';
import { FocusHomeContext, useFocusGuard, type FocusHome } from '../hooks/focus-home.js';
import { useAlerts } from '../hooks/use-alerts.js';
import { useCardIgnored } from '../hooks/use-card-ignored.js';
import { useConnection, type ConnectionSubscriber } from '../hooks/use-connection.js';
import { usePreferences } from '../hooks/use-preferences.js';
import { useTerminalStatus } from '../hooks/use-terminal-status.js';
import { useReceiptPrinted } from '../hooks/use-receipt-printed.js';
import { SessionContext } from '../hooks/session-context.js';
import { GuardContext, useGuardProvider } from '../hooks/use-guarded-call.js';
import { useSession } from '../hooks/use-session.js';
import { useSignInOperators } from '../hooks/use-sign-in-operators.js';
import { AuthDialog } from './operators/auth-dialog.js';
import { OperatorsScreen } from './operators/operators-screen.js';
import { SessionControls } from './operators/session-controls.js';
import { SetupScreen } from './operators/setup-screen.js';
import { SignInScreen } from './operators/sign-in-screen.js';
import { AlertStrip } from './alert-strip.js';
import { CardIgnoredNotice } from './card-ignored-notice.js';
import { CounterScreen } from './counter-screen.js';
import { DayScreen } from './day-screen.js';
import { JournalScreen } from './journal-screen.js';
import { screens as allScreens, type Screen } from './screen-nav.js';
import { LinkBanner } from './link-banner.js';
import { NoticeBanner } from './notice-banner.js';
import { StatusBar } from './status-bar.js';
import { StatusDrawer } from './status-drawer.js';

export interface AppProps {
  client: ApiClient;
  onConnectionChange: ConnectionSubscriber;
}

export function App({ client, onConnectionChange }: AppProps) {
  const connected = useConnection(onConnectionChange);
  const { status, error: statusError } = useTerminalStatus(client, connected);
  const { guard, request: authRequest } = useGuardProvider();
  const preferences = usePreferences(client, connected, guard);
  const sessionState = useSession(client, connected);
  const { session } = sessionState;
  // Alerts are for a signed-in operator: read (again) once someone is.
  const alerts = useAlerts(client, connected && session?.state === 'signed_in');
  const cardIgnoredAtMs = useCardIgnored(client);
  const printFailure = useReceiptPrinted(client);
  const signInOperators = useSignInOperators(client, connected, session);
  const sessionView = useMemo(() => ({ session, operators: signInOperators }), [session, signInOperators]);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [screen, setScreen] = useState<Screen>('counter');
  const shownScreen = useRef<Screen>('counter');
  const toggleRef = useRef<HTMLButtonElement>(null);
  const drawerHeadingRef = useRef<HTMLHeadingElement>(null);
  const focusHome = useMemo<FocusHome>(() => ({ current: null }), []);
  const i18n = useMemo(() => createTranslator(preferences.preferences ?? fallbackPreferences), [preferences.preferences]);

  useEffect(() => {
    const root = document.documentElement;
    root.lang = i18n.locale;
    root.dir = i18n.direction;
    document.title = i18n.t('app.documentTitle');
  }, [i18n]);

  useEffect(() => {
    if (drawerOpen) drawerHeadingRef.current?.focus();
  }, [drawerOpen]);
  useFocusGuard(focusHome);
  // After a change of screen the new one has named its place for the focus: go there.
  useLayoutEffect(() => {
    if (shownScreen.current === screen) return;
    shownScreen.current = screen;
    focusHome.current?.()?.focus();
  }, [screen]);
  const goHome = (): void => setScreen('counter');
  // The screen already shown is chosen again: its place for the focus takes it, as on arrival.
  const navigate = (target: Screen): void => {
    if (target === screen) focusHome.current?.()?.focus();
    else setScreen(target);
  };

  const closeDrawer = (): void => {
    setDrawerOpen(false);
    toggleRef.current?.focus();
  };

  // Back to the counter when the operator changes, so nobody lands on another's screen.
  const operatorId = session?.state === 'signed_in' ? (session.operator?.id ?? null) : null;
  useEffect(() => setScreen('counter'), [operatorId]);

  if (!preferences.settled) return <div class="app app-loading" aria-busy="true" data-testid="app-loading" />;

  // A session the runtime cannot tell (an older runtime) leaves the screens as they were: the
  // runtime still refuses what needs a sign-in, and the banner says why.
  const signedIn = session === null ? sessionState.error !== null : session.state === 'signed_in';
  const mayManage = session === null || session.permissions.includes('enrol_operators') || session.permissions.includes('unlock_operators');
  const shownScreens = allScreens.filter((target) => target !== 'operators' || (session !== null && mayManage));
  const errors = [
    statusError ? i18n.t('error.status', { reason: i18n.errorReason(statusError) }) : null,
    preferences.loadError ? i18n.t('error.preferences', { reason: i18n.errorReason(preferences.loadError) }) : null,
    preferences.saveError ? i18n.t('error.preferencesSave', { reason: i18n.errorReason(preferences.saveError) }) : null,
    alerts.loadError ? i18n.t('error.alerts', { reason: i18n.errorReason(alerts.loadError) }) : null,
    alerts.dismissError ? i18n.t('error.dismiss', { reason: i18n.errorReason(alerts.dismissError) }) : null,
    printFailure ? i18n.t('print.autoFailed', { reason: i18n.t(`print.failure.${printFailure}`) }) : null,
    sessionState.error ? i18n.t('error.session', { reason: i18n.errorReason(sessionState.error) }) : null,
  ].filter((text): text is string => text !== null);

  return (
    <I18nContext.Provider value={i18n}>
      <SessionContext.Provider value={sessionView}>
      <GuardContext.Provider value={guard}>
      <FocusHomeContext.Provider value={focusHome}>
        <div class="app" data-testid="app" data-locale={i18n.locale}>
          <StatusBar
            status={status}
            connected={connected}
            drawerOpen={drawerOpen}
            toggleRef={toggleRef}
            onToggleDrawer={() => (drawerOpen ? closeDrawer() : setDrawerOpen(true))}
            onChooseLocale={(locale) => preferences.save({ locale })}
            screen={screen}
            screens={signedIn ? shownScreens : []}
            onNavigate={navigate}
            sessionControls={session ? <SessionControls key={`${session.operator?.id ?? ''}-${session.signedInAtMs ?? ''}`} client={client} session={session} onSession={sessionState.adopt} /> : null}
          />
          {drawerOpen ? (
            <StatusDrawer
              client={client}
              status={status}
              connected={connected}
              headingRef={drawerHeadingRef}
              printCustomerCopy={preferences.preferences?.printCustomerCopy ?? true}
              onClose={closeDrawer}
              onSavePreferences={preferences.save}
            />
          ) : null}
          <div class="banners">
            {connected ? null : <NoticeBanner tone="warning" testId="reconnecting" text={i18n.t('connection.reconnecting')} />}
            {status ? <LinkBanner client={client} status={status} connected={connected} /> : null}
            {errors.map((text) => (
              <NoticeBanner key={text} tone="error" testId="runtime-error" text={text} />
            ))}
            <AlertStrip alerts={alerts.alerts} onDismiss={alerts.dismiss} />
          </div>
          <main class="main">
            {session === null && sessionState.error === null ? (
              <p class="placeholder" aria-busy="true">
                {i18n.t('session.loading')}
              </p>
            ) : session?.state === 'setup_required' ? (
              <SetupScreen client={client} onSignedIn={sessionState.adopt} />
            ) : session && !signedIn ? (
              <SignInScreen client={client} session={session} operators={signInOperators} simulator={status?.simulator ?? false} onSignedIn={sessionState.adopt} />
            ) : screen === 'operators' && shownScreens.includes('operators') ? (
              <OperatorsScreen client={client} connected={connected} simulator={status?.simulator ?? false} onHome={goHome} />
            ) : (status === null || status.mode === 'counter') && screen === 'journal' ? (
              <JournalScreen client={client} connected={connected} syncKey={`${status?.sync.unsyncedCount ?? ''}`} onHome={goHome} />
            ) : (status === null || status.mode === 'counter') && screen === 'day' ? (
              <DayScreen client={client} connected={connected} onHome={goHome} />
            ) : status === null || status.mode === 'counter' ? (
              <CounterScreen client={client} simulator={status?.simulator ?? false} connected={connected} offlineLimits={status?.sync.offlineLimits ?? null} />
            ) : (
              <p class="placeholder">{i18n.t('app.otherMode', { mode: i18n.t(`mode.${status.mode}`) })}</p>
            )}
          </main>
          <CardIgnoredNotice atMs={cardIgnoredAtMs} />
          {authRequest ? (
            <AuthDialog client={client} request={authRequest} session={session} operators={signInOperators} simulator={status?.simulator ?? false} onSession={sessionState.adopt} />
          ) : null}
        </div>
      </FocusHomeContext.Provider>
      </GuardContext.Provider>
      </SessionContext.Provider>
    </I18nContext.Provider>
  );
}
