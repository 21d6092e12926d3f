// The journal's rows, newest first: time, kind, amount with its currency, the masked card and the
// sync state in words. Each row is one button that opens the payment it belongs to (a refund, a
// void or a reversal opens the payment it refers to). The list scrolls inside itself; the page
// never does. "Show more" continues with the cursor.
import type { JournalEntry } from '../../core/api/journal.js';
import type { JournalPage } from '../hooks/use-journal.js';
import { useI18n } from '../i18n/i18n-context.js';
import { LtrText } from './ltr-text.js';
import { Money } from './money.js';
import { SyncStateLabel, syncStateOf } from './sync-state-label.js';

export interface JournalListProps {
  page: JournalPage;
  showDate: boolean;
  onOpen(paymentId: string): void;
}

/** The payment a row belongs to: itself, or the one it refers to. */
export function paymentOf(entry: JournalEntry): string {
  return entry.kind === 'payment' || entry.referencesId === null ? entry.id : entry.referencesId;
}

function Row({ entry, showDate, onOpen }: { entry: JournalEntry; showDate: boolean; onOpen(paymentId: string): void }) {
  const i18n = useI18n();
  const syncState = syncStateOf(entry.state);
  return (
    <li>
      <button
        type="button"
        class="journal-row"
        data-testid="journal-row"
        data-id={entry.id}
        data-kind={entry.kind}
        data-state={entry.state}
        data-sync-state={syncState}
        data-amount-minor={entry.amountMinor}
        data-references-id={entry.referencesId ?? undefined}
        onClick={() => onOpen(paymentOf(entry))}
      >
        <bdi class="cell-time" data-i18n-exempt>
          {showDate ? i18n.dateTime(entry.createdAtMs) : i18n.time(entry.createdAtMs)}
        </bdi>
        <span class="cell-kind">{i18n.t(`kind.${entry.kind}`)}</span>
        <span class="cell-amount">
          <Money amountMinor={BigInt(entry.amountMinor)} currency={entry.currency} />
        </span>
        <span class="cell-card">{entry.card ? <LtrText>{entry.card.panMasked}</LtrText> : i18n.t('journal.noCard')}</span>
        <span class="cell-state">
          <SyncStateLabel state={syncState} />
        </span>
      </button>
    </li>
  );
}

export function JournalList({ page, showDate, onOpen }: JournalListProps) {
  const i18n = useI18n();
  return (
    <div class="journal-list" data-testid="journal-list" data-count={page.entries.length} data-loading={page.loading} aria-busy={page.loading}>
      <div class="journal-columns" aria-hidden="true">
        <span>{i18n.t('journal.column.time')}</span>
        <span>{i18n.t('journal.column.kind')}</span>
        <span class="cell-amount">{i18n.t('journal.column.amount')}</span>
        <span>{i18n.t('journal.column.card')}</span>
        <span>{i18n.t('journal.column.state')}</span>
      </div>
      <div class="journal-scroll">
        {page.entries.length === 0 && !page.loading ? (
          <p class="placeholder" data-testid="journal-empty">
            {i18n.t('journal.empty')}
          </p>
        ) : null}
        <ul class="journal-rows" aria-label={i18n.t('journal.list.label')}>
          {page.entries.map((entry) => (
            <Row key={entry.id} entry={entry} showDate={showDate} onOpen={onOpen} />
          ))}
        </ul>
        {page.nextCursor ? (
          <button type="button" class="journal-more" data-testid="journal-more" aria-disabled={page.loading} onClick={page.loadMore}>
            {i18n.t('journal.more')}
          </button>
        ) : null}
      </div>
    </div>
  );
}
