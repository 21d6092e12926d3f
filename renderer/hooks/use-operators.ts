// The operators screen's list (operators.list) and the enrolment steps the runtime reports
// (operators.enrolStep, by enrolment id), read again after every change made from the screen.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { OperatorSummary } from '../../core/api/operators.js';
import type { ApiClient } from '../api-client.js';

export type EnrolStep = 'place_finger' | 'remove_finger' | 'place_again';

export interface OperatorsState {
  operators: OperatorSummary[] | null;
  error: unknown;
  reload(): void;
  /** The latest step of each enrolment under way, by its enrolment id. */
  steps: Readonly<Record<string, EnrolStep>>;
}

export function useOperators(client: ApiClient, connected: boolean): OperatorsState {
  const [operators, setOperators] = useState<OperatorSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reloads, setReloads] = useState(0);
  const [steps, setSteps] = useState<Record<string, EnrolStep>>({});

  useEffect(() => client.on('operators.enrolStep', ({ enrolmentId, step }) => setSteps((current) => ({ ...current, [enrolmentId]: step }))), [client]);
  useEffect(() => {
    if (!connected) return;
    let alive = true;
    client.call('operators.list', {}).then(
      (next) => {
        if (!alive) return;
        setOperators(next);
        setError(null);
      },
      (failure: unknown) => alive && setError(failure),
    );
    return () => {
      alive = false;
    };
  }, [client, connected, reloads]);

  const reload = useCallback(() => setReloads((count) => count + 1), []);
  return { operators, error, reload, steps };
}
