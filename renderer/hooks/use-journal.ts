// A page of the journal for the screen's filters (journal.list), newest first, continued with the
// cursor by "Show more". The period is days in the terminal's time zone preference (today by
// default). A change of filters starts over; an answer to an older request is dropped, so a slow
// page never overwrites the one the merchant asked for last.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { CommandParams } from '../../core/api/contract.js';
import type { JournalEntry } from '../../core/api/journal.js';
import type { CurrencyCode } from '../../core/currency.js';
import type { TransactionKind, TransactionState } from '../../core/ledger/transaction.js';
import type { ApiClient } from '../api-client.js';
import { dayEndMs, dayStartMs } from '../i18n/zoned-day.js';

/** The sync states a merchant filters by, and the ledger states each stands for. */
export const stateFilters = {
  pending: ['approved_offline', 'approved_online'],
  settled: ['settled'],
  rejected: ['rejected'],
  local: ['posted'],
} as const satisfies Record<string, readonly TransactionState[]>;
export type StateFilter = keyof typeof stateFilters;

export type Period = 'today' | 'yesterday' | 'week' | 'range';

export interface JournalFilters {
  period: Period;
  /** For a range: the first and last day shown, as days before today (0 is today). */
  fromDaysBack: number;
  toDaysBack: number;
  kind: TransactionKind | '';
  state: StateFilter | '';
  currency: CurrencyCode | '';
  /** Four Latin digits, or '' for any card. */
  last4: string;
}

export const defaultFilters: JournalFilters = { period: 'today', fromDaysBack: 6, toDaysBack: 0, kind: '', state: '', currency: '', last4: '' };
const pageRows = 25;

export function journalQuery(filters: JournalFilters, nowMs: number, timeZone: string): CommandParams<'journal.list'> {
  const days: Record<Period, [number, number]> = {
    today: [0, 0],
    yesterday: [1, 1],
    week: [6, 0],
    range: [Math.max(filters.fromDaysBack, filters.toDaysBack), Math.min(filters.fromDaysBack, filters.toDaysBack)],
  };
  const [firstBack, lastBack] = days[filters.period];
  const query: CommandParams<'journal.list'> = {
    fromMs: dayStartMs(nowMs, timeZone, firstBack),
    toMs: dayEndMs(dayStartMs(nowMs, timeZone, lastBack), timeZone),
    limit: pageRows,
  };
  if (filters.kind) query.kinds = [filters.kind];
  if (filters.state) query.states = [...stateFilters[filters.state]];
  if (filters.currency) query.currency = filters.currency;
  if (/^\d{4}$/.test(filters.last4)) query.last4 = filters.last4;
  return query;
}

export interface JournalPage {
  entries: JournalEntry[];
  nextCursor: string | null;
  loading: boolean;
  error: unknown;
  loadMore(): void;
}

export function useJournal(client: ApiClient, connected: boolean, filters: JournalFilters, timeZone: string, refreshKey: string): JournalPage {
  const [entries, setEntries] = useState<JournalEntry[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const request = useRef(0);
  const query = useRef<CommandParams<'journal.list'> | null>(null);

  const fetchPage = useCallback(
    (cursor: string | null) => {
      const base = query.current;
      if (!base) return;
      const number = ++request.current;
      setLoading(true);
      client.call('journal.list', cursor ? { ...base, cursor } : base).then(
        (page) => {
          if (number !== request.current) return;
          setEntries((current) => (cursor ? [...current, ...page.entries] : page.entries));
          setNextCursor(page.nextCursor);
          setError(null);
          setLoading(false);
        },
        (failure: unknown) => {
          if (number !== request.current) return;
          setError(failure);
          setLoading(false);
        },
      );
    },
    [client],
  );

  useEffect(() => {
    if (!connected) return;
    query.current = journalQuery(filters, Date.now(), timeZone);
    fetchPage(null);
  }, [connected, filters, timeZone, refreshKey, fetchPage]);

  const loadMore = useCallback(() => {
    if (nextCursor && !loading) fetchPage(nextCursor);
  }, [nextCursor, loading, fetchPage]);

  return { entries, nextCursor, loading, error, loadMore };
}
