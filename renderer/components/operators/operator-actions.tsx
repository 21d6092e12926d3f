// What may be done to one operator, each only with its permission: enrol a fingerprint, set a
// new PIN, remove (asked once more) with enrol_operators; lift a lockout with unlock_operators.
// Each answer is said by the operator's name; the list is read again after it.
import { useState } from 'preact/hooks';
import type { OperatorSummary } from '../../../core/api/operators.js';
import type { ApiClient } from '../../api-client.js';
import type { EnrolStep } from '../../hooks/use-operators.js';
import { useCan } from '../../hooks/session-context.js';
import { useGuard } from '../../hooks/use-guarded-call.js';
import type { MessageKey } from '../../i18n/catalogues.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { EnrolSteps } from './enrol-steps.js';
import { enrolTimeoutMs } from './person-wait.js';
import { PinFields } from './pin-fields.js';

type Panel = 'actions' | 'pin' | 'remove' | 'fingerprint';

export interface OperatorActionsProps {
  client: ApiClient;
  simulator: boolean;
  operator: OperatorSummary;
  steps: Readonly<Record<string, EnrolStep>>;
  onChanged(): void;
}

export function OperatorActions({ client, simulator, operator, steps, onChanged }: OperatorActionsProps) {
  const i18n = useI18n();
  const can = useCan();
  const guard = useGuard();
  const [panel, setPanel] = useState<Panel>('actions');
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ text: string; ok: boolean } | null>(null);
  const [pin, setPin] = useState('');
  const [pinAgain, setPinAgain] = useState('');
  const name = operator.name;

  const run = (action: () => Promise<unknown>, done: (answer: unknown) => MessageKey, next: Panel = 'actions'): void => {
    if (busy) return;
    setBusy(true);
    setSaid(null);
    guard(action)
      .then(
        (answer) => {
          setSaid({ text: i18n.t(done(answer), { name }), ok: true });
          setPanel(next);
          onChanged();
        },
        (failure: unknown) => setSaid({ text: i18n.t('error.operatorAction', { reason: i18n.errorReason(failure) }), ok: false }),
      )
      .finally(() => {
        setBusy(false);
        setPin('');
        setPinAgain('');
      });
  };
  const savePin = (event: Event): void => {
    event.preventDefault();
    if (pin.length < 4 || pin !== pinAgain) return setSaid({ text: i18n.t(pin === pinAgain ? 'setup.pinShape' : 'setup.pinMismatch'), ok: false });
    run(() => client.call('operators.setPin', { operatorId: operator.id, pin }), () => 'operators.done.pinSet');
  };

  return (
    <div class="operator-actions" data-testid="operator-actions" data-operator-id={operator.id}>
      {panel === 'actions' ? (
        <div class="action-list">
          {can('enrol_operators') ? (
            <button type="button" data-testid="operator-enrol-fingerprint" aria-busy={busy} onClick={() => {
                setPanel('fingerprint');
                run(() => client.call('operators.enrolFingerprint', { operatorId: operator.id }, enrolTimeoutMs), () => 'operators.done.fingerprint');
              }}>
              {i18n.t('operators.enrolFingerprint')}
            </button>
          ) : null}
          {can('enrol_operators') ? (
            <button type="button" data-testid="operator-set-pin" onClick={() => setPanel('pin')}>
              {i18n.t('operators.setPin')}
            </button>
          ) : null}
          {can('unlock_operators') && operator.lockedOut ? (
            <button type="button" data-testid="operator-unlock" aria-busy={busy} onClick={() => run(() => client.call('operators.unlock', { operatorId: operator.id }), () => 'operators.done.unlocked')}>
              {i18n.t('operators.unlock')}
            </button>
          ) : null}
          {can('enrol_operators') ? (
            <button type="button" class="danger" data-testid="operator-remove" onClick={() => setPanel('remove')}>
              {i18n.t('operators.remove')}
            </button>
          ) : null}
        </div>
      ) : null}
      {panel === 'fingerprint' && busy ? <EnrolSteps client={client} step={steps[operator.id]} simulator={simulator} /> : null}
      {panel === 'pin' ? (
        <form class="operator-form" data-own-keys data-testid="operator-pin-form" onSubmit={savePin}>
          <PinFields pin={pin} pinAgain={pinAgain} onPin={setPin} onPinAgain={setPinAgain} />
          <div class="confirm-actions">
            <button type="submit" class="primary" data-testid="operator-pin-save" aria-busy={busy}>
              {i18n.t('operators.savePin')}
            </button>
            <button type="button" data-testid="operator-pin-cancel" onClick={() => setPanel('actions')}>
              {i18n.t('operators.cancel')}
            </button>
          </div>
        </form>
      ) : null}
      {panel === 'remove' ? (
        <div class="confirm" role="group" aria-labelledby="remove-question">
          <p id="remove-question">{i18n.rich('operators.removeQuestion', { name: <bdi data-i18n-exempt>{name}</bdi> })}</p>
          <div class="confirm-actions">
            <button type="button" class="danger" data-testid="operator-remove-confirm" aria-busy={busy} onClick={() => run(() => client.call('operators.remove', { operatorId: operator.id }), (answer) => ((answer as { removed: boolean }).removed ? 'operators.done.removed' : 'operators.done.notRemoved'))}>
              {i18n.t('operators.removeYes')}
            </button>
            <button type="button" data-testid="operator-remove-keep" onClick={() => setPanel('actions')}>
              {i18n.t('operators.keep')}
            </button>
          </div>
        </div>
      ) : null}
      {said ? (
        <p class={`field-message${said.ok ? ' ok' : ''}`} role={said.ok ? 'status' : 'alert'} data-testid="operator-said" data-ok={said.ok}>
          {said.text}
        </p>
      ) : null}
    </div>
  );
}
