// The alert handlers: the merchant's alerts as the ledger keeps them (raised by the ledger
// session, runtime/merchant-alerts.ts), newest first, and dismissing one. The ledger is asked for
// at call time, so a reopened ledger is the one read; while none is open the call answers
// runtime_unavailable.
import type { Clock } from '../../core/clock.js';
import type { Ledger } from '../../ledger/ledger.js';
import { AlertsStore } from '../../ledger/stores/alerts-store.js';
import type { Logger } from '../logger.js';
import type { CommandHandlers } from './api-server.js';

export function alertHandlers(currentLedger: () => Ledger, clock: Clock, logger: Logger): Pick<CommandHandlers, 'alerts.list' | 'alerts.dismiss'> {
  return {
    'alerts.list': async (params) => {
      // One damaged alert is logged by name and left out; the others are still shown.
      const alerts = await new AlertsStore(currentLedger()).list({
        ...params,
        onInvalid: (error) => logger.warn({ reason: 'stored_value_invalid', key: error.key }, 'stored alert refused'),
      });
      return { alerts };
    },
    'alerts.dismiss': async ({ id }) => ({ dismissed: (await new AlertsStore(currentLedger()).dismiss(id, clock.nowMs())) !== null }),
  };
}
