// The stored Z reports, newest first, each a button that shows it (with the day so far, the X
// report, at the top); the one shown says so in words (aria-current) as well as in colour.
import type { DayReport } from '../../core/api/day-reports.js';
import { useI18n } from '../i18n/i18n-context.js';

export interface PastReportsProps {
  reports: DayReport[];
  shownId: string | null;
  onShow(reportId: string | null): void;
}

export function PastReports({ reports, shownId, onShow }: PastReportsProps) {
  const i18n = useI18n();
  return (
    <nav class="past-reports" aria-labelledby="past-reports-title" data-testid="day-past">
      <h3 id="past-reports-title">{i18n.t('day.past')}</h3>
      <ul>
        <li>
          <button type="button" data-testid="day-show-x" aria-current={shownId === null ? 'true' : undefined} onClick={() => onShow(null)}>
            {i18n.t('day.xTitle')}
          </button>
        </li>
        {reports.map((report) => (
          <li key={report.id}>
            <button
              type="button"
              data-testid="day-past-item"
              data-report-id={report.id}
              data-provisional={report.provisional}
              data-completed={report.completedAtMs !== null}
              aria-current={shownId === report.id ? 'true' : undefined}
              onClick={() => onShow(report.id)}
            >
              <span>{i18n.rich('day.zShort', { sequence: <bdi dir="ltr" data-i18n-exempt>{i18n.number(report.sequence ?? 0, { useGrouping: false })}</bdi> })}</span>
              <bdi class="past-date" data-i18n-exempt>
                {i18n.dateTime(report.createdAtMs)}
              </bdi>
              {report.provisional && report.completedAtMs === null ? <span class="provisional-tag">{i18n.t('day.provisionalTag')}</span> : null}
            </button>
          </li>
        ))}
      </ul>
      {reports.length === 0 ? <p class="placeholder">{i18n.t('day.pastNone')}</p> : null}
    </nav>
  );
}
