// The evidence of a pushed card payment: the card's cryptogram over this payment's own amount,
// currency and terminal, and the ATC claimed by this payment and no other. The first payment of
// an ATC claims it; any other payment of that ATC is a double spend, rejected, and the card is
// blocked fleet-wide. An online approval is only one central gave (it claimed the ATC then). An
// offline payment above the terminal's offline CVM limit needs the card's verified PIN, which the
// cryptogram covers: without it the payment is rejected (cvm_missing), its ATC claimed all the
// same so no other payment can spend it.
import type { LogSink } from '../core/log-sink.js';
import { kindOfAccount } from '../core/ledger/accounts.js';
import type { VerdictReason, WireTransaction } from '../core/wire/sync-messages.js';
import type { CentralCards } from './central-cards.js';
import type { ShapedPush } from './push-rules.js';

export async function checkCardPayment(
  cards: CentralCards,
  log: LogSink,
  terminalId: string,
  transaction: WireTransaction,
  shaped: ShapedPush,
  /** The terminal's offline CVM limit in the payment's currency, as central sets it now. */
  offlineCvmLimitMinor: bigint,
): Promise<VerdictReason | null> {
  const card = transaction.card!;
  const issued = cards.card(card.cardId);
  if (!issued) return 'card_unknown';
  // The tap's mode decides the source and the state: offline clearing and approved_offline, or
  // central and approved_online.
  const expectedSource = card.mode === 'offline' ? 'offline_clearing' : 'central';
  const expectedState = card.mode === 'offline' ? 'approved_offline' : 'approved_online';
  if (kindOfAccount(shaped.debit.accountId) !== expectedSource || transaction.state !== expectedState) return 'not_a_card_payment';
  if (shaped.currency !== issued.currency) return 'wrong_currency';
  if (!cards.verifyCryptogram(card, { terminalId, amountMinor: shaped.amountMinor, currency: issued.currency })) return 'cryptogram_invalid';
  const cvmProblem: VerdictReason | null = card.mode === 'offline' && shaped.amountMinor > offlineCvmLimitMinor && card.cvm !== 'card_pin' ? 'cvm_missing' : null;
  const holder = await cards.durableHolderOf(card.cardId, card.atc);
  if (holder === transaction.id) return cvmProblem;
  if (card.mode === 'online') return holder === undefined ? 'not_authorized_online' : 'double_spend_online';
  if (issued.state === 'blocked' && holder === undefined) return 'card_blocked';
  // The claim's write is queued before this payment's post, which commits with or after it.
  const { result: claim, written } = await cards.queueClaim(card.cardId, card.atc, transaction.id);
  written.catch(() => undefined);
  if (claim.result === 'used_by') {
    log.warn({ terminalId, cardId: card.cardId, atc: card.atc, firstPaymentId: claim.paymentId, paymentId: transaction.id }, 'double spend: card blocked');
    await cards.block(card.cardId, 'double_spend');
    return 'double_spend';
  }
  return cvmProblem;
}
