// One charge on the counter screen: the hook that starts it and follows its payment.updated
// events, and the panel that shows its progress and then its result. Only events of the attempt
// this screen started are applied, and a state never moves backwards: an event that arrives
// before payment.start answers is kept and merged, and a late progress event cannot hide a
// result.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { PaymentUpdate } from '../../core/api/payment.js';
import type { CurrencyCode } from '../../core/currency.js';
import { formatMinor } from '../../core/currency.js';
import type { ApiClient } from '../api-client.js';
import { ReceiptView } from './receipt-view.js';

type PaymentState = PaymentUpdate['state'];

const stateRank: Record<PaymentState, number> = {
  waiting_for_card: 0,
  reading_card: 1,
  authorizing: 2,
  approved: 3,
  declined: 3,
  cancelled: 3,
};

const progressText: Record<'waiting_for_card' | 'reading_card' | 'authorizing', string> = {
  waiting_for_card: 'Tap card…',
  reading_card: 'Reading card…',
  authorizing: 'Authorizing…',
};

export function isFinalState(state: PaymentState): boolean {
  return stateRank[state] === stateRank.approved;
}

/** The later of two updates of one attempt; the current one wins a tie once it is final. */
function later(current: PaymentUpdate | null, next: PaymentUpdate): PaymentUpdate {
  if (!current || current.attemptId !== next.attemptId) return next;
  if (isFinalState(current.state)) return current;
  return stateRank[next.state] >= stateRank[current.state] ? next : current;
}

export interface PaymentController {
  payment: PaymentUpdate | null;
  /** payment.start was sent and has not answered yet. */
  starting: boolean;
  error: string | null;
  /** A charge is under way: starting, or started and not yet final. */
  inProgress: boolean;
  start(amountMinor: bigint, currency: CurrencyCode): void;
  cancel(): void;
  clear(): void;
}

export function usePayment(client: ApiClient): PaymentController {
  const [payment, setPayment] = useState<PaymentUpdate | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const attemptId = useRef<string | null>(null);
  const startingRef = useRef(false);
  /** Updates that arrived while payment.start was in flight, by attempt id. */
  const early = useRef(new Map<string, PaymentUpdate>());

  useEffect(
    () =>
      client.on('payment.updated', (update) => {
        if (update.attemptId === attemptId.current) setPayment((current) => later(current, update));
        else if (startingRef.current) early.current.set(update.attemptId, later(early.current.get(update.attemptId) ?? null, update));
      }),
    [client],
  );

  // A screen reloaded during a charge picks up the attempt the runtime is still running.
  useEffect(() => {
    client.call('payment.current', {}).then(
      (current) => {
        if (!current || attemptId.current !== null || startingRef.current) return;
        attemptId.current = current.attemptId;
        setPayment((known) => later(known, current));
      },
      () => undefined,
    );
  }, [client]);

  const start = useCallback(
    (amountMinor: bigint, currency: CurrencyCode) => {
      if (startingRef.current || amountMinor <= 0n) return;
      startingRef.current = true;
      early.current.clear();
      attemptId.current = null;
      setStarting(true);
      setPayment(null);
      setError(null);
      client.call('payment.start', { amountMinor: amountMinor.toString(), currency }).then(
        (started) => {
          attemptId.current = started.attemptId;
          const buffered = early.current.get(started.attemptId);
          setPayment(buffered ? later(started, buffered) : started);
        },
        (failure: Error) => setError(`Could not start the payment: ${failure.message}`),
      ).finally(() => {
        startingRef.current = false;
        early.current.clear();
        setStarting(false);
      });
    },
    [client],
  );

  const cancel = useCallback(() => {
    const id = attemptId.current;
    if (id === null) return;
    // The cancelled state itself arrives as a payment.updated event.
    client.call('payment.cancel', { attemptId: id }).then(
      () => undefined,
      (failure: Error) => setError(`Could not cancel the payment: ${failure.message}`),
    );
  }, [client]);

  const clear = useCallback(() => {
    attemptId.current = null;
    setPayment(null);
    setError(null);
  }, []);

  const inProgress = starting || (payment !== null && !isFinalState(payment.state));
  return { payment, starting, error, inProgress, start, cancel, clear };
}

function Progress({ payment, onCancel }: { payment: PaymentUpdate; onCancel: () => void }) {
  const state = payment.state as keyof typeof progressText;
  return (
    <div class={`payment-progress state-${state}`} data-testid="payment-state" data-state={state} data-attempt-id={payment.attemptId}>
      <p class="payment-amount">
        <span class="currency-code">{payment.currency}</span> {formatMinor(BigInt(payment.amountMinor), payment.currency)}
      </p>
      <p class="payment-step">{progressText[state]}</p>
      {state === 'waiting_for_card' ? (
        <button type="button" class="cancel" data-testid="cancel-payment" onClick={onCancel}>
          Cancel
        </button>
      ) : null}
    </div>
  );
}

const outcomeText: Record<'approved' | 'declined' | 'cancelled', string> = {
  approved: 'Approved',
  declined: 'Declined',
  cancelled: 'Cancelled',
};

function Result({ payment, onNewPayment }: { payment: PaymentUpdate; onNewPayment: () => void }) {
  const outcome = payment.state as keyof typeof outcomeText;
  return (
    <div
      class={`payment-result outcome-${outcome}`}
      data-testid="payment-result"
      data-outcome={outcome}
      data-mode={payment.mode ?? undefined}
      data-reason={payment.reason ?? undefined}
      data-payment-id={payment.paymentId ?? undefined}
    >
      <p class="payment-outcome" data-testid="payment-outcome">
        {outcomeText[outcome]}
        {payment.mode ? ` · ${payment.mode === 'online' ? 'online' : 'offline'}` : ''}
      </p>
      {outcome !== 'approved' && payment.message ? (
        <p class="payment-message" data-testid="payment-message">
          {payment.message}
        </p>
      ) : null}
      {outcome === 'approved' && payment.receipt ? <ReceiptView receipt={payment.receipt} /> : null}
      <button type="button" class="new-payment" data-testid="new-payment" onClick={onNewPayment}>
        New payment
      </button>
    </div>
  );
}

/** onNewPayment clears the result (and whatever else the screen resets for the next sale). */
export function PaymentPanel({ controller, onNewPayment }: { controller: PaymentController; onNewPayment: () => void }) {
  const { payment, starting, error } = controller;
  return (
    <section class="payment-panel" aria-label="Payment" aria-live="polite">
      {error ? (
        <p class="payment-error" role="alert" data-testid="payment-error">
          {error}
        </p>
      ) : null}
      {payment === null ? (
        starting ? (
          <p class="payment-step" data-testid="payment-state" data-state="starting">
            Starting…
          </p>
        ) : (
          <p class="placeholder">Key an amount and press Charge.</p>
        )
      ) : isFinalState(payment.state) ? (
        <Result payment={payment} onNewPayment={onNewPayment} />
      ) : (
        <Progress payment={payment} onCancel={controller.cancel} />
      )}
    </section>
  );
}
