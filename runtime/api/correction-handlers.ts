// Placeholder while this part is being built in this change: answers runtime_unavailable by name.
import { ApiError } from '../../core/api/envelope.js';
import type { CommandHandlers } from './api-server.js';

type Handled = 'refund.start' | 'void.start' | 'journal.detail';

export function correctionHandlers(): Pick<CommandHandlers, Handled> {
  const unavailable = (): never => {
    throw new ApiError('runtime_unavailable', 'not built yet');
  };
  return { 'refund.start': unavailable, 'void.start': unavailable, 'journal.detail': unavailable } as Pick<CommandHandlers, Handled>;
}
