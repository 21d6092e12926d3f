// Placeholder while this part is being built in this change: answers runtime_unavailable by name.
import { ApiError } from '../../core/api/envelope.js';
import type { CommandHandlers } from './api-server.js';

type Handled = 'receipt.print' | 'report.print';

export function receiptHandlers(): Pick<CommandHandlers, Handled> {
  const unavailable = (): never => {
    throw new ApiError('runtime_unavailable', 'not built yet');
  };
  return { 'receipt.print': unavailable, 'report.print': unavailable } as Pick<CommandHandlers, Handled>;
}
