// The receipt of an approved payment as the runtime reported it, in the merchant's language:
// the amount by Intl, the time in the preference's time zone and the language's calendar (a
// Jalali date in Persian), the PAN already masked (BIN and last four digits; the screen never
// sees the full number) and the ids as left-to-right islands, so no line scrambles in Persian.
// The operator who took the payment is named when known (else the end of their id), and a PIN
// the card checked is said.
import type { ComponentChildren } from 'preact';
import type { Receipt } from '../../core/api/payment.js';
import type { MessageKey } from '../i18n/catalogues.js';
import { useI18n } from '../i18n/i18n-context.js';
import { operatorLabel, useSessionView } from '../hooks/session-context.js';
import { LtrText } from './ltr-text.js';
import { Money } from './money.js';

function Row({ label, testId, wide, children }: { label: MessageKey; testId: string; wide?: boolean; children: ComponentChildren }) {
  const i18n = useI18n();
  return (
    <div class={`receipt-row${wide ? ' wide' : ''}`}>
      <dt>{i18n.t(label)}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

export function ReceiptView({ receipt }: { receipt: Receipt }) {
  const i18n = useI18n();
  const { operators } = useSessionView();
  return (
    <dl class="receipt" aria-label={i18n.t('receipt.label')} data-testid="receipt" data-amount-minor={receipt.amountMinor} data-currency={receipt.currency} data-mode={receipt.mode}>
      <Row label="receipt.amount" testId="receipt-amount">
        <Money amountMinor={BigInt(receipt.amountMinor)} currency={receipt.currency} />
      </Row>
      <Row label="receipt.time" testId="receipt-time">
        <time dateTime={new Date(receipt.atMs).toISOString()}>
          <bdi data-i18n-exempt data-testid="receipt-date">
            {i18n.date(receipt.atMs)}
          </bdi>{' '}
          <bdi dir="ltr" data-i18n-exempt data-testid="receipt-clock">
            {i18n.time(receipt.atMs)}
          </bdi>
        </time>
      </Row>
      <Row label="receipt.card" testId="receipt-pan">
        <LtrText>{receipt.panMasked}</LtrText>
      </Row>
      <Row label="receipt.atc" testId="receipt-atc">
        <bdi dir="ltr" data-i18n-exempt data-atc={receipt.atc}>
          {i18n.number(receipt.atc, { useGrouping: false })}
        </bdi>
      </Row>
      <Row label="receipt.mode" testId="receipt-mode">
        {i18n.t(receipt.mode === 'online' ? 'receipt.online' : 'receipt.offline')}
      </Row>
      {receipt.cvm === 'card_pin' ? (
        <Row label="receipt.cvm" testId="receipt-cvm">
          {i18n.t('receipt.pinVerified')}
        </Row>
      ) : null}
      {receipt.operatorId ? (
        <Row label="receipt.operator" testId="receipt-operator">
          <bdi data-i18n-exempt data-operator-id={receipt.operatorId}>
            {operatorLabel(operators, receipt.operatorId)}
          </bdi>
        </Row>
      ) : null}
      <Row label="receipt.terminal" testId="receipt-terminal-id">
        <LtrText>{receipt.terminalId}</LtrText>
      </Row>
      <Row label="receipt.paymentId" testId="receipt-payment-id" wide>
        <LtrText>{receipt.paymentId}</LtrText>
      </Row>
    </dl>
  );
}
