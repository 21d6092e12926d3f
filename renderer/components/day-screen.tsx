// The day screen: the X report (the day so far) with Refresh, Print report and Close day; the
// stored Z reports beside it, any of which can be shown and printed again. Closing asks first
// (components/day-close.tsx); the closed day's Z report is shown at once. Escape leads back to
// the counter.
import { useContext, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { DayReport } from '../../core/api/day-reports.js';
import type { ApiClient } from '../api-client.js';
import { FocusHomeContext, restoreLostFocus } from '../hooks/focus-home.js';
import { useDayReports } from '../hooks/use-day-reports.js';
import { usePrint } from '../hooks/use-print.js';
import { useScreenEscape } from '../hooks/use-screen-escape.js';
import { useI18n } from '../i18n/i18n-context.js';
import { DayClose } from './day-close.js';
import { DayReportView } from './day-report-view.js';
import { NoticeBanner } from './notice-banner.js';
import { PastReports } from './past-reports.js';
import { PrintStatus } from './print-status.js';

export interface DayScreenProps {
  client: ApiClient;
  connected: boolean;
  onHome(): void;
}

export function DayScreen({ client, connected, onHome }: DayScreenProps) {
  const i18n = useI18n();
  const reports = useDayReports(client, connected);
  const [shownId, setShownId] = useState<string | null>(null);
  const [closing, setClosing] = useState(false);
  const [justClosed, setJustClosed] = useState<DayReport | null>(null);
  const printer = usePrint();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const focusHome = useContext(FocusHomeContext);
  focusHome.current = () => headingRef.current;
  useLayoutEffect(() => headingRef.current?.focus(), []);
  useEffect(() => restoreLostFocus(focusHome));
  useScreenEscape(onHome);

  // The list is newest; a report just closed is shown from the close's answer until it is listed.
  const stored = shownId === null ? null : (reports.zReports.find((report) => report.id === shownId) ?? (justClosed?.id === shownId ? justClosed : null));
  const shown = shownId === null ? reports.xReport : stored;
  const error = shownId === null ? reports.xError : null;
  const print = (): void => {
    if (!connected || !shown) return;
    printer.print(shown.kind, () => client.call('report.print', shown.kind === 'z' ? { reportId: shown.id } : {}));
  };
  const endClose = (): void => {
    closeRef.current?.focus();
    setClosing(false);
  };

  return (
    <section class="day-screen" aria-labelledby="day-title" data-testid="day-screen">
      <div class="screen-head">
        <h2 id="day-title" tabIndex={-1} ref={headingRef}>
          {i18n.t('day.title')}
        </h2>
        <div class="day-actions">
          <button type="button" data-testid="day-refresh" aria-disabled={!connected} onClick={() => connected && reports.refresh()}>
            {i18n.t('day.refresh')}
          </button>
          <button type="button" data-testid="day-print" aria-disabled={!connected || !shown} onClick={print}>
            {i18n.t('day.print')}
          </button>
          <button type="button" class="danger" data-testid="day-close" ref={closeRef} aria-disabled={!connected || closing} aria-expanded={closing} onClick={() => connected && setClosing(true)}>
            {i18n.t('day.close')}
          </button>
        </div>
      </div>
      {closing ? (
        <DayClose
          client={client}
          connected={connected}
          onDone={endClose}
          onClosed={(report) => {
            setJustClosed(report);
            setShownId(report.id);
            reports.refresh();
            endClose();
          }}
        />
      ) : null}
      {justClosed && shownId === justClosed.id ? (
        <p class="day-closed" role="status" data-testid="day-closed">
          {i18n.rich('day.closed', { sequence: <bdi dir="ltr" data-i18n-exempt>{i18n.number(justClosed.sequence ?? 0, { useGrouping: false })}</bdi> })}
        </p>
      ) : null}
      {error ? <NoticeBanner tone="error" testId="day-error" text={i18n.t('error.day', { reason: i18n.errorReason(error) })} /> : null}
      {reports.listError ? <NoticeBanner tone="error" testId="day-list-error" text={i18n.t('error.dayList', { reason: i18n.errorReason(reports.listError) })} /> : null}
      <PrintStatus run={printer.run} />
      <div class="day-columns">
        <div class="day-report-pane">{shown ? <DayReportView report={shown} /> : error ? null : <p class="placeholder">{i18n.t('app.loading')}</p>}</div>
        <PastReports reports={reports.zReports} shownId={shownId} onShow={setShownId} />
      </div>
    </section>
  );
}
