// Proving who one is, the same way everywhere (sign-in, the lock screen, re-authentication, a
// supervisor's override): the finger on the reader first, waited for in a loop; the PIN once it
// is allowed (after failed matches, or with no reader ready), with the operator picked from the
// candidates and the PIN keyed on masked keys. Every answer is said in words (failed matches,
// tries left, a lockout); a signed-in answer is handed to the caller.
import { useState } from 'preact/hooks';
import type { AuthResult, OperatorIdentity, OperatorSession } from '../../../core/api/operators.js';
import type { ApiClient } from '../../api-client.js';
import { useFingerprintLoop } from '../../hooks/use-fingerprint-loop.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { authMessage } from './auth-message.js';
import { OperatorPicker } from './operator-picker.js';
import { PinKeys } from './pin-keys.js';
import { SimFingerPanel } from './sim-finger-panel.js';

export interface OperatorAuthProps {
  client: ApiClient;
  simulator: boolean;
  /** A fingerprint capture; null when no reader is ready. */
  fingerprint: (() => Promise<AuthResult>) | null;
  pin(operatorId: string, pin: string): Promise<AuthResult>;
  candidates: readonly OperatorIdentity[];
  pinAllowed: boolean;
  onSignedIn(session: OperatorSession): void;
  testId: string;
}

type Said = { text: string; outcome: AuthResult['outcome'] | 'failed' };

export function OperatorAuth({ client, simulator, fingerprint, pin, candidates, pinAllowed, onSignedIn, testId }: OperatorAuthProps) {
  const i18n = useI18n();
  const [allowed, setAllowed] = useState(pinAllowed || fingerprint === null);
  const [mode, setMode] = useState<'finger' | 'pin'>(fingerprint === null ? 'pin' : 'finger');
  const [readerGone, setReaderGone] = useState(false);
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<Said | null>(null);
  const [tries, setTries] = useState(0);
  const chosen = candidates.length === 1 ? candidates[0]! : (candidates.find((operator) => operator.id === chosenId) ?? null);
  const pinOffered = allowed || pinAllowed;

  const hear = (result: AuthResult): void => {
    if (result.outcome === 'signed_in') return onSignedIn(result.session);
    if (result.outcome === 'no_match' || result.outcome === 'reader_unavailable') setAllowed(result.pinAllowed);
    if (result.outcome === 'reader_unavailable') {
      setReaderGone(true);
      setMode('pin');
    }
    const text = authMessage(i18n, result);
    if (text !== null) setSaid({ text, outcome: result.outcome });
  };
  const fail = (failure: unknown): void => setSaid({ text: i18n.t('error.signIn', { reason: i18n.errorReason(failure) }), outcome: 'failed' });
  const fingerActive = mode === 'finger' && fingerprint !== null && !readerGone;
  const captures = useFingerprintLoop(fingerActive, fingerprint ?? (() => Promise.reject(new Error('no reader'))), hear, fail);

  const submitPin = (entered: string): void => {
    if (!chosen || busy) return;
    setBusy(true);
    pin(chosen.id, entered)
      .then(hear, fail)
      .finally(() => {
        setBusy(false);
        setTries((count) => count + 1);
      });
  };

  const canSwitch = fingerprint !== null && !readerGone;
  return (
    <div class="operator-auth" data-testid={testId} data-mode={mode} data-pin-allowed={pinOffered}>
      <div class="auth-side">
        {mode === 'finger' ? (
          <p class="auth-prompt" data-testid="auth-prompt">
            {i18n.t('signIn.placeFinger')}
          </p>
        ) : (
          <OperatorPicker operators={candidates} chosenId={chosen?.id ?? null} onChoose={setChosenId} />
        )}
        {said ? (
          <p class={`auth-said outcome-${said.outcome}`} role="alert" data-testid="auth-said" data-outcome={said.outcome}>
            {said.text}
          </p>
        ) : null}
        {mode === 'finger' && pinOffered ? (
          <p class="auth-hint" data-testid="auth-pin-offered">
            {i18n.t('signIn.pinOffered')}
          </p>
        ) : null}
        <div class="auth-switch">
          {mode === 'finger' && pinOffered ? (
            <button type="button" data-testid="auth-use-pin" onClick={() => setMode('pin')}>
              {i18n.t('signIn.usePin')}
            </button>
          ) : null}
          {mode === 'pin' && canSwitch ? (
            <button type="button" data-testid="auth-use-finger" onClick={() => setMode('finger')}>
              {i18n.t('signIn.useFinger')}
            </button>
          ) : null}
        </div>
      </div>
      <div class="auth-keys">
        {mode === 'pin' && chosen ? (
          <>
            <p class="auth-pin-for">{i18n.rich('signIn.pinFor', { name: <bdi data-i18n-exempt>{chosen.name}</bdi> })}</p>
            <PinKeys minDigits={4} maxDigits={8} busy={busy} onSubmit={submitPin} resetKey={`${chosen.id}-${tries}`} testId="operator-pin" />
          </>
        ) : null}
        {mode === 'finger' && simulator ? <SimFingerPanel client={client} liftKey={captures} /> : null}
      </div>
    </div>
  );
}
