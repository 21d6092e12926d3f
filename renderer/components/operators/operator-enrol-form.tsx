// Enrolling an operator: name, role, the PIN twice and, if chosen, a fingerprint captured twice
// on the reader (its steps said as the runtime reports them). The form makes one client id when
// it opens and sends it with every retry, so a double press never enrols twice.
import { useRef, useState } from 'preact/hooks';
import { operatorPinSchema, type OperatorSummary } from '../../../core/api/operators.js';
import { operatorRoles, type OperatorRole } from '../../../core/operators/roles.js';
import type { ApiClient } from '../../api-client.js';
import { newClientId } from '../../client-id.js';
import type { EnrolStep } from '../../hooks/use-operators.js';
import type { MessageKey } from '../../i18n/catalogues.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { EnrolSteps } from './enrol-steps.js';
import { enrolTimeoutMs } from './person-wait.js';
import { PinFields } from './pin-fields.js';

export interface OperatorEnrolFormProps {
  client: ApiClient;
  simulator: boolean;
  steps: Readonly<Record<string, EnrolStep>>;
  onEnrolled(operator: OperatorSummary): void;
  onCancel(): void;
}

export function OperatorEnrolForm({ client, simulator, steps, onEnrolled, onCancel }: OperatorEnrolFormProps) {
  const i18n = useI18n();
  const [name, setName] = useState('');
  const [role, setRole] = useState<OperatorRole>('cashier');
  const [pin, setPin] = useState('');
  const [pinAgain, setPinAgain] = useState('');
  const [fingerprint, setFingerprint] = useState(true);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<string | null>(null);
  const clientId = useRef(newClientId());

  const problem = (): MessageKey | null => {
    if (name.trim() === '') return 'setup.nameMissing';
    if (!operatorPinSchema.safeParse(pin).success) return 'setup.pinShape';
    return pin === pinAgain ? null : 'setup.pinMismatch';
  };
  const submit = (event: Event): void => {
    event.preventDefault();
    if (busy) return;
    const found = problem();
    if (found) return setSaid(i18n.t(found));
    setBusy(true);
    setSaid(null);
    client.call('operators.enrol', { clientId: clientId.current, name: name.trim(), role, pin, fingerprint }, enrolTimeoutMs).then(
      (operator) => {
        setPin('');
        setPinAgain('');
        onEnrolled(operator);
      },
      (failure: unknown) => {
        setBusy(false);
        setSaid(i18n.t('error.operatorAction', { reason: i18n.errorReason(failure) }));
      },
    );
  };

  return (
    <form class="operator-form" aria-labelledby="enrol-title" data-testid="operator-enrol-form" data-own-keys onSubmit={submit}>
      <h3 id="enrol-title">{i18n.t('operators.enrol')}</h3>
      <label>
        <span>{i18n.t('operators.name')}</span>
        <input data-testid="operator-name" autocomplete="off" value={name} onInput={(event) => setName(event.currentTarget.value)} />
      </label>
      <label>
        <span>{i18n.t('operators.role')}</span>
        <select data-testid="operator-role" value={role} onChange={(event) => setRole(event.currentTarget.value as OperatorRole)}>
          {operatorRoles.map((option) => (
            <option key={option} value={option}>
              {i18n.t(`role.${option}`)}
            </option>
          ))}
        </select>
      </label>
      <PinFields pin={pin} pinAgain={pinAgain} onPin={setPin} onPinAgain={setPinAgain} />
      <label class="check">
        <input type="checkbox" data-testid="operator-with-fingerprint" checked={fingerprint} onChange={(event) => setFingerprint(event.currentTarget.checked)} />
        <span>{i18n.t('operators.withFingerprint')}</span>
      </label>
      {busy && fingerprint ? <EnrolSteps client={client} step={steps[clientId.current]} simulator={simulator} /> : null}
      {said ? (
        <p class="field-message" role="alert" data-testid="operator-form-said">
          {said}
        </p>
      ) : null}
      <div class="confirm-actions">
        <button type="submit" class="primary" data-testid="operator-enrol-save" aria-busy={busy}>
          {i18n.t(busy ? 'operators.busy' : 'operators.save')}
        </button>
        <button type="button" data-testid="operator-enrol-cancel" aria-disabled={busy} onClick={() => !busy && onCancel()}>
          {i18n.t('operators.cancel')}
        </button>
      </div>
    </form>
  );
}
