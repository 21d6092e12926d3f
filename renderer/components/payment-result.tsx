// The end of a charge: approved (online or offline) with its receipt, declined with the reason
// in the merchant's language (from the reason code, never the runtime's English text), or
// cancelled. New payment holds the focus; Charge again starts the same amount anew.
import type { Ref } from 'preact';
import type { PaymentUpdate } from '../../core/api/payment.js';
import { useI18n } from '../i18n/i18n-context.js';
import { Money } from './money.js';
import { ReceiptView } from './receipt-view.js';

type Outcome = 'approved' | 'declined' | 'cancelled';

export interface PaymentResultProps {
  payment: PaymentUpdate;
  connected: boolean;
  focusRef: Ref<HTMLElement>;
  onNewPayment(): void;
  onChargeAgain(): void;
}

export function PaymentResult({ payment, connected, focusRef, onNewPayment, onChargeAgain }: PaymentResultProps) {
  const i18n = useI18n();
  const outcome = payment.state as Outcome;
  const headline =
    outcome === 'approved' ? i18n.t('outcome.approved', { mode: payment.mode ?? 'other' }) : outcome === 'declined' ? i18n.t('outcome.declined') : i18n.t('outcome.cancelled');
  const message =
    outcome === 'declined' ? (payment.reason ? i18n.t(`decline.${payment.reason}`) : i18n.t('outcome.declinedUnknown')) : outcome === 'cancelled' ? i18n.t('outcome.cancelledMessage') : null;
  return (
    <div
      class={`payment-result outcome-${outcome}`}
      data-testid="payment-result"
      data-outcome={outcome}
      data-mode={payment.mode ?? undefined}
      data-reason={payment.reason ?? undefined}
      data-payment-id={payment.paymentId ?? undefined}
    >
      <div class="result-head">
        <p class="payment-outcome" data-testid="payment-outcome" role="status">
          <span>{headline}</span>
          {outcome === 'approved' ? null : <Money amountMinor={BigInt(payment.amountMinor)} currency={payment.currency} />}
        </p>
        <div class="result-actions">
          <button type="button" class="new-payment" data-testid="new-payment" ref={focusRef as Ref<HTMLButtonElement>} onClick={onNewPayment}>
            {i18n.t('payment.new')}
          </button>
          <button
            type="button"
            class="charge-again"
            data-testid="charge-again"
            aria-disabled={!connected}
            onClick={() => {
              if (connected) onChargeAgain();
            }}
          >
            {i18n.t('payment.again')}
          </button>
        </div>
      </div>
      {message ? (
        <p class="payment-message" data-testid="payment-message">
          {message}
        </p>
      ) : null}
      {outcome === 'approved' && payment.receipt ? <ReceiptView receipt={payment.receipt} /> : null}
    </div>
  );
}
