// A transaction's sync state in words, with a coloured dot beside it (colour is never the only
// signal): pending until central decides, settled, rejected (its reversal posted), reversed
// (voided or reversed afterwards) or a local entry (settlement and reversal mirrors).
import type { syncStates } from '../../core/api/corrections.js';
import type { TransactionState } from '../../core/ledger/transaction.js';
import { useI18n } from '../i18n/i18n-context.js';

export type SyncState = (typeof syncStates)[number];

/** What a transaction's own state says of its sync, before anything refers to it. */
export function syncStateOf(state: TransactionState): SyncState {
  if (state === 'approved_offline' || state === 'approved_online') return 'pending';
  if (state === 'posted') return 'local';
  return state;
}

const tones: Record<SyncState, string> = { pending: 'pending', settled: 'good', reversed: 'bad', rejected: 'bad', local: 'neutral' };

export function SyncStateLabel({ state, testId }: { state: SyncState; testId?: string }) {
  const i18n = useI18n();
  return (
    <span class={`sync-state tone-${tones[state]}`} data-testid={testId} data-sync-state={state}>
      <span class="dot" aria-hidden="true" />
      {i18n.t(`syncState.${state}`)}
    </span>
  );
}
