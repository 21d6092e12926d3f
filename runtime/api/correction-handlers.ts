// The corrections' API handlers: refund.start, void.start and journal.detail, bound to the open
// session's correction service at call time (a reopened ledger is the one used; none answers
// runtime_unavailable).
import type { CommandHandlers } from './api-server.js';
import type { CorrectionService } from '../corrections/correction-service.js';
import { paymentDetail } from '../corrections/payment-detail.js';

type Handled = 'refund.start' | 'void.start' | 'journal.detail';

export function correctionHandlers(current: () => CorrectionService): Pick<CommandHandlers, Handled> {
  return {
    'refund.start': (params) => current().refund({ originalId: params.originalId, clientId: params.clientId, amountMinor: BigInt(params.amountMinor), currency: params.currency }),
    'void.start': (params) => current().void(params),
    'journal.detail': (params) => {
      const service = current();
      return paymentDetail(service.ledger, params.paymentId, (atMs) => service.isSameDay(atMs));
    },
  };
}
