// The refund of a payment, in a modal dialog: the amount keyed in as on the counter (digits from
// the smallest unit, the same amount field and keypad), a full-refund shortcut and what is left
// to refund. The dialog makes one client id when it opens and sends it with every retry of the
// same request, so a double press or a lost answer never refunds twice: while an answer is
// unknown (the call failed) the amount stays as sent, and only a definite decline, which refunded
// nothing, frees the amount for a new request with a new client id. The answer is said in the
// merchant's words: approved online or offline, or declined with its reason by name.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { CorrectionResult, PaymentDetail } from '../../core/api/corrections.js';
import type { ApiClient } from '../api-client.js';
import { newClientId } from '../client-id.js';
import { useCounterKeys } from '../hooks/use-counter-keys.js';
import { useGuard } from '../hooks/use-guarded-call.js';
import { useI18n } from '../i18n/i18n-context.js';
import { AmountEntry } from './amount-entry.js';
import { Keypad, type KeypadKey } from './keypad.js';
import { Money } from './money.js';

type RefundRun = { state: 'idle' } | { state: 'busy' } | { state: 'answered'; result: CorrectionResult } | { state: 'failed'; failure: unknown };

const maxDigits = 18;

export interface RefundDialogProps {
  client: ApiClient;
  connected: boolean;
  detail: PaymentDetail;
  onClose(): void;
  /** The runtime answered: the payment's detail should be read again. */
  onAnswered(): void;
}

export function RefundDialog({ client, connected, detail, onClose, onAnswered }: RefundDialogProps) {
  const i18n = useI18n();
  const guard = useGuard();
  const payment = detail.payment;
  const remainingMinor = BigInt(detail.remainingMinor);
  const [digits, setDigits] = useState('');
  const [run, setRun] = useState<RefundRun>({ state: 'idle' });
  const clientId = useRef(newClientId());
  const dialogRef = useRef<HTMLDialogElement>(null);
  const amountRef = useRef<HTMLInputElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const amountMinor = digits === '' ? 0n : BigInt(digits);
  const approved = run.state === 'answered' && run.result.outcome === 'approved';
  // An unknown outcome keeps the amount as sent: a retry must be the same request.
  const locked = run.state === 'busy' || run.state === 'failed' || approved;
  const canSend = connected && !approved && run.state !== 'busy' && amountMinor > 0n;

  useLayoutEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    amountRef.current?.focus();
  }, []);
  useLayoutEffect(() => {
    if (approved) closeRef.current?.focus();
  }, [approved]);
  // The page behind stays inert until the dialog itself is closed; then the caller moves the focus.
  const close = (): void => {
    dialogRef.current?.close();
    onClose();
  };

  const press = (key: KeypadKey): void => {
    if (locked) return;
    if (run.state === 'answered') setRun({ state: 'idle' });
    if (key === 'clear') return setDigits('');
    if (key === 'back') return setDigits((current) => current.slice(0, -1));
    setDigits((current) => {
      const next = (current + key).replace(/^0+/, '');
      return next.length <= maxDigits ? next : current;
    });
  };
  const send = (): void => {
    if (!canSend) return;
    setRun({ state: 'busy' });
    // Above the role's refund limit the runtime refuses by permission: a supervisor may allow it.
    const params = { originalId: payment.id, amountMinor: amountMinor.toString(), currency: payment.currency, clientId: clientId.current };
    guard(() => client.call('refund.start', params), 'refund_above_limit').then(
      (result) => {
        // A decline refunded nothing: the next request is a new one.
        if (result.outcome === 'declined') clientId.current = newClientId();
        else setDigits('');
        setRun({ state: 'answered', result });
        onAnswered();
      },
      (failure: unknown) => setRun({ state: 'failed', failure }),
    );
  };
  useCounterKeys({ digit: (digit) => press(digit as KeypadKey), back: () => press('back'), clear: () => press('clear'), charge: send, cancel: () => undefined });

  const result = run.state === 'answered' ? run.result : null;
  const message = result
    ? result.outcome === 'approved'
      ? i18n.t(result.repeated ? 'refund.repeated' : 'refund.approved', { mode: result.mode ?? 'other' })
      : i18n.t('refund.declined', { reason: result.reason ? i18n.t(`correction.${result.reason}`) : i18n.t('error.reason.unknown') })
    : run.state === 'failed'
      ? i18n.t('error.refund', { reason: i18n.errorReason(run.failure) })
      : run.state === 'busy'
        ? i18n.t('refund.sending')
        : null;

  return (
    <dialog
      ref={dialogRef}
      class="refund-dialog"
      aria-labelledby="refund-title"
      data-testid="refund-dialog"
      data-client-id={clientId.current}
      onCancel={(event) => {
        event.preventDefault();
        close();
      }}
    >
      <div class="refund-entry">
        <AmountEntry amountMinor={amountMinor} currency={payment.currency} maximumMinor={remainingMinor} inputRef={amountRef} />
        <Keypad onKey={press} disabled={locked}>
          <button type="button" class="key charge" data-testid="refund-confirm" aria-disabled={!canSend} aria-busy={run.state === 'busy'} onClick={send}>
            {i18n.t('refund.confirm')}
          </button>
        </Keypad>
      </div>
      <div class="refund-side">
        <h2 id="refund-title">{i18n.t('refund.title')}</h2>
        <p>{i18n.rich('refund.original', { amount: <Money amountMinor={BigInt(payment.amountMinor)} currency={payment.currency} /> })}</p>
        <p data-testid="refund-remaining" data-remaining-minor={detail.remainingMinor}>
          {i18n.rich('refund.remaining', { amount: <Money amountMinor={remainingMinor} currency={payment.currency} /> })}
        </p>
        <button type="button" data-testid="refund-full" aria-disabled={locked || remainingMinor <= 0n} onClick={() => !locked && remainingMinor > 0n && setDigits(remainingMinor.toString())}>
          {i18n.t('refund.full')}
        </button>
        <p
          class={`correction-result${result ? ` outcome-${result.outcome}` : run.state === 'failed' ? ' outcome-declined' : ''}`}
          role="status"
          data-testid="refund-result"
          data-state={run.state}
          data-outcome={result?.outcome}
          data-mode={result?.mode ?? undefined}
          data-reason={result?.reason ?? undefined}
          data-remaining-minor={result?.remainingMinor}
        >
          {message}
          {result?.outcome === 'approved' ? <> {i18n.rich('refund.remainingAfter', { amount: <Money amountMinor={BigInt(result.remainingMinor)} currency={result.currency} /> })}</> : null}
        </p>
        <button type="button" class="refund-close" data-testid="refund-close" ref={closeRef} onClick={close}>
          {i18n.t('refund.close')}
        </button>
      </div>
    </dialog>
  );
}
