// The day close's API handlers (core/api/day-reports.ts): the X report (day.report, nothing
// stored), the close (day.close, the Z report stored once per client id) and the stored closes
// (day.list). The day close service is asked for at call time, so a reopened ledger's session is
// the one used; while none is open the call answers runtime_unavailable.
import type { DayCloseService } from '../day-close/day-close-service.js';
import type { CommandHandlers } from './api-server.js';

type Handled = 'day.report' | 'day.close' | 'day.list';

export function dayHandlers(currentDayClose: () => DayCloseService): Pick<CommandHandlers, Handled> {
  return {
    'day.report': () => currentDayClose().report(),
    'day.close': ({ clientId, provisional }) => currentDayClose().close(clientId, provisional),
    'day.list': async ({ limit }) => ({ reports: await currentDayClose().list(limit) }),
  };
}
