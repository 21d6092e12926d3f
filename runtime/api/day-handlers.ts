// Placeholder while this part is being built in this change: answers runtime_unavailable by name.
import { ApiError } from '../../core/api/envelope.js';
import type { CommandHandlers } from './api-server.js';

type Handled = 'day.report' | 'day.close' | 'day.list';

export function dayHandlers(): Pick<CommandHandlers, Handled> {
  const unavailable = (): never => {
    throw new ApiError('runtime_unavailable', 'not built yet');
  };
  return { 'day.report': unavailable, 'day.close': unavailable, 'day.list': unavailable } as Pick<CommandHandlers, Handled>;
}
