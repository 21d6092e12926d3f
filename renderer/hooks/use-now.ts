// The current time, re-read every `intervalMs` while the component is on screen: for durations
// that tick (how long central has been silent) without re-rendering the rest of the app.
import { useEffect, useState } from 'preact/hooks';

export function useNow(intervalMs: number): number {
  const [nowMs, setNowMs] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNowMs(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return nowMs;
}
