// Waiting for a finger: while active, the capture call (sign-in, re-authentication or override
// by fingerprint) is made again and again; the runtime answers each after one capture or its
// reader's deadline. "No finger" simply waits again; any other answer is handed to the screen,
// and the loop stops once someone is signed in or the reader is gone. `answers` counts the
// captures that saw a finger, so the simulator's panel knows when to lift its virtual finger.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AuthResult } from '../../core/api/operators.js';

/** A pause after a capture that saw a finger, so the finger is lifted before the next one. */
const pauseAfterCaptureMs = 800;
const pauseAfterFailureMs = 2000;

export function useFingerprintLoop(active: boolean, capture: () => Promise<AuthResult>, onAnswer: (result: AuthResult) => void, onFailure: (failure: unknown) => void): number {
  const [answers, setAnswers] = useState(0);
  const handlers = useRef({ capture, onAnswer, onFailure });
  handlers.current = { capture, onAnswer, onFailure };

  useEffect(() => {
    if (!active) return;
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const next = (delayMs: number): void => {
      timer = setTimeout(run, delayMs);
    };
    const run = (): void => {
      if (!alive) return;
      handlers.current.capture().then(
        (result) => {
          if (!alive) return;
          if (result.outcome === 'no_finger') return next(0);
          setAnswers((count) => count + 1);
          handlers.current.onAnswer(result);
          if (result.outcome !== 'signed_in' && result.outcome !== 'reader_unavailable') next(pauseAfterCaptureMs);
        },
        (failure: unknown) => {
          if (!alive) return;
          handlers.current.onFailure(failure);
          next(pauseAfterFailureMs);
        },
      );
    };
    run();
    return () => {
      alive = false;
      if (timer !== null) clearTimeout(timer);
    };
  }, [active]);

  return answers;
}
