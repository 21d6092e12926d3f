// A charge under way: its amount, what is happening (tap the card, reading, authorizing) and,
// while the card is awaited, Cancel. Cancel holds the focus while it exists; after that the
// progress itself does, so the focus never falls to the page. Without the runtime's channel
// Cancel is shown disabled (not removed) and the reconnecting banner says why.
import type { Ref } from 'preact';
import type { PaymentUpdate } from '../../core/api/payment.js';
import { useI18n } from '../i18n/i18n-context.js';
import { Money } from './money.js';

type ProgressState = 'waiting_for_card' | 'reading_card' | 'authorizing';

export interface PaymentProgressProps {
  payment: PaymentUpdate;
  connected: boolean;
  focusRef: Ref<HTMLElement>;
  onCancel(): void;
}

export function PaymentProgress({ payment, connected, focusRef, onCancel }: PaymentProgressProps) {
  const i18n = useI18n();
  const state = payment.state as ProgressState;
  const waiting = state === 'waiting_for_card';
  return (
    <div
      class={`payment-progress state-${state}`}
      data-testid="payment-state"
      data-state={state}
      data-attempt-id={payment.attemptId}
      tabIndex={-1}
      ref={waiting ? undefined : (focusRef as Ref<HTMLDivElement>)}
    >
      <p class="payment-amount">
        <Money amountMinor={BigInt(payment.amountMinor)} currency={payment.currency} />
      </p>
      <p class="payment-step" role="status">
        {i18n.t(`payment.${state}`)}
      </p>
      {waiting ? (
        <button
          type="button"
          class="cancel"
          data-testid="cancel-payment"
          ref={focusRef as Ref<HTMLButtonElement>}
          aria-disabled={!connected}
          onClick={() => {
            if (connected) onCancel();
          }}
        >
          {i18n.t('payment.cancel')}
        </button>
      ) : null}
    </div>
  );
}
