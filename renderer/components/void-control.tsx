// Void of a payment: offered only when the runtime says it is possible (otherwise the button
// stays, disabled, and the reason is said by name). Voiding asks once more; the confirmation
// makes the void's client id, and every retry of it sends the same one, so a double press or a
// lost answer never voids twice. A definite answer (approved or declined) ends the offer.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { CorrectionResult, PaymentDetail } from '../../core/api/corrections.js';
import type { ApiClient } from '../api-client.js';
import { newClientId } from '../client-id.js';
import { useGuard } from '../hooks/use-guarded-call.js';
import { useI18n } from '../i18n/i18n-context.js';
import { Money } from './money.js';

type VoidRun = { state: 'idle' } | { state: 'confirm' } | { state: 'busy' } | { state: 'answered'; result: CorrectionResult } | { state: 'failed'; failure: unknown };

export function VoidControl({ client, connected, detail, onVoided }: { client: ApiClient; connected: boolean; detail: PaymentDetail; onVoided(): void }) {
  const i18n = useI18n();
  const guard = useGuard();
  const [run, setRun] = useState<VoidRun>({ state: 'idle' });
  const clientId = useRef<string | null>(null);
  const payment = detail.payment;
  const canVoid = detail.voidable && connected;
  const confirmRef = useRef<HTMLButtonElement>(null);
  const voidRef = useRef<HTMLButtonElement>(null);
  const asking = run.state === 'confirm' || run.state === 'busy' || run.state === 'failed';
  // The focus follows the question: onto "Void payment" when asked, back onto Void after.
  useLayoutEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (document.activeElement === document.body || !document.activeElement?.isConnected || document.activeElement?.closest('.void-confirm')) voidRef.current?.focus();
  }, [asking]);

  const send = (): void => {
    if (run.state === 'busy' || !connected) return;
    clientId.current ??= newClientId();
    setRun({ state: 'busy' });
    const params = { originalId: payment.id, clientId: clientId.current };
    guard(() => client.call('void.start', params), 'void').then(
      (result) => {
        clientId.current = null;
        setRun({ state: 'answered', result });
        onVoided();
      },
      (failure: unknown) => setRun({ state: 'failed', failure }),
    );
  };

  if (asking) {
    return (
      <div class="void-confirm" role="group" aria-labelledby="void-question" data-testid="void-confirm-panel">
        <p id="void-question">{i18n.rich('detail.voidQuestion', { amount: <Money amountMinor={BigInt(payment.amountMinor)} currency={payment.currency} /> })}</p>
        {run.state === 'failed' ? (
          <p class="field-message" role="alert" data-testid="void-error">
            {i18n.t('error.void', { reason: i18n.errorReason(run.failure) })}
          </p>
        ) : null}
        <div class="confirm-actions">
          <button type="button" class="danger" data-testid="void-confirm" ref={confirmRef} aria-disabled={run.state === 'busy' || !connected} aria-busy={run.state === 'busy'} onClick={send}>
            {i18n.t(run.state === 'busy' ? 'detail.voiding' : 'detail.voidYes')}
          </button>
          <button type="button" data-testid="void-keep" aria-disabled={run.state === 'busy'} onClick={() => {
              if (run.state === 'busy') return;
              setRun({ state: 'idle' });
            }}>
            {i18n.t('detail.voidKeep')}
          </button>
        </div>
      </div>
    );
  }
  const result = run.state === 'answered' ? run.result : null;
  return (
    <>
      <button
        type="button"
        data-testid="detail-void"
        ref={voidRef}
        aria-disabled={!canVoid}
        aria-describedby={detail.voidRefusal ? 'void-refusal' : undefined}
        onClick={() => {
          if (!canVoid) return;
          clientId.current = null;
          setRun({ state: 'confirm' });
        }}
      >
        {i18n.t('detail.void')}
      </button>
      {result ? (
        <p class={`correction-result outcome-${result.outcome}`} role="status" data-testid="void-result" data-outcome={result.outcome} data-mode={result.mode ?? undefined} data-reason={result.reason ?? undefined}>
          {result.outcome === 'approved'
            ? i18n.t('detail.voided', { mode: result.mode ?? 'other' })
            : i18n.t('detail.voidDeclined', { reason: result.reason ? i18n.t(`correction.${result.reason}`) : i18n.t('error.reason.unknown') })}
        </p>
      ) : null}
    </>
  );
}
