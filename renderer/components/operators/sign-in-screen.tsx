// What the terminal shows while nobody is signed in: the sign-in (signed out) or the lock screen
// (locked: the same operator resumes, or "Switch operator" lets another sign in afresh). The
// counter's screens stay hidden until someone is signed in; the status bar above still offers
// the language and the terminal's details.
import { useContext, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { OperatorIdentity, OperatorSession } from '../../../core/api/operators.js';
import type { ApiClient } from '../../api-client.js';
import { FocusHomeContext } from '../../hooks/focus-home.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { OperatorAuth } from './operator-auth.js';
import { captureTimeoutMs } from './person-wait.js';

export interface SignInScreenProps {
  client: ApiClient;
  session: OperatorSession;
  operators: readonly OperatorIdentity[];
  simulator: boolean;
  onSignedIn(session: OperatorSession): void;
}

export function SignInScreen({ client, session, operators, simulator, onSignedIn }: SignInScreenProps) {
  const i18n = useI18n();
  const [switching, setSwitching] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusHome = useContext(FocusHomeContext);
  focusHome.current = () => headingRef.current;
  const locked = session.state === 'locked' && session.operator !== null && !switching;
  useLayoutEffect(() => {
    const active = document.activeElement;
    if (active === null || active === document.body || !active.isConnected) headingRef.current?.focus();
  }, [locked]);

  const lockedOperator = locked ? session.operator : null;
  return (
    <section class="sign-in-screen" aria-labelledby="sign-in-title" data-testid={locked ? 'lock-screen' : 'sign-in-screen'} data-state={session.state}>
      <div class="sign-in-head">
        <h2 id="sign-in-title" ref={headingRef} tabIndex={-1}>
          {i18n.t(locked ? 'lock.title' : 'signIn.title')}
        </h2>
        {lockedOperator ? (
          <p data-testid="lock-operator" data-operator-id={lockedOperator.id}>
            {i18n.rich('lock.lockedBy', { name: <bdi data-i18n-exempt>{lockedOperator.name}</bdi>, role: i18n.t(`role.${lockedOperator.role}`) })} {i18n.t('lock.resume')}
          </p>
        ) : null}
        {locked ? (
          <button type="button" data-testid="lock-switch" onClick={() => setSwitching(true)}>
            {i18n.t('lock.switch')}
          </button>
        ) : null}
      </div>
      <OperatorAuth
        key={locked ? 'resume' : 'sign-in'}
        client={client}
        simulator={simulator}
        fingerprint={session.fingerprint.available ? () => client.call('session.fingerprint', {}, captureTimeoutMs) : null}
        pin={(operatorId, pin) => client.call('session.pin', { operatorId, pin })}
        candidates={lockedOperator ? [lockedOperator] : operators}
        pinAllowed={session.pinAllowed}
        onSignedIn={(next) => {
          setSwitching(false);
          onSignedIn(next);
        }}
        testId="sign-in-auth"
      />
    </section>
  );
}
