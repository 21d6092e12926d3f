// Simulator mode only: the virtual DevPay cards the merchant can tap on the simulated reader,
// each with its home currency and application transaction counter (ATC); "Tap a clone" makes
// the next tap a skimmed copy (same key and counter) for double-spend demos; the card can be
// removed. The list is read again whenever refreshKey changes (after each payment), since every
// tap moves a card's ATC. Compact, so it fits beside a receipt on an 800×480 screen.
import { useEffect, useState } from 'preact/hooks';
import type { CommandResult } from '../../core/api/contract.js';
import type { ApiClient } from '../api-client.js';
import type { MessageKey } from '../i18n/catalogues.js';
import { useI18n } from '../i18n/i18n-context.js';
import { keepFocusOnPointerDown } from './keep-focus.js';

type SimCard = CommandResult<'sim.cards'>[number];
type Failure = { key: MessageKey; failure: unknown };

export function SimCardPanel({ client, refreshKey }: { client: ApiClient; refreshKey: string }) {
  const i18n = useI18n();
  const [cards, setCards] = useState<SimCard[] | null>(null);
  const [error, setError] = useState<Failure | null>(null);
  const [notice, setNotice] = useState<MessageKey | null>(null);
  const [cloneMode, setCloneMode] = useState(false);
  /** Bumped by Refresh, so a list that failed to load can be asked for again. */
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let alive = true;
    client.call('sim.cards', {}).then(
      (next) => {
        if (!alive) return;
        setCards(next);
        setError(null);
      },
      (failure: unknown) => {
        if (alive) setError({ key: 'error.simCards', failure });
      },
    );
    return () => {
      alive = false;
    };
  }, [client, refreshKey, reloads]);

  const tap = (cardIndex: number): void => {
    setNotice(null);
    setError(null);
    const clone = cloneMode;
    setCloneMode(false);
    client.call('sim.tap', clone ? { cardIndex, clone: true } : { cardIndex }).then(
      ({ tapped }) => setNotice(tapped ? null : 'sim.notTapped'),
      (failure: unknown) => setError({ key: 'error.simTap', failure }),
    );
  };

  const remove = (): void => {
    setNotice(null);
    setError(null);
    client.call('sim.removeCard', {}).then(
      ({ removed }) => setNotice(removed ? 'sim.removed' : 'sim.nothingRemoved'),
      (failure: unknown) => setError({ key: 'error.simRemove', failure }),
    );
  };

  return (
    <section class="sim-cards" aria-labelledby="sim-cards-title" data-testid="sim-cards">
      <h2 id="sim-cards-title">{i18n.t('sim.title')}</h2>
      {cards === null ? null : cards.length === 0 ? (
        <p class="placeholder">{i18n.t('sim.none')}</p>
      ) : (
        <ul class="sim-card-list">
          {cards.map((card) => (
            <li key={card.cardIndex}>
              <button
                type="button"
                class="sim-card-tap"
                data-testid={`sim-card-${card.cardIndex}`}
                data-currency={card.currency}
                data-atc={card.atc}
                onMouseDown={keepFocusOnPointerDown}
                onClick={() => tap(card.cardIndex)}
              >
                <span class="sim-card-label">{i18n.t('sim.card', { number: i18n.number(card.cardIndex + 1) })}</span>
                <span class="sim-card-meta">
                  <bdi dir="ltr" data-i18n-exempt>
                    {card.currency}
                  </bdi>{' '}
                  <span>{i18n.t('sim.atc', { atc: i18n.number(card.atc, { useGrouping: false }) })}</span>
                </span>
                <span class="sim-card-meta" data-testid={`sim-card-pin-${card.cardIndex}`}>
                  {i18n.t('sim.pin', { pin: i18n.number(Number(card.pin), { useGrouping: false, minimumIntegerDigits: card.pin.length }) })}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="sim-actions">
        <button type="button" class="sim-clone" data-testid="sim-clone-mode" aria-pressed={cloneMode} onMouseDown={keepFocusOnPointerDown} onClick={() => setCloneMode(!cloneMode)}>
          {i18n.t('sim.cloneMode')}
        </button>
        <button type="button" data-testid="sim-remove" onMouseDown={keepFocusOnPointerDown} onClick={remove}>
          {i18n.t('sim.remove')}
        </button>
        <button type="button" data-testid="sim-refresh" onMouseDown={keepFocusOnPointerDown} onClick={() => setReloads(reloads + 1)}>
          {i18n.t('sim.refresh')}
        </button>
      </div>
      {error ? (
        <p class="sim-error" role="alert" data-testid="sim-error">
          {i18n.t(error.key, { reason: i18n.errorReason(error.failure) })}
        </p>
      ) : notice ? (
        <p class="sim-notice" role="status" data-testid="sim-notice">
          {i18n.t(notice)}
        </p>
      ) : null}
    </section>
  );
}
