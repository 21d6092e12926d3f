// The prompt a guarded command opens (hooks/use-guarded-call.ts), as a modal dialog over the
// screen. Re-authentication: the signed-in operator confirms who they are (session.reauth).
// Override: the refusal is said first, by role and permission in words; "Supervisor override"
// then lets someone who holds the permission place their finger, or pick themselves and key
// their PIN (session.override), and the command is tried again once.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { OperatorIdentity, OperatorSession } from '../../../core/api/operators.js';
import { roleHolds } from '../../../core/operators/roles.js';
import type { ApiClient } from '../../api-client.js';
import type { AuthRequest } from '../../hooks/use-guarded-call.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { OperatorAuth } from './operator-auth.js';
import { captureTimeoutMs } from './person-wait.js';

export interface AuthDialogProps {
  client: ApiClient;
  request: AuthRequest;
  session: OperatorSession | null;
  operators: readonly OperatorIdentity[];
  simulator: boolean;
  onSession(session: OperatorSession): void;
}

export function AuthDialog({ client, request, session, operators, simulator, onSession }: AuthDialogProps) {
  const i18n = useI18n();
  const [overriding, setOverriding] = useState(false);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const mainRef = useRef<HTMLButtonElement>(null);
  const { kind, permission } = request;
  const self = session?.operator ?? null;
  const fingerprintReady = session?.fingerprint.available ?? false;

  useLayoutEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    mainRef.current?.focus();
  }, []);
  const settle = (granted: boolean, next?: OperatorSession): void => {
    if (next) onSession(next);
    dialogRef.current?.close();
    request.settle(granted);
  };

  const authenticating = kind === 'reauth' || overriding;
  const supervisors = permission ? operators.filter((operator) => roleHolds(operator.role, permission) && operator.id !== self?.id) : [];
  return (
    <dialog
      ref={dialogRef}
      class="auth-dialog"
      aria-labelledby="auth-title"
      data-testid={kind === 'reauth' ? 'reauth-dialog' : 'override-dialog'}
      data-permission={permission ?? undefined}
      onCancel={(event) => {
        event.preventDefault();
        settle(false);
      }}
    >
      <div class="auth-dialog-head">
        <h2 id="auth-title">{i18n.t(kind === 'reauth' ? 'reauth.title' : overriding ? 'override.start' : 'override.title')}</h2>
        {kind === 'reauth' ? (
          <p>{i18n.t('reauth.why')}</p>
        ) : (
          <p role="alert" data-testid="override-refusal">
            {i18n.t('override.refused', { role: self ? i18n.t(`role.${self.role}`) : '', permission: i18n.t(permission ? `permission.${permission}` : 'permission.unknown') })}{' '}
            {permission && !overriding ? i18n.t('override.ask') : null}
          </p>
        )}
        <div class="confirm-actions">
          {kind === 'override' && !overriding && permission ? (
            <button type="button" class="primary" data-testid="override-start" ref={mainRef} onClick={() => setOverriding(true)}>
              {i18n.t('override.start')}
            </button>
          ) : null}
          <button type="button" data-testid="auth-cancel" ref={authenticating || !permission ? mainRef : undefined} onClick={() => settle(false)}>
            {i18n.t('auth.cancel')}
          </button>
        </div>
      </div>
      {kind === 'reauth' && self ? (
        <OperatorAuth
          client={client}
          simulator={simulator}
          fingerprint={fingerprintReady ? () => client.call('session.reauth', { method: 'fingerprint' }, captureTimeoutMs) : null}
          pin={(_operatorId, pin) => client.call('session.reauth', { method: 'pin', pin })}
          candidates={[self]}
          pinAllowed={session?.pinAllowed ?? true}
          onSignedIn={(next) => settle(true, next)}
          testId="reauth-auth"
        />
      ) : null}
      {kind === 'override' && overriding && permission ? (
        <OperatorAuth
          client={client}
          simulator={simulator}
          fingerprint={fingerprintReady ? () => client.call('session.override', { permission, supervisor: { method: 'fingerprint' } }, captureTimeoutMs) : null}
          pin={(operatorId, pin) => client.call('session.override', { permission, supervisor: { method: 'pin', operatorId, pin } })}
          candidates={supervisors}
          pinAllowed={session?.pinAllowed ?? true}
          onSignedIn={(next) => settle(true, next)}
          testId="override-auth"
        />
      ) : null}
    </dialog>
  );
}
