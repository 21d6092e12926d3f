// One day report as the merchant reads it: X (the day so far) or Z (a closed day, numbered),
// its period, a provisional mark until a provisional close completes, and per currency the
// counts and totals of sales (online, offline), refunds (online, offline), voids, reversals, the
// net and what has not synced yet; then the reconciliation with central and any difference,
// listed by transaction id (a left-to-right island).
import type { DayReport, DayReportCurrency } from '../../core/api/day-reports.js';
import { useI18n } from '../i18n/i18n-context.js';
import { LtrText } from './ltr-text.js';
import { Money } from './money.js';

const rows = ['sales', 'salesOnline', 'salesOffline', 'refunds', 'refundsOnline', 'refundsOffline', 'voids', 'reversals', 'unsynced'] as const;

function CurrencyTable({ totals }: { totals: DayReportCurrency }) {
  const i18n = useI18n();
  return (
    <table class="day-table" data-testid="day-currency" data-currency={totals.currency} data-net-minor={totals.netMinor}>
      <caption>{i18n.t(`currency.${totals.currency}.name`)}</caption>
      <thead>
        <tr>
          <th scope="col">{i18n.t('day.column.what')}</th>
          <th scope="col">{i18n.t('day.column.count')}</th>
          <th scope="col">{i18n.t('day.column.total')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row} class={`row-${row}`} data-testid="day-row" data-row={row} data-count={totals[row].count} data-total-minor={totals[row].totalMinor}>
            <th scope="row">{i18n.t(`day.row.${row}`)}</th>
            <td>
              <bdi dir="ltr" data-i18n-exempt>
                {i18n.number(totals[row].count)}
              </bdi>
            </td>
            <td>
              <Money amountMinor={BigInt(totals[row].totalMinor)} currency={totals.currency} />
            </td>
          </tr>
        ))}
        <tr class="row-net" data-testid="day-row" data-row="net" data-total-minor={totals.netMinor}>
          <th scope="row">{i18n.t('day.row.net')}</th>
          <td />
          <td>
            <Money amountMinor={BigInt(totals.netMinor)} currency={totals.currency} />
          </td>
        </tr>
      </tbody>
    </table>
  );
}

function Reconciliation({ report }: { report: DayReport }) {
  const i18n = useI18n();
  const { state, checkedAtMs, differences } = report.reconciliation;
  return (
    <div class={`reconciliation recon-${state}`} data-testid="day-reconciliation" data-state={state} data-count={differences.length}>
      <p>
        {state === 'differences' ? i18n.t('day.recon.differences', { count: differences.length }) : i18n.t(state === 'matched' ? 'day.recon.matched' : 'day.recon.unavailable')}
        {checkedAtMs === null ? null : <> {i18n.rich('day.recon.checkedAt', { time: <bdi data-i18n-exempt>{i18n.dateTime(checkedAtMs)}</bdi> })}</>}
      </p>
      {differences.length > 0 ? (
        <ul class="differences">
          {differences.map((difference) => (
            <li key={`${difference.transactionId}:${difference.problem}`} data-testid="day-difference" data-problem={difference.problem} data-id={difference.transactionId}>
              <LtrText class="technical">{difference.transactionId}</LtrText>
              <span>{i18n.t(`day.problem.${difference.problem}`)}</span>
              <span>
                {i18n.rich('day.difference.amounts', {
                  terminal: difference.terminalAmountMinor === null ? i18n.t('day.difference.none') : <Money amountMinor={BigInt(difference.terminalAmountMinor)} currency={difference.currency} />,
                  central: difference.centralAmountMinor === null ? i18n.t('day.difference.none') : <Money amountMinor={BigInt(difference.centralAmountMinor)} currency={difference.currency} />,
                })}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function DayReportView({ report }: { report: DayReport }) {
  const i18n = useI18n();
  const time = (atMs: number) => <bdi data-i18n-exempt>{i18n.dateTime(atMs)}</bdi>;
  const pending = report.provisional && report.completedAtMs === null;
  return (
    <article
      class="day-report"
      aria-labelledby="day-report-title"
      data-testid="day-report"
      data-kind={report.kind}
      data-report-id={report.id}
      data-provisional={report.provisional}
      data-completed={report.completedAtMs !== null}
      data-sequence={report.sequence ?? undefined}
    >
      <h3 id="day-report-title">
        {report.kind === 'x'
          ? i18n.t('day.xTitle')
          : i18n.rich('day.zTitle', { sequence: <bdi dir="ltr" data-i18n-exempt>{i18n.number(report.sequence ?? 0, { useGrouping: false })}</bdi> })}
      </h3>
      <p class="day-period">{i18n.rich('day.period', { from: time(report.fromMs), to: time(report.toMs) })}</p>
      {report.provisional ? (
        <p class={`provisional-mark${pending ? ' is-open' : ''}`} data-testid="day-provisional" data-state={pending ? 'open' : 'completed'}>
          {pending ? i18n.t('day.provisional') : i18n.rich('day.provisionalCompleted', { time: time(report.completedAtMs ?? 0) })}
        </p>
      ) : null}
      {report.currencies.length === 0 ? (
        <p class="placeholder" data-testid="day-empty">
          {i18n.t('day.empty')}
        </p>
      ) : (
        <div class="day-tables">
          {report.currencies.map((totals) => (
            <CurrencyTable key={totals.currency} totals={totals} />
          ))}
        </div>
      )}
      <Reconciliation report={report} />
    </article>
  );
}
