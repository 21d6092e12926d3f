// A fresh terminal with no operator: the first administrator, created with the one-time setup
// code `devpay provision` printed, a name and the PIN typed twice (setup.createAdmin signs the
// administrator in). A wrong code says how many tries are left. The PIN fields are password
// fields whose values stay in this form's state only.
import { useContext, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { operatorPinSchema, type OperatorSession } from '../../../core/api/operators.js';
import type { ApiClient } from '../../api-client.js';
import { FocusHomeContext } from '../../hooks/focus-home.js';
import type { MessageKey } from '../../i18n/catalogues.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { asciiDigits } from './ascii-digits.js';
import { authMessage } from './auth-message.js';

export function SetupScreen({ client, onSignedIn }: { client: ApiClient; onSignedIn(session: OperatorSession): void }) {
  const i18n = useI18n();
  const [setupCode, setSetupCode] = useState('');
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [pinAgain, setPinAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<string | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const focusHome = useContext(FocusHomeContext);
  focusHome.current = () => codeRef.current;
  useLayoutEffect(() => codeRef.current?.focus(), []);

  const problem = (): MessageKey | null => {
    if (name.trim() === '') return 'setup.nameMissing';
    if (!operatorPinSchema.safeParse(pin).success) return 'setup.pinShape';
    if (pin !== pinAgain) return 'setup.pinMismatch';
    return null;
  };
  const submit = (event: Event): void => {
    event.preventDefault();
    if (busy) return;
    const found = problem();
    if (found) return setSaid(i18n.t(found));
    setBusy(true);
    setSaid(null);
    client
      .call('setup.createAdmin', { setupCode: setupCode.trim(), name: name.trim(), pin })
      .then(
        (result) => {
          if (result.outcome === 'signed_in') return onSignedIn(result.session);
          setSaid(authMessage(i18n, result));
        },
        (failure: unknown) => setSaid(i18n.t('error.setup', { reason: i18n.errorReason(failure) })),
      )
      .finally(() => {
        setBusy(false);
        setPin('');
        setPinAgain('');
      });
  };

  return (
    <form class="setup-screen" aria-labelledby="setup-title" data-testid="setup-screen" onSubmit={submit} data-own-keys>
      <h2 id="setup-title">{i18n.t('setup.title')}</h2>
      <p class="setup-intro">{i18n.t('setup.intro')}</p>
      <label>
        <span>{i18n.t('setup.code')}</span>
        <input ref={codeRef} data-testid="setup-code" autocomplete="off" spellcheck={false} dir="ltr" value={setupCode} onInput={(event) => setSetupCode(event.currentTarget.value)} />
      </label>
      <label>
        <span>{i18n.t('setup.name')}</span>
        <input data-testid="setup-name" autocomplete="off" value={name} onInput={(event) => setName(event.currentTarget.value)} />
      </label>
      <label>
        <span>{i18n.t('setup.pin')}</span>
        <input data-testid="setup-pin" type="password" inputMode="numeric" autocomplete="off" dir="ltr" value={pin} onInput={(event) => setPin(asciiDigits(event.currentTarget.value))} />
      </label>
      <label>
        <span>{i18n.t('setup.pinAgain')}</span>
        <input data-testid="setup-pin-again" type="password" inputMode="numeric" autocomplete="off" dir="ltr" value={pinAgain} onInput={(event) => setPinAgain(asciiDigits(event.currentTarget.value))} />
      </label>
      {said ? (
        <p class="field-message" role="alert" data-testid="setup-said">
          {said}
        </p>
      ) : null}
      <button type="submit" class="primary" data-testid="setup-create" aria-busy={busy}>
        {i18n.t(busy ? 'setup.creating' : 'setup.create')}
      </button>
    </form>
  );
}
