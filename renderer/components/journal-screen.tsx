// The journal screen: the day's transactions by default (today in the terminal's time zone),
// filters, and a search box that takes a payment id. The search box holds the focus when the
// screen opens, so a keyboard-wedge QR scanner pointed at a receipt types the payment id and its
// Enter opens that payment's detail; keys typed while the focus is elsewhere on the screen go to
// the box too. Escape leaves the detail for the list, and the list for the counter. Both are
// read again when central decides something, so sync states change on screen as they happen.
import { useContext, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ulidPattern } from '../../core/ids.js';
import type { ApiClient } from '../api-client.js';
import { FocusHomeContext, restoreLostFocus } from '../hooks/focus-home.js';
import { latinDigit } from '../hooks/use-counter-keys.js';
import { defaultFilters, useJournal, type JournalFilters } from '../hooks/use-journal.js';
import { useScreenEscape } from '../hooks/use-screen-escape.js';
import { useI18n } from '../i18n/i18n-context.js';
import { JournalFiltersBar } from './journal-filters.js';
import { JournalList } from './journal-list.js';
import { NoticeBanner } from './notice-banner.js';
import { PaymentDetailView } from './payment-detail.js';

/** A payment id found in what was typed or scanned: Persian digits and lower case are taken. */
export function paymentIdIn(text: string): string | null {
  const normalised = Array.from(text, (character) => latinDigit(character) ?? character)
    .join('')
    .toUpperCase()
    .replace(/[\s-]/g, '');
  const found = /[0-9A-HJKMNP-TV-Z]{26}/.exec(normalised)?.[0] ?? null;
  return found && ulidPattern.test(found) ? found : null;
}

export interface JournalScreenProps {
  client: ApiClient;
  connected: boolean;
  /** Changes whenever central decides something (the terminal's unsynced count moves). */
  syncKey: string;
  onHome(): void;
}

export function JournalScreen({ client, connected, syncKey, onHome }: JournalScreenProps) {
  const i18n = useI18n();
  const [filters, setFilters] = useState<JournalFilters>(defaultFilters);
  const [openId, setOpenId] = useState<string | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);
  const [searchInvalid, setSearchInvalid] = useState(false);
  const nowMs = useRef(Date.now());
  const page = useJournal(client, connected, filters, i18n.timeZone, `${refreshKey}:${syncKey}`);
  const searchRef = useRef<HTMLInputElement>(null);
  const detailHeadingRef = useRef<HTMLHeadingElement>(null);
  const focusHome = useContext(FocusHomeContext);
  focusHome.current = () => (openId ? detailHeadingRef.current : searchRef.current) ?? searchRef.current;

  useLayoutEffect(() => {
    if (openId) detailHeadingRef.current?.focus();
    else searchRef.current?.focus();
  }, [openId]);
  useEffect(() => restoreLostFocus(focusHome));

  const closeDetail = (): void => {
    setOpenId(null);
    setRefreshKey((key) => key + 1);
  };
  useScreenEscape(() => (openId ? closeDetail() : onHome()));

  // A scanner types wherever the focus is: printable keys outside a field go to the search box.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.key.length !== 1) return;
      const target = event.target instanceof Element ? event.target : null;
      if (target?.closest('input, select, textarea, dialog, [data-own-keys]') || document.querySelector('dialog[open]')) return;
      searchRef.current?.focus();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const search = (event: Event): void => {
    event.preventDefault();
    const input = searchRef.current;
    if (!input) return;
    if (input.value.trim() === '') return;
    const id = paymentIdIn(input.value);
    setSearchInvalid(id === null);
    if (id === null) return;
    input.value = '';
    setOpenId(id);
  };

  return (
    <section class="journal-screen" aria-labelledby="journal-title" data-testid="journal-screen">
      <div class="screen-head">
        <h2 id="journal-title">{i18n.t('journal.title')}</h2>
        <form class="journal-search" role="search" onSubmit={search}>
          <input
            ref={searchRef}
            type="search"
            data-testid="journal-search"
            dir="ltr"
            autoComplete="off"
            spellcheck={false}
            aria-label={i18n.t('journal.search.label')}
            aria-invalid={searchInvalid}
            aria-describedby={searchInvalid ? 'journal-search-message' : undefined}
            placeholder={i18n.t('journal.search.placeholder')}
            onInput={() => setSearchInvalid(false)}
          />
          <button type="submit" data-testid="journal-search-open">
            {i18n.t('journal.search.open')}
          </button>
        </form>
      </div>
      {searchInvalid ? (
        <p id="journal-search-message" class="field-message" role="alert" data-testid="journal-search-message">
          {i18n.t('journal.search.invalid')}
        </p>
      ) : null}
      {openId ? (
        <PaymentDetailView client={client} connected={connected} syncKey={syncKey} paymentId={openId} headingRef={detailHeadingRef} onBack={closeDetail} />
      ) : (
        <>
          <JournalFiltersBar filters={filters} nowMs={nowMs.current} onChange={setFilters} />
          {page.error ? <NoticeBanner tone="error" testId="journal-error" text={i18n.t('error.journal', { reason: i18n.errorReason(page.error) })} /> : null}
          <JournalList page={page} showDate={filters.period === 'week' || filters.period === 'range'} onOpen={setOpenId} />
        </>
      )}
    </section>
  );
}
