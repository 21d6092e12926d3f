// The receipt of an approved payment as the runtime reported it. The PAN arrives already masked
// (BIN and last four digits); the screen shows it as given and never sees the full number. The
// amount is turned into text only by formatMinor; the time is a plain UTC timestamp until the UI
// is localised.
import type { ComponentChildren } from 'preact';
import type { Receipt } from '../../core/api/payment.js';
import { formatMinor } from '../../core/currency.js';

/** 2026-11-24 13:53:31 UTC: unambiguous, sortable and independent of the page's locale. */
export function formatReceiptTime(atMs: number): string {
  return `${new Date(atMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function Row({ label, testId, children }: { label: string; testId: string; children: ComponentChildren }) {
  return (
    <div class="receipt-row">
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

export function ReceiptView({ receipt }: { receipt: Receipt }) {
  return (
    <dl class="receipt" data-testid="receipt" data-amount-minor={receipt.amountMinor} data-currency={receipt.currency} data-mode={receipt.mode}>
      <Row label="Amount" testId="receipt-amount">
        <span class="currency-code">{receipt.currency}</span> {formatMinor(BigInt(receipt.amountMinor), receipt.currency)}
      </Row>
      <Row label="Card" testId="receipt-pan">
        <bdi dir="ltr">{receipt.panMasked}</bdi>
      </Row>
      <Row label="ATC" testId="receipt-atc">
        {receipt.atc}
      </Row>
      <Row label="Authorized" testId="receipt-mode">
        {receipt.mode === 'online' ? 'Online' : 'Offline'}
      </Row>
      <Row label="Payment id" testId="receipt-payment-id">
        <bdi dir="ltr">{receipt.paymentId}</bdi>
      </Row>
      <Row label="Terminal" testId="receipt-terminal-id">
        <bdi dir="ltr">{receipt.terminalId}</bdi>
      </Row>
      <Row label="Time" testId="receipt-time">
        <time dateTime={new Date(receipt.atMs).toISOString()}>{formatReceiptTime(receipt.atMs)}</time>
      </Row>
    </dl>
  );
}
