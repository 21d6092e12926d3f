// Simulator mode only: the virtual fingers the simulated fingerprint reader knows, so a demo user
// can sign in as the demo operators (and enrol). A finger pressed here is placed on the reader
// and lifted again after the next capture that saw it (liftKey changes) or after a while, so a
// finger left behind never signs someone in again after they sign out. A panel that leaves
// (the dialog it sat in closed) lifts its finger too.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CommandResult } from '../../../core/api/contract.js';
import type { ApiClient } from '../../api-client.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { keepFocusOnPointerDown } from '../keep-focus.js';

type SimFinger = CommandResult<'sim.fingers'>[number];

/** The first fingers only: the demo operators' and a few spare ones fit a kiosk's corner. */
const shownFingers = 4;
/** A finger nobody captured is lifted after this long. */
const liftAfterMs = 15_000;

export function SimFingerPanel({ client, liftKey }: { client: ApiClient; liftKey: string | number }) {
  const i18n = useI18n();
  const [fingers, setFingers] = useState<SimFinger[] | null>(null);
  const [placed, setPlaced] = useState<number | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const placedRef = useRef<number | null>(null);
  placedRef.current = placed;

  useEffect(() => {
    let alive = true;
    client.call('sim.fingers', {}).then(
      (next) => alive && setFingers(next),
      (error: unknown) => alive && setFailure(error),
    );
    return () => {
      alive = false;
    };
  }, [client]);

  const place = (fingerIndex: number | null): void => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = fingerIndex === null ? null : setTimeout(() => place(null), liftAfterMs);
    setFailure(null);
    setPlaced(fingerIndex);
    client.call('sim.placeFinger', { fingerIndex }).then(
      () => undefined,
      (error: unknown) => setFailure(error),
    );
  };
  useEffect(() => {
    if (placed !== null) place(null);
  }, [liftKey]);
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
      if (placedRef.current !== null) client.call('sim.placeFinger', { fingerIndex: null }).then(() => undefined, () => undefined);
    },
    [],
  );

  return (
    <section class="sim-fingers" aria-labelledby="sim-fingers-title" data-testid="sim-fingers">
      <h2 id="sim-fingers-title">{i18n.t('simFinger.title')}</h2>
      <div class="sim-finger-list">
        {(fingers ?? []).slice(0, shownFingers).map((finger) => (
          <button
            key={finger.fingerIndex}
            type="button"
            data-testid={`sim-finger-${finger.fingerIndex}`}
            aria-pressed={placed === finger.fingerIndex}
            onMouseDown={keepFocusOnPointerDown}
            onClick={() => place(finger.fingerIndex)}
          >
            {i18n.t('simFinger.finger', { number: i18n.number(finger.fingerIndex + 1) })}
          </button>
        ))}
        <button type="button" data-testid="sim-finger-lift" aria-disabled={placed === null} onMouseDown={keepFocusOnPointerDown} onClick={() => placed !== null && place(null)}>
          {i18n.t('simFinger.lift')}
        </button>
      </div>
      {failure ? (
        <p class="sim-error" role="alert" data-testid="sim-finger-error">
          {i18n.t('error.simFinger', { reason: i18n.errorReason(failure) })}
        </p>
      ) : null}
    </section>
  );
}
