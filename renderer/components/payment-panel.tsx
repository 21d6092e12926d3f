// The payment beside the keypad: a hint before the first charge, then the charge's progress,
// then its result. The element that should hold the focus in each stage (Cancel, the progress,
// New payment) is handed back through focusRef, so the counter screen can put the focus there.
import type { Ref } from 'preact';
import type { PaymentController } from '../hooks/use-payment.js';
import { isFinalState } from '../hooks/use-payment.js';
import { useI18n } from '../i18n/i18n-context.js';
import { PaymentProgress } from './payment-progress.js';
import { PaymentResult } from './payment-result.js';

export interface PaymentPanelProps {
  controller: PaymentController;
  connected: boolean;
  focusRef: Ref<HTMLElement>;
  onNewPayment(): void;
  onChargeAgain(): void;
}

export function PaymentPanel({ controller, connected, focusRef, onNewPayment, onChargeAgain }: PaymentPanelProps) {
  const i18n = useI18n();
  const { payment, starting, error } = controller;
  return (
    <section class="payment-panel" aria-label={i18n.t('payment.label')}>
      {error ? (
        <p class="payment-error" role="alert" data-testid="payment-error">
          {i18n.t(error.action === 'start' ? 'error.paymentStart' : 'error.paymentCancel', { reason: i18n.errorReason(error.failure) })}
        </p>
      ) : null}
      {payment === null ? (
        starting ? (
          <p class="payment-step" data-testid="payment-state" data-state="starting" role="status">
            {i18n.t('payment.starting')}
          </p>
        ) : (
          <div class="payment-idle">
            <p>{i18n.t('payment.idle')}</p>
            <p class="hint">{i18n.t('payment.keysHint')}</p>
          </div>
        )
      ) : isFinalState(payment.state) ? (
        <PaymentResult payment={payment} connected={connected} focusRef={focusRef} onNewPayment={onNewPayment} onChargeAgain={onChargeAgain} />
      ) : (
        <PaymentProgress payment={payment} connected={connected} focusRef={focusRef} onCancel={controller.cancel} />
      )}
    </section>
  );
}
