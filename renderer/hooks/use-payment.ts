// One charge on the counter screen: starts it and follows its payment.updated events. Only
// events of the attempt this screen started are applied, and a state never moves backwards: an
// event that arrives before payment.start answers is kept and merged, and a late progress event
// cannot hide a result. A screen reloaded during a charge picks up the attempt still running.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { PaymentUpdate } from '../../core/api/payment.js';
import type { CurrencyCode } from '../../core/currency.js';
import type { ApiClient } from '../api-client.js';

type PaymentState = PaymentUpdate['state'];

const stateRank: Record<PaymentState, number> = {
  waiting_for_card: 0,
  reading_card: 1,
  // A wrong PIN asks again in the same state; the tie goes to the newer request.
  waiting_for_pin: 2,
  authorizing: 3,
  approved: 4,
  declined: 4,
  cancelled: 4,
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

export interface PaymentFailure {
  action: 'start' | 'cancel';
  failure: unknown;
}

export interface PaymentController {
  payment: PaymentUpdate | null;
  /** payment.start was sent and has not answered yet. */
  starting: boolean;
  error: PaymentFailure | null;
  /** A charge is under way: starting, or started and not yet final. */
  inProgress: boolean;
  start(amountMinor: bigint, currency: CurrencyCode): void;
  cancel(): void;
  clear(): void;
}

/**
 * `onFinal` hears each attempt's end once, in the same update that shows it, so whatever the
 * screen resets for the next sale changes in the same render as the result appears.
 */
export function usePayment(client: ApiClient, onFinal: (update: PaymentUpdate) => void = () => undefined): PaymentController {
  const [payment, setPayment] = useState<PaymentUpdate | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<PaymentFailure | null>(null);
  const attemptId = useRef<string | null>(null);
  const startingRef = useRef(false);
  /** Updates that arrived while payment.start was in flight, by attempt id. */
  const early = useRef(new Map<string, PaymentUpdate>());
  const finalHeard = useRef<string | null>(null);
  const onFinalRef = useRef(onFinal);
  onFinalRef.current = onFinal;
  const apply = useCallback((update: PaymentUpdate) => {
    setPayment((current) => later(current, update));
    if (isFinalState(update.state) && finalHeard.current !== update.attemptId) {
      finalHeard.current = update.attemptId;
      onFinalRef.current(update);
    }
  }, []);

  useEffect(
    () =>
      client.on('payment.updated', (update) => {
        if (update.attemptId === attemptId.current) apply(update);
        else if (startingRef.current) early.current.set(update.attemptId, later(early.current.get(update.attemptId) ?? null, update));
      }),
    [client],
  );

  useEffect(() => {
    client.call('payment.current', {}).then(
      (current) => {
        if (!current || attemptId.current !== null || startingRef.current) return;
        attemptId.current = current.attemptId;
        apply(current);
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
      client
        .call('payment.start', { amountMinor: amountMinor.toString(), currency })
        .then(
          (started) => {
            attemptId.current = started.attemptId;
            const buffered = early.current.get(started.attemptId);
            apply(buffered ? later(started, buffered) : started);
          },
          (failure: unknown) => setError({ action: 'start', failure }),
        )
        .finally(() => {
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
      (failure: unknown) => setError({ action: 'cancel', failure }),
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
