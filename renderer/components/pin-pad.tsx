// The cardholder's PIN pad, over the counter while a charge waits for the PIN: why it is asked
// (the CVM limit, online or offline), tries left, "Wrong PIN" after a wrong try, masked dots and
// the keys with Cancel. OK seals the PIN to the card's PIN key under its challenge
// (core/card/pin-encipherment.ts) with the browser's CSPRNG and sends only the sealed envelope
// (cvm.submitPin); the digits are dropped at once. Cancel declines to enter it (cvm.cancelPin).
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { PaymentUpdate, PinRequest } from '../../core/api/payment.js';
import { maxPinDigits, minPinDigits, sealPin } from '../../core/card/pin-encipherment.js';
import { fromHex, toHex } from '../../core/clock.js';
import type { ApiClient } from '../api-client.js';
import { useI18n } from '../i18n/i18n-context.js';
import { keepFocusOnPointerDown } from './keep-focus.js';
import { Money } from './money.js';
import { PinKeys } from './operators/pin-keys.js';

const randomBytes = (length: number): Uint8Array => crypto.getRandomValues(new Uint8Array(length));

export function PinPad({ client, payment, request }: { client: ApiClient; payment: PaymentUpdate; request: PinRequest }) {
  const i18n = useI18n();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  // Each request (a new challenge) is a fresh entry: the dots clear and the pad is free again.
  useLayoutEffect(() => {
    setBusy(false);
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    titleRef.current?.focus();
  }, [request.challenge]);

  const submit = (pin: string): void => {
    setFailure(null);
    let envelope: string;
    try {
      envelope = toHex(sealPin(pin, fromHex(request.cardPinKey), fromHex(request.challenge), randomBytes));
    } catch (error) {
      return setFailure(error);
    }
    setBusy(true);
    client.call('cvm.submitPin', { attemptId: payment.attemptId, envelope }).then(
      () => undefined,
      (error: unknown) => {
        setBusy(false);
        setFailure(error);
      },
    );
  };
  const cancel = (): void => {
    setFailure(null);
    client.call('cvm.cancelPin', { attemptId: payment.attemptId }).then(
      () => undefined,
      (error: unknown) => setFailure(error),
    );
  };

  return (
    <dialog
      ref={dialogRef}
      class="pin-pad"
      aria-labelledby="pin-pad-title"
      data-testid="pin-pad"
      data-tries-left={request.triesLeft}
      data-previous-wrong={request.previousWrong}
      onCancel={(event) => {
        event.preventDefault();
        cancel();
      }}
    >
      <div class="pin-pad-side">
        <h2 id="pin-pad-title" ref={titleRef} tabIndex={-1}>
          {i18n.t('pinPad.title')}
        </h2>
        <p class="pin-pad-amount">
          <Money amountMinor={BigInt(payment.amountMinor)} currency={payment.currency} />
        </p>
        <p data-testid="pin-pad-reason">{i18n.t(`pinPad.reason.${request.reason}`)}</p>
        {request.previousWrong ? (
          <p class="pin-pad-wrong" role="alert" data-testid="pin-pad-wrong">
            {i18n.t('pinPad.wrong')}
          </p>
        ) : null}
        <p data-testid="pin-pad-tries">{i18n.t('pinPad.triesLeft', { count: request.triesLeft })}</p>
        {busy ? <p role="status">{i18n.t('pinPad.sending')}</p> : null}
        {failure ? (
          <p class="field-message" role="alert" data-testid="pin-pad-error">
            {i18n.t('error.pinSubmit', { reason: i18n.errorReason(failure) })}
          </p>
        ) : null}
      </div>
      <PinKeys minDigits={minPinDigits} maxDigits={maxPinDigits} busy={busy} onSubmit={submit} resetKey={request.challenge} testId="pin-pad-keys">
        <button type="button" class="key pin-cancel" data-testid="pin-pad-cancel" onMouseDown={keepFocusOnPointerDown} onClick={cancel}>
          {i18n.t('pinPad.cancel')}
        </button>
      </PinKeys>
    </dialog>
  );
}
