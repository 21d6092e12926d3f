// A value the runtime owns and pushes: read with its get command whenever the runtime
// (re)connects, then kept current by its change event, never by polling. The error is kept as
// the failure itself, so a banner says it in whatever language is on screen when it is drawn.
import { useEffect, useState } from 'preact/hooks';
import type { EventPayload } from '../../core/api/contract.js';
import type { ApiClient } from '../api-client.js';

/** Each pushed value's event and the command that reads it (no params, answered with what the event carries). */
const readers = { 'status.changed': 'status.get', 'session.changed': 'session.get' } as const;
type PushedEvent = keyof typeof readers;

export interface PushedValue<Value> {
  value: Value | null;
  error: unknown;
  /** Takes a value a call answered with, before its event arrives. */
  adopt(value: Value): void;
}

export function usePushedValue<Event extends PushedEvent>(client: ApiClient, connected: boolean, event: Event): PushedValue<EventPayload<Event>> {
  const [value, setValue] = useState<EventPayload<Event> | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(
    () =>
      client.on(event, (next) => {
        setValue(next);
        setError(null);
      }),
    [client, event],
  );

  useEffect(() => {
    if (!connected) return;
    let alive = true;
    // Both readers take no params; the union of their names loses that to the type checker.
    const read: 'status.get' | 'session.get' = readers[event];
    const answer = read === 'status.get' ? client.call(read, {}) : client.call(read, {});
    answer.then(
      (next) => {
        if (!alive) return;
        setValue(next as EventPayload<Event>);
        setError(null);
      },
      (failure: unknown) => {
        if (alive) setError(failure);
      },
    );
    return () => {
      alive = false;
    };
  }, [client, connected, event]);

  return { value, error, adopt: setValue };
}
