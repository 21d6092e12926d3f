// One alert in the merchant's terms: a title by kind, then the facts (amount, the card as the
// receipt masks it, when, a short payment reference), then what happened and what to do, both
// chosen by kind and reason code. The reason code and the full id are never the text shown;
// they ride along as data attributes for tests and support.
import type { AlertRecord } from '../../core/api/alerts.js';
import { useI18n } from '../i18n/i18n-context.js';
import type { MessageKey } from '../i18n/catalogues.js';
import type { Translator } from '../i18n/translator.js';
import { receivableReasons, rejectionActions, revocationReasons, type RejectionReason } from '../i18n/reason-keys.js';
import { LtrText } from './ltr-text.js';
import { Money } from './money.js';

/** How many trailing characters of a transaction id make a reference support can search for. */
const referenceLength = 8;

function isRejectionReason(reason: string): reason is RejectionReason {
  return Object.hasOwn(rejectionActions, reason);
}

/** Title, what happened and what to do, in the current language. */
export function alertTexts(alert: AlertRecord, i18n: Translator): { title: string; what: string; todo: string } {
  switch (alert.kind) {
    case 'payment_rejected': {
      const known = isRejectionReason(alert.reason);
      return {
        title: i18n.t('alert.payment_rejected.title'),
        what: i18n.t('alert.payment_rejected.what', { reason: known ? i18n.t(`rejection.${alert.reason as RejectionReason}`) : i18n.t('alerts.unknownReason') }),
        todo: i18n.t(`rejection.action.${known ? rejectionActions[alert.reason as RejectionReason] : 'call_support'}`),
      };
    }
    case 'card_revoked': {
      const reason = (revocationReasons as readonly string[]).includes(alert.reason) ? (alert.reason as (typeof revocationReasons)[number]) : 'other';
      return { title: i18n.t('alert.card_revoked.title'), what: i18n.t(`alert.card_revoked.what.${reason}`), todo: i18n.t('alert.card_revoked.todo') };
    }
    case 'agent_receivable': {
      const reason = (receivableReasons as readonly string[]).includes(alert.reason) ? (alert.reason as (typeof receivableReasons)[number]) : 'other';
      const key = (part: 'title' | 'what' | 'todo'): MessageKey => `alert.agent_receivable.${part}.${reason}`;
      return { title: i18n.t(key('title')), what: i18n.t(key('what')), todo: i18n.t(key('todo')) };
    }
  }
}

export function AlertCard({ alert }: { alert: AlertRecord }) {
  const i18n = useI18n();
  const { title, what, todo } = alertTexts(alert, i18n);
  const amountMinor = alert.amountMinor === null ? null : BigInt(alert.amountMinor);
  return (
    <div class="alert-card" role="alert" data-testid="alert" data-kind={alert.kind} data-reason={alert.reason} data-alert-id={alert.id}>
      <p class="alert-head">
        <strong class="alert-title">{title}</strong>
        {amountMinor !== null && alert.currency !== null ? (
          <Money amountMinor={amountMinor < 0n ? -amountMinor : amountMinor} currency={alert.currency} testId="alert-amount" />
        ) : null}
        {alert.panMasked === null ? null : (
          <span class="alert-fact">
            <span>{i18n.t('alerts.card')}</span> <LtrText testId="alert-pan">{alert.panMasked}</LtrText>
          </span>
        )}
        <time class="alert-fact" dateTime={new Date(alert.atMs).toISOString()}>
          <bdi data-i18n-exempt data-testid="alert-time">
            {i18n.dateTime(alert.atMs)}
          </bdi>
        </time>
        {alert.transactionId ? (
          <span class="alert-fact alert-reference" data-transaction-id={alert.transactionId}>
            <span>{i18n.t('alerts.reference')}</span> <LtrText>{alert.transactionId.slice(-referenceLength)}</LtrText>
          </span>
        ) : null}
      </p>
      <p class="alert-body" data-testid="alert-text">
        {what} {todo}
      </p>
    </div>
  );
}
