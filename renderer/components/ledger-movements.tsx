// Every transaction of a payment (the payment, its settlement, refunds, void, reversals), oldest
// first, each with its sync state and its ledger movements in the merchant's terms ("Merchant",
// "Offline clearing", "Central") and signed amounts; the raw account id rides along as a small
// left-to-right island for whoever reconciles. It scrolls inside itself.
import type { PaymentDetail } from '../../core/api/corrections.js';
import { currencyOfAccount, kindOfAccount } from '../../core/ledger/accounts.js';
import { useI18n } from '../i18n/i18n-context.js';
import { LtrText } from './ltr-text.js';
import { Money } from './money.js';
import { SyncStateLabel } from './sync-state-label.js';

type Related = PaymentDetail['related'][number];

function Movement({ entry }: { entry: Related }) {
  const i18n = useI18n();
  return (
    <li class="movement" data-testid="movement" data-id={entry.id} data-kind={entry.kind} data-state={entry.state} data-sync-state={entry.syncState} data-amount-minor={entry.amountMinor}>
      <div class="movement-head">
        <span class="movement-kind">{i18n.t(`kind.${entry.kind}`)}</span>
        <Money amountMinor={BigInt(entry.amountMinor)} currency={entry.currency} />
        <bdi class="movement-time" data-i18n-exempt>
          {i18n.dateTime(entry.createdAtMs)}
        </bdi>
        <SyncStateLabel state={entry.syncState} />
      </div>
      <ul class="postings" aria-label={i18n.t('detail.movements')}>
        {entry.postings.map((posting) => {
          const kind = kindOfAccount(posting.accountId);
          return (
            <li key={`${posting.accountId}:${posting.amountMinor}`} class="posting" data-testid="posting" data-account-kind={kind} data-amount-minor={posting.amountMinor}>
              <span class="posting-account">{i18n.t(`account.${kind}`)}</span>
              <span class="posting-amount">
                <Money amountMinor={BigInt(posting.amountMinor)} currency={currencyOfAccount(posting.accountId)} />
              </span>
              <LtrText class="posting-id technical">{posting.accountId}</LtrText>
            </li>
          );
        })}
      </ul>
      <LtrText class="movement-id technical">{entry.id}</LtrText>
    </li>
  );
}

/** The payment first (related may or may not list it), then what refers to it, oldest first. */
function movementsOf(detail: PaymentDetail): Related[] {
  const others = detail.related.filter((entry) => entry.id !== detail.payment.id);
  const own = detail.related.find((entry) => entry.id === detail.payment.id) ?? { ...detail.payment, syncState: detail.syncState };
  return [own, ...others];
}

export function LedgerMovements({ detail }: { detail: PaymentDetail }) {
  const i18n = useI18n();
  const related = movementsOf(detail);
  return (
    <section class="ledger-movements" aria-labelledby="movements-title" data-testid="ledger-movements">
      <h4 id="movements-title">{i18n.t('detail.related')}</h4>
      <ul class="movement-list">
        {related.map((entry) => (
          <Movement key={entry.id} entry={entry} />
        ))}
      </ul>
    </section>
  );
}
