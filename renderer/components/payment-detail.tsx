// One payment in the journal (journal.detail): what it was, its sync state, what was refunded and
// what is left, every related transaction with its ledger movements, and what may be done with
// it: Refund (the dialog), Void (only when possible; otherwise the reason by name), and reprints
// of the merchant's and the customer's copy, whose failure is said without blocking anything.
import type { Ref } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../../core/api/envelope.js';
import type { ApiClient } from '../api-client.js';
import { usePaymentDetail } from '../hooks/use-payment-detail.js';
import { usePrint } from '../hooks/use-print.js';
import { useI18n } from '../i18n/i18n-context.js';
import { DetailRow } from './detail-row.js';
import { LedgerMovements } from './ledger-movements.js';
import { LtrText } from './ltr-text.js';
import { Money } from './money.js';
import { NoticeBanner } from './notice-banner.js';
import { PrintStatus } from './print-status.js';
import { RefundDialog } from './refund-dialog.js';
import { SyncStateLabel } from './sync-state-label.js';
import { VoidControl } from './void-control.js';

export interface PaymentDetailProps {
  client: ApiClient;
  connected: boolean;
  paymentId: string;
  syncKey: string;
  headingRef: Ref<HTMLHeadingElement>;
  onBack(): void;
}

export function PaymentDetailView({ client, connected, paymentId, syncKey, headingRef, onBack }: PaymentDetailProps) {
  const i18n = useI18n();
  const { detail, error, reload } = usePaymentDetail(client, connected, paymentId, syncKey);
  const [refunding, setRefunding] = useState(false);
  const printer = usePrint();
  const payment = detail?.payment ?? null;
  const reprint = (copy: 'merchant' | 'customer'): void => {
    if (payment && connected) printer.print(copy, () => client.call('receipt.print', { transactionId: payment.id, copy }));
  };
  const canRefund = detail !== null && detail.refundable && connected;
  const refundRef = useRef<HTMLButtonElement>(null);
  const closeRefund = (): void => {
    // The dialog's buttons leave with it: the focus goes back to Refund.
    refundRef.current?.focus();
    setRefunding(false);
  };

  return (
    <div class="payment-detail" data-testid="payment-detail" data-payment-id={paymentId} data-loaded={detail !== null} data-remaining-minor={detail?.remainingMinor} data-voidable={detail?.voidable} data-sync-state={detail?.syncState}>
      <div class="detail-head">
        <button type="button" data-testid="detail-back" onClick={onBack}>
          {i18n.t('journal.back')}
        </button>
        <h3 ref={headingRef} tabIndex={-1} data-testid="detail-title">
          {payment ? i18n.rich('detail.title', { kind: i18n.t(`kind.${payment.kind}`), amount: <Money amountMinor={BigInt(payment.amountMinor)} currency={payment.currency} /> }) : i18n.t('app.loading')}
        </h3>
        {detail ? <SyncStateLabel state={detail.syncState} testId="detail-sync-state" /> : null}
      </div>
      {error ? (
        <NoticeBanner
          tone="error"
          testId="detail-error"
          // The screen sends only well-formed payment ids, so a refused one is an id this terminal does not know.
          text={error instanceof ApiError && error.code === 'invalid_params' ? i18n.t('correction.original_not_found') : i18n.t('error.detail', { reason: i18n.errorReason(error) })}
        />
      ) : null}
      {detail && payment ? (
        <div class="detail-columns">
          <div class="detail-main">
            <dl class="details-list">
              <DetailRow label="detail.time">
                <bdi data-i18n-exempt>{i18n.dateTime(payment.createdAtMs)}</bdi>
              </DetailRow>
              <DetailRow label="detail.card">{payment.card ? <LtrText testId="detail-pan">{payment.card.panMasked}</LtrText> : i18n.t('journal.noCard')}</DetailRow>
              {payment.card ? <DetailRow label="detail.mode">{i18n.t(payment.card.mode === 'online' ? 'receipt.online' : 'receipt.offline')}</DetailRow> : null}
              <DetailRow label="detail.refunded" testId="detail-refunded" state={detail.refundedMinor}>
                <Money amountMinor={BigInt(detail.refundedMinor)} currency={payment.currency} />
              </DetailRow>
              <DetailRow label="detail.remaining" testId="detail-remaining" state={detail.remainingMinor}>
                <Money amountMinor={BigInt(detail.remainingMinor)} currency={payment.currency} />
              </DetailRow>
              <DetailRow label="detail.id">
                <LtrText class="technical" testId="detail-payment-id">
                  {payment.id}
                </LtrText>
              </DetailRow>
            </dl>
            <div class="detail-actions">
              <button type="button" class="primary" data-testid="detail-refund" ref={refundRef} aria-disabled={!canRefund} aria-describedby={detail.refundRefusal ? 'refund-refusal' : undefined} onClick={() => canRefund && setRefunding(true)}>
                {i18n.t('detail.refund')}
              </button>
              <VoidControl client={client} connected={connected} detail={detail} onVoided={reload} />
              <button type="button" data-testid="detail-reprint-merchant" aria-disabled={!connected} onClick={() => reprint('merchant')}>
                {i18n.t('detail.reprintMerchant')}
              </button>
              <button type="button" data-testid="detail-reprint-customer" aria-disabled={!connected} onClick={() => reprint('customer')}>
                {i18n.t('detail.reprintCustomer')}
              </button>
            </div>
            {detail.refundRefusal && !detail.refundable ? (
              <p id="refund-refusal" class="refusal" data-testid="detail-refund-refusal" data-reason={detail.refundRefusal}>
                {i18n.t('detail.refundRefused', { reason: i18n.t(`correction.${detail.refundRefusal}`) })}
              </p>
            ) : null}
            {detail.voidRefusal && !detail.voidable ? (
              <p id="void-refusal" class="refusal" data-testid="detail-void-refusal" data-reason={detail.voidRefusal}>
                {i18n.t('detail.voidRefused', { reason: i18n.t(`correction.${detail.voidRefusal}`) })}
              </p>
            ) : null}
            <PrintStatus run={printer.run} />
          </div>
          <LedgerMovements detail={detail} />
        </div>
      ) : null}
      {refunding && detail ? <RefundDialog client={client} connected={connected} detail={detail} onClose={closeRefund} onAnswered={reload} /> : null}
    </div>
  );
}
