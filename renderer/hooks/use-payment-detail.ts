// One payment's detail (journal.detail): the payment, everything that refers to it with its sync
// state, what is left to refund and whether a void is possible. Read again after a refund or a
// void, whenever the runtime reconnects and whenever central decides something (syncKey).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { PaymentDetail } from '../../core/api/corrections.js';
import type { ApiClient } from '../api-client.js';

export interface PaymentDetailState {
  detail: PaymentDetail | null;
  error: unknown;
  reload(): void;
}

export function usePaymentDetail(client: ApiClient, connected: boolean, paymentId: string, syncKey: string): PaymentDetailState {
  const [detail, setDetail] = useState<PaymentDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const request = useRef(0);

  const reload = useCallback(() => {
    const number = ++request.current;
    client.call('journal.detail', { paymentId }).then(
      (next) => {
        if (number !== request.current) return;
        setDetail(next);
        setError(null);
      },
      (failure: unknown) => {
        if (number === request.current) setError(failure);
      },
    );
  }, [client, paymentId]);

  useEffect(() => {
    setDetail(null);
    setError(null);
  }, [paymentId]);

  useEffect(() => {
    if (connected) reload();
  }, [connected, reload, syncKey]);

  return { detail, error, reload };
}
