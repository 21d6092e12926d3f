// The signed-in operator on the status bar: name and role on a button that opens Lock (the same
// operator resumes) and Sign out, so the narrow bar keeps room for the link's state. Both are
// public commands; the lock or sign-in screen follows from session.changed.
import { useState } from 'preact/hooks';
import type { OperatorSession } from '../../../core/api/operators.js';
import type { ApiClient } from '../../api-client.js';
import { useI18n } from '../../i18n/i18n-context.js';

export function SessionControls({ client, session, onSession }: { client: ApiClient; session: OperatorSession; onSession(session: OperatorSession): void }) {
  const i18n = useI18n();
  const [open, setOpen] = useState(false);
  const [failure, setFailure] = useState<{ key: 'error.lock' | 'error.signOut'; failure: unknown } | null>(null);
  const operator = session.operator;
  if (session.state !== 'signed_in' || operator === null) return null;
  const run = (method: 'session.lock' | 'session.signOut', key: 'error.lock' | 'error.signOut'): void => {
    setFailure(null);
    setOpen(false);
    client.call(method, {}).then(onSession, (error: unknown) => setFailure({ key, failure: error }));
  };
  return (
    <div class="session-controls" role="group" aria-label={i18n.t('session.label')} data-testid="session-controls" data-operator-id={operator.id} data-role={operator.role}>
      <button type="button" class="session-operator" data-testid="session-operator" aria-expanded={open} aria-controls="session-menu" onClick={() => setOpen(!open)}>
        {i18n.rich('session.operator', { name: <bdi data-i18n-exempt>{operator.name}</bdi>, role: i18n.t(`role.${operator.role}`) })}
      </button>
      {open || failure ? (
        <div class="session-menu" id="session-menu" data-testid="session-menu">
      <button type="button" data-testid="session-lock" onClick={() => run('session.lock', 'error.lock')}>
        {i18n.t('session.lock')}
      </button>
      <button type="button" data-testid="session-sign-out" onClick={() => run('session.signOut', 'error.signOut')}>
        {i18n.t('session.signOut')}
      </button>
      {failure ? (
        <p class="session-error" role="alert" data-testid="session-error">
          {i18n.t(failure.key, { reason: i18n.errorReason(failure.failure) })}
        </p>
      ) : null}
        </div>
      ) : null}
    </div>
  );
}
