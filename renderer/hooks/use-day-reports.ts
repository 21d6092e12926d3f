// The day's reports: the X report (day.report: the period since the last close, nothing closed)
// and the stored Z reports (day.list, newest first). Both are read when the screen opens or the
// runtime reconnects and on demand; a provisional close completing (day.closeCompleted) reads
// the list again, so its report loses the provisional mark on screen as soon as it is complete.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { DayReport } from '../../core/api/day-reports.js';
import type { ApiClient } from '../api-client.js';

export interface DayReportsState {
  xReport: DayReport | null;
  xError: unknown;
  zReports: DayReport[];
  listError: unknown;
  loading: boolean;
  refresh(): void;
}

export function useDayReports(client: ApiClient, connected: boolean): DayReportsState {
  const [xReport, setXReport] = useState<DayReport | null>(null);
  const [xError, setXError] = useState<unknown>(null);
  const [zReports, setZReports] = useState<DayReport[]>([]);
  const [listError, setListError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const request = useRef(0);

  const readList = useCallback(() => {
    client.call('day.list', { limit: 30 }).then(
      (answer) => {
        setZReports(answer.reports);
        setListError(null);
      },
      (failure: unknown) => setListError(failure),
    );
  }, [client]);

  const refresh = useCallback(() => {
    const number = ++request.current;
    setLoading(true);
    client
      .call('day.report', {})
      .then(
        (report) => {
          if (number !== request.current) return;
          setXReport(report);
          setXError(null);
        },
        (failure: unknown) => {
          if (number === request.current) setXError(failure);
        },
      )
      .finally(() => {
        if (number === request.current) setLoading(false);
      });
    readList();
  }, [client, readList]);

  useEffect(() => client.on('day.closeCompleted', () => readList()), [client, readList]);
  useEffect(() => {
    if (connected) refresh();
  }, [connected, refresh]);

  return { xReport, xError, zReports, listError, loading, refresh };
}
