// A day report (X: the day so far; Z: the day closed) as receipt lines: the kind, terminal,
// period and close number in the terminal's time zone, a provisional close marked as such, per
// currency the counts and totals of sales (online and offline), refunds, voids, reversals, the
// net and what is not yet synced, then central's reconciliation with each difference by
// transaction id. Pure, like the transaction receipt.
import type { DayReport } from '../../core/api/day-reports.js';
import type { Preferences } from '../../core/api/preferences.js';
import { formatDecimal, formatReceiptAmount, formatReceiptDateTime } from './receipt-format.js';
import { receiptLabels, type ReceiptLabels } from './receipt-labels/index.js';
import type { ReceiptLine } from './receipt-typesetter.js';

export interface DayReportInput {
  report: DayReport;
  preferences: Pick<Preferences, 'locale' | 'timeZone' | 'irrDisplay'>;
}

const problemLabel = (problem: DayReport['reconciliation']['differences'][number]['problem'], labels: ReceiptLabels): string =>
  ({ missing_at_central: labels.missingAtCentral, missing_at_terminal: labels.missingAtTerminal, amount_differs: labels.amountDiffers, state_differs: labels.stateDiffers })[problem];

export function dayReportLines({ report, preferences }: DayReportInput): ReceiptLine[] {
  const labels = receiptLabels[preferences.locale];
  const { locale, timeZone, irrDisplay } = preferences;
  const at = (ms: number): string => {
    const { date, time } = formatReceiptDateTime(ms, locale, timeZone);
    return `${date} ${time}`;
  };
  const lines: ReceiptLine[] = [
    { type: 'center', text: labels.brand, bold: true },
    { type: 'title', text: report.kind === 'z' ? labels.reportZ : labels.reportX },
  ];
  if (report.provisional) lines.push({ type: 'center', text: labels.provisional, bold: true });
  lines.push({ type: 'rule' }, { type: 'pair', label: labels.terminal, value: report.terminalId });
  if (report.sequence !== null) lines.push({ type: 'pair', label: labels.closeNumber, value: formatDecimal(BigInt(report.sequence), 0, locale) });
  lines.push(
    { type: 'pair', label: labels.periodFrom, value: at(report.fromMs) },
    { type: 'pair', label: labels.periodTo, value: at(report.toMs) },
    { type: 'pair', label: labels.timeZone, value: timeZone },
  );
  if (report.completedAtMs !== null) lines.push({ type: 'pair', label: labels.completed, value: at(report.completedAtMs) });
  if (report.currencies.length === 0) lines.push({ type: 'rule' }, { type: 'center', text: labels.nothing });
  for (const figures of report.currencies) {
    const money = (minor: string): string => formatReceiptAmount(BigInt(minor), figures.currency, locale, irrDisplay, labels);
    const row = (label: string, figure: { count: number; totalMinor: string }): ReceiptLine => ({
      type: 'pair',
      label: `${label} (${formatDecimal(BigInt(figure.count), 0, locale)})`,
      value: money(figure.totalMinor),
    });
    lines.push(
      { type: 'rule' },
      { type: 'pair', label: labels.currency, value: figures.currency, bold: true },
      row(labels.sales, figures.sales),
      row(labels.salesOnline, figures.salesOnline),
      row(labels.salesOffline, figures.salesOffline),
      row(labels.refunds, figures.refunds),
      row(labels.refundsOnline, figures.refundsOnline),
      row(labels.refundsOffline, figures.refundsOffline),
      row(labels.voids, figures.voids),
      row(labels.reversals, figures.reversals),
      { type: 'pair', label: labels.net, value: money(figures.netMinor), bold: true },
      row(labels.unsynced, figures.unsynced),
    );
  }
  const { reconciliation } = report;
  const state = { matched: labels.reconciliationMatched, differences: labels.reconciliationDifferences, unavailable: labels.reconciliationUnavailable }[reconciliation.state];
  lines.push({ type: 'rule' }, { type: 'pair', label: labels.reconciliation, value: state, bold: true });
  for (const difference of reconciliation.differences) {
    const side = (minor: string | null): string => (minor === null ? '-' : formatReceiptAmount(BigInt(minor), difference.currency, locale, irrDisplay, labels));
    lines.push(
      { type: 'text', text: difference.transactionId },
      { type: 'pair', label: problemLabel(difference.problem, labels), value: '' },
      { type: 'pair', label: labels.terminalAmount, value: side(difference.terminalAmountMinor) },
      { type: 'pair', label: labels.centralAmount, value: side(difference.centralAmountMinor) },
    );
  }
  lines.push({ type: 'feed', lines: 2 }, { type: 'cut' });
  return lines;
}
