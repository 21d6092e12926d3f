// Simulator mode only: the virtual DevPay cards the merchant can tap on the simulated reader,
// each with its home currency and its application transaction counter (ATC), a clone tap (a
// skimmed copy with the same key and counter) and card removal. The list is read again whenever
// refreshKey changes (after each payment), since every tap moves a card's ATC.
import { useEffect, useState } from 'preact/hooks';
import type { CommandResult } from '../../core/api/contract.js';
import type { ApiClient } from '../api-client.js';

type SimCard = CommandResult<'sim.cards'>[number];

export function SimCardPanel({ client, refreshKey }: { client: ApiClient; refreshKey: string }) {
  const [cards, setCards] = useState<SimCard[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** Bumped by the Refresh button, so a list that failed to load can be asked for again. */
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let alive = true;
    client.call('sim.cards', {}).then(
      (next) => {
        if (!alive) return;
        setCards(next);
        setError(null);
      },
      (failure: Error) => {
        if (alive) setError(`Could not list the simulator's cards: ${failure.message}`);
      },
    );
    return () => {
      alive = false;
    };
  }, [client, refreshKey, reloads]);

  const tap = (cardIndex: number, clone: boolean): void => {
    setNotice(null);
    setError(null);
    client.call('sim.tap', clone ? { cardIndex, clone: true } : { cardIndex }).then(
      ({ tapped }) => setNotice(tapped ? null : 'The simulated reader did not take the tap'),
      (failure: Error) => setError(`Tap failed: ${failure.message}`),
    );
  };

  const remove = (): void => {
    setNotice(null);
    setError(null);
    client.call('sim.removeCard', {}).then(
      ({ removed }) => setNotice(removed ? 'Card removed from the reader' : 'No card was on the reader'),
      (failure: Error) => setError(`Remove failed: ${failure.message}`),
    );
  };

  return (
    <section class="sim-cards" aria-label="Simulated cards" data-testid="sim-cards">
      <h2>Simulated cards</h2>
      {error ? (
        <p class="sim-error" role="alert" data-testid="sim-error">
          {error}
        </p>
      ) : null}
      {notice ? (
        <p class="sim-notice" data-testid="sim-notice">
          {notice}
        </p>
      ) : null}
      {cards === null ? null : cards.length === 0 ? (
        <p class="placeholder">The simulator has no cards.</p>
      ) : (
        <ul class="sim-card-list">
          {cards.map((card) => (
            <li key={card.cardIndex} class="sim-card">
              <button
                type="button"
                class="sim-card-tap"
                data-testid={`sim-card-${card.cardIndex}`}
                data-currency={card.currency}
                data-atc={card.atc}
                onClick={() => tap(card.cardIndex, false)}
              >
                <span class="sim-card-label">{card.label}</span>
                <span class="sim-card-meta">
                  {card.currency} · ATC {card.atc}
                </span>
              </button>
              <button type="button" class="sim-card-clone" data-testid={`sim-clone-${card.cardIndex}`} onClick={() => tap(card.cardIndex, true)}>
                Tap clone
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="sim-actions">
        <button type="button" class="sim-remove" data-testid="sim-remove" onClick={remove}>
          Remove card
        </button>
        <button type="button" class="sim-refresh" data-testid="sim-refresh" onClick={() => setReloads(reloads + 1)}>
          Refresh
        </button>
      </div>
    </section>
  );
}
