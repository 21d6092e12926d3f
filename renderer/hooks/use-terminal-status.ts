// The terminal's status: read with status.get whenever the runtime (re)connects, then kept
// current by status.changed events, never by polling (use-pushed-value.ts).
import type { TerminalStatus } from '../../core/api/status.js';
import type { ApiClient } from '../api-client.js';
import { usePushedValue } from './use-pushed-value.js';

export interface TerminalStatusState {
  status: TerminalStatus | null;
  error: unknown;
}

export function useTerminalStatus(client: ApiClient, connected: boolean): TerminalStatusState {
  const { value, error } = usePushedValue(client, connected, 'status.changed');
  return { status: value, error };
}
