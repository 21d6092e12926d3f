// The journal's filters: the period (today, yesterday, the last seven days or a range of days,
// each day written in the language's calendar: Jalali in Persian), the kind, the sync state,
// the currency and the card's last four digits (Persian and Arabic-Indic digits are taken too).
// Each change reads the journal again from its newest page.
import { currencyCodes, type CurrencyCode } from '../../core/currency.js';
import { transactionKinds, type TransactionKind } from '../../core/ledger/transaction.js';
import { latinDigit } from '../hooks/use-counter-keys.js';
import { stateFilters, type JournalFilters, type Period, type StateFilter } from '../hooks/use-journal.js';
import { useI18n } from '../i18n/i18n-context.js';
import { dayStartMs } from '../i18n/zoned-day.js';

const periods: Period[] = ['today', 'yesterday', 'week', 'range'];
/** How far back a range may start: three months of days in a select. */
const rangeDays = 92;

function value(event: Event): string {
  return (event.currentTarget as HTMLSelectElement | HTMLInputElement).value;
}

export function JournalFiltersBar({ filters, onChange, nowMs }: { filters: JournalFilters; onChange(filters: JournalFilters): void; nowMs: number }) {
  const i18n = useI18n();
  const set = (change: Partial<JournalFilters>): void => onChange({ ...filters, ...change });
  const daySelect = (testId: string, label: 'journal.from' | 'journal.to', daysBack: number, choose: (daysBack: number) => void) => (
    <select data-testid={testId} aria-label={i18n.t(label)} value={String(daysBack)} onChange={(event) => choose(Number(value(event)))}>
      {Array.from({ length: rangeDays }, (_, back) => (
        <option key={back} value={String(back)} data-i18n-exempt>
          {i18n.date(dayStartMs(nowMs, i18n.timeZone, back) + 12 * 3_600_000)}
        </option>
      ))}
    </select>
  );
  const onLast4 = (event: Event): void => {
    const input = event.currentTarget as HTMLInputElement;
    const digits = Array.from(input.value, (character) => latinDigit(character) ?? '').join('').slice(0, 4);
    if (input.value !== digits) input.value = digits;
    if (digits.length === 4 || digits.length === 0) set({ last4: digits });
  };
  return (
    <div class="journal-filters" role="group" aria-label={i18n.t('journal.filters')} data-testid="journal-filters">
      <select data-testid="filter-period" aria-label={i18n.t('journal.period')} value={filters.period} onChange={(event) => set({ period: value(event) as Period })}>
        {periods.map((period) => (
          <option key={period} value={period}>
            {i18n.t(`journal.period.${period}`)}
          </option>
        ))}
      </select>
      {filters.period === 'range' ? (
        <>
          {daySelect('filter-from', 'journal.from', filters.fromDaysBack, (fromDaysBack) => set({ fromDaysBack }))}
          {daySelect('filter-to', 'journal.to', filters.toDaysBack, (toDaysBack) => set({ toDaysBack }))}
        </>
      ) : null}
      <select data-testid="filter-kind" aria-label={i18n.t('journal.kind')} value={filters.kind} onChange={(event) => set({ kind: value(event) as TransactionKind | '' })}>
        <option value="">{i18n.t('journal.kind.all')}</option>
        {transactionKinds.map((kind) => (
          <option key={kind} value={kind}>
            {i18n.t(`kind.${kind}`)}
          </option>
        ))}
      </select>
      <select data-testid="filter-state" aria-label={i18n.t('journal.state')} value={filters.state} onChange={(event) => set({ state: value(event) as StateFilter | '' })}>
        <option value="">{i18n.t('journal.state.all')}</option>
        {(Object.keys(stateFilters) as StateFilter[]).map((state) => (
          <option key={state} value={state}>
            {i18n.t(`syncState.${state}`)}
          </option>
        ))}
      </select>
      <select data-testid="filter-currency" aria-label={i18n.t('journal.currency')} value={filters.currency} onChange={(event) => set({ currency: value(event) as CurrencyCode | '' })}>
        <option value="">{i18n.t('journal.currency.all')}</option>
        {currencyCodes.map((code) => (
          <option key={code} value={code}>
            {i18n.t(`currency.${code}.short`)}
          </option>
        ))}
      </select>
      <input
        type="text"
        class="last4"
        data-testid="filter-last4"
        inputMode="numeric"
        autoComplete="off"
        dir="ltr"
        maxLength={4}
        aria-label={i18n.t('journal.last4')}
        placeholder={i18n.t('journal.last4.placeholder')}
        defaultValue={filters.last4}
        onInput={onLast4}
      />
    </div>
  );
}
