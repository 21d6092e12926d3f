// The terminal-wide operator session: read with session.get whenever the runtime (re)connects,
// then kept current by session.changed events (use-pushed-value.ts) (the runtime sends every change, whichever
// connection caused it). Activity the runtime cannot see, a key or a touch on this screen, is
// reported with session.touch, at most once per touchIntervalMs, so the idle lock counts it
// without a call per keystroke.
import { useEffect, useRef } from 'preact/hooks';
import type { OperatorSession } from '../../core/api/operators.js';
import type { ApiClient } from '../api-client.js';
import { usePushedValue } from './use-pushed-value.js';

const touchIntervalMs = 20_000;

export interface SessionState {
  session: OperatorSession | null;
  error: unknown;
  /** Takes a session a call answered with (sign-in, lock), before its event arrives. */
  adopt(session: OperatorSession): void;
}

export function useSession(client: ApiClient, connected: boolean): SessionState {
  const { value: session, error, adopt } = usePushedValue(client, connected, 'session.changed');
  const signedIn = useRef(false);
  signedIn.current = session?.state === 'signed_in';

  useEffect(() => {
    let lastTouchMs = 0;
    const onActivity = (): void => {
      // The screen's own clock, only to space the touches; the runtime keeps the real times.
      const nowMs = performance.now();
      if (!signedIn.current || nowMs - lastTouchMs < touchIntervalMs) return;
      lastTouchMs = nowMs;
      client.call('session.touch', {}).then(
        () => undefined,
        () => undefined,
      );
    };
    window.addEventListener('keydown', onActivity, true);
    window.addEventListener('pointerdown', onActivity, true);
    return () => {
      window.removeEventListener('keydown', onActivity, true);
      window.removeEventListener('pointerdown', onActivity, true);
    };
  }, [client]);

  return { session, error, adopt };
}
