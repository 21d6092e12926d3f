// What waits to sync, per currency, as a list of amounts (no separators in the text: the list's
// layout separates them, so nothing untranslated sits between the amounts).
import type { SyncStatus } from '../../core/api/status.js';
import { isCurrencyCode, type CurrencyCode } from '../../core/currency.js';
import { Money } from './money.js';

export function backlogEntries(sync: SyncStatus): [CurrencyCode, bigint][] {
  return Object.entries(sync.unsyncedAmountsMinor)
    .filter((entry): entry is [CurrencyCode, string] => isCurrencyCode(entry[0]))
    .map(([code, amount]) => [code, BigInt(amount)]);
}

export function BacklogAmounts({ sync }: { sync: SyncStatus }) {
  const entries = backlogEntries(sync);
  if (entries.length === 0) return null;
  return (
    <ul class="inline-list">
      {entries.map(([code, amountMinor]) => (
        <li key={code} data-testid="backlog-currency" data-currency={code}>
          <Money amountMinor={amountMinor} currency={code} />
        </li>
      ))}
    </ul>
  );
}
