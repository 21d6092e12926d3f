// Who may sign in here (session.operators: names and roles only), read again whenever the
// session changes state, since an enrolment or removal happens while someone is signed in.
import { useEffect, useState } from 'preact/hooks';
import type { OperatorIdentity, OperatorSession } from '../../core/api/operators.js';
import type { ApiClient } from '../api-client.js';

export function useSignInOperators(client: ApiClient, connected: boolean, session: OperatorSession | null): OperatorIdentity[] {
  const [operators, setOperators] = useState<OperatorIdentity[]>([]);
  const key = `${session?.state ?? ''}-${session?.operator?.id ?? ''}-${session?.signedInAtMs ?? ''}`;
  useEffect(() => {
    if (!connected || session === null || session.state === 'setup_required') return;
    let alive = true;
    client.call('session.operators', {}).then(
      (next) => {
        if (alive) setOperators(next);
      },
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [client, connected, key]);
  return operators;
}
