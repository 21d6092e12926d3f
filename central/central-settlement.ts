// Central's side of sync: checks a terminal's push (schema, the terminal it names, its
// authentication tag), records each transaction in central's own durable ledger exactly once
// (a repeated id answers with the verdict already given), settles it, and answers with a signed
// verdict per transaction, only after central's ledger has committed it.
import type { Clock } from '../core/clock.js';
import { signMessage } from '../core/wire/auth-tag.js';
import { authenticateRequest } from './authenticate-request.js';
import { pushRequestSchema, type PushResult, type WireTransaction } from '../core/wire/sync-messages.js';
import { wireProtocolVersion } from '../core/wire/topics.js';
import type { LogSink } from '../core/log-sink.js';
import { accountKinds, currencyOfAccount, kindOfAccount, type AccountKind } from '../core/ledger/accounts.js';
import type { TransactionDraft } from '../core/ledger/transaction.js';
import type { Ledger } from '../ledger/ledger.js';
import type { CentralCards } from './central-cards.js';
import { parseMinorUnits } from '../core/money.js';

type Verdict = PushResult['results'][number];

/** Whether a transaction credits a merchant account from offline clearing or central. */
function creditsMerchantFromClearing(transaction: WireTransaction): boolean {
  const credited = transaction.postings.some((posting) => kindOfAccount(posting.accountId) === 'merchant' && !posting.amountMinor.startsWith('-'));
  const debited = transaction.postings.some((posting) => ['offline_clearing', 'central'].includes(kindOfAccount(posting.accountId)) && posting.amountMinor.startsWith('-'));
  return credited && debited;
}

export class CentralSettlement {
  /** Pushes refused for a bad tag or a terminal mismatch, for tests and metrics. */
  refusedCount = 0;

  constructor(
    private readonly ledger: Ledger,
    private readonly masterKey: Uint8Array,
    private readonly clock: Clock,
    private readonly nextId: () => string,
    private readonly log: LogSink,
    /** Central's card issuer, which checks card payments' cryptograms and ATCs. */
    private readonly cards: CentralCards | null = null,
    /**
     * With a card issuer, a merchant credited from offline clearing or central must be a card
     * payment; only simulations and sync benchmarks that predate cards accept card-less ones.
     */
    private readonly policy: { acceptCardlessPayments: boolean } = { acceptCardlessPayments: false },
  ) {}

  /** The push handler for CentralService: answers a signed push_result, or null to refuse. */
  handlePush = async (terminalId: string, payload: Buffer): Promise<Record<string, unknown> | null> => {
    const checked = authenticateRequest(pushRequestSchema, terminalId, payload, this.masterKey);
    if (!checked.ok) return this.refuse(terminalId, checked.reason, checked.detail);
    const { request: push, key } = checked;
    const results = await this.settleBatch(terminalId, push.transactions);
    return signMessage(key, { v: wireProtocolVersion, kind: 'push_result', correlationId: push.correlationId, terminalId, results });
  };

  /**
   * Settles a push in the order the terminal sent it (a wallet's top-up before the spend that
   * needs it): accounts are opened one transaction at a time, then every post is queued on the
   * engine in push order before any is awaited, so the batch shares group commits without any
   * payment overtaking an earlier one; settlements follow the same way.
   */
  private async settleBatch(terminalId: string, transactions: WireTransaction[]): Promise<Verdict[]> {
    const { engine } = this.ledger;
    const prepared: Array<Verdict | TransactionDraft> = [];
    for (const transaction of transactions) prepared.push(await this.prepare(terminalId, transaction));
    const posted = await Promise.all(prepared.map((entry) => ('outcome' in entry ? null : engine.post(entry, { toOutbox: false }))));
    const settled = await Promise.all(
      posted.map((result) =>
        result && (result.result === 'ok' || result.result === 'exists') && (result.transaction.state === 'approved_offline' || result.transaction.state === 'approved_online')
          ? engine.transition(result.transaction.id, 'settled', this.nextId(), 'settled by central')
          : null,
      ),
    );
    return prepared.map((entry, index): Verdict => {
      if ('outcome' in entry) return entry;
      const result = posted[index]!;
      const settlement = settled[index];
      if (result.result === 'exists_with_different_content') return { id: entry.id, outcome: 'rejected', reason: 'conflicting_content' };
      if (result.result !== 'ok' && result.result !== 'exists') return { id: entry.id, outcome: 'rejected', reason: result.result };
      if (result.transaction.state === 'rejected') return { id: entry.id, outcome: 'rejected', reason: 'rejected_earlier' };
      if (settlement && settlement.result !== 'ok' && settlement.result !== 'exists') return { id: entry.id, outcome: 'rejected', reason: settlement.result };
      return { id: entry.id, outcome: 'settled', reason: 'settled by central' };
    });
  }

  /** Checks a pushed transaction's accounts belong to the terminal and opens them; returns its draft or a rejection. */
  private async prepare(terminalId: string, transaction: WireTransaction): Promise<Verdict | TransactionDraft> {
    const { engine } = this.ledger;
    if (transaction.card) {
      const problem = await this.checkCardPayment(terminalId, transaction);
      if (problem) return { id: transaction.id, outcome: 'rejected', reason: problem };
    } else if (this.cards && !this.policy.acceptCardlessPayments && creditsMerchantFromClearing(transaction)) {
      // Without a card's proof such a payment would be money a terminal (or its stolen key) minted.
      return { id: transaction.id, outcome: 'rejected', reason: 'card_details_missing' };
    }
    for (const posting of transaction.postings) {
      const owner = posting.accountId.split(':')[1];
      if (owner !== terminalId) return { id: transaction.id, outcome: 'rejected', reason: 'foreign_account' };
      const kind = kindOfAccount(posting.accountId);
      if (!(accountKinds as readonly string[]).includes(kind)) return { id: transaction.id, outcome: 'rejected', reason: 'unknown_account_kind' };
      const currency = currencyOfAccount(posting.accountId);
      await engine.openAccount({ id: posting.accountId, kind: kind as AccountKind, currency, createdAtMs: this.clock.nowMs() });
      // Settling an offline approval moves it to the terminal's central account.
      if (kind === 'offline_clearing') await engine.openAccount({ id: `central:${terminalId}:${currency}`, kind: 'central', currency, createdAtMs: this.clock.nowMs() });
    }
    return {
      id: transaction.id,
      kind: transaction.kind,
      state: transaction.state === 'approved_offline' || transaction.state === 'approved_online' ? transaction.state : 'posted',
      postings: transaction.postings,
      ...(transaction.referencesId ? { referencesId: transaction.referencesId } : {}),
      ...(transaction.fx ? { fx: transaction.fx } : {}),
      ...(transaction.memo ? { memo: transaction.memo } : {}),
      ...(transaction.card ? { card: transaction.card } : {}),
    };
  }

  /**
   * A card payment settles only with a valid cryptogram over its own amount, currency and
   * terminal, and only if its ATC is this payment's: the first payment of an ATC claims it; any
   * other payment of that ATC is a double spend, rejected, and the card is blocked fleet-wide.
   */
  private async checkCardPayment(terminalId: string, transaction: WireTransaction): Promise<string | null> {
    const card = transaction.card!;
    const issued = this.cards?.card(card.cardId);
    if (!this.cards || !issued) return 'card_unknown';
    // Exactly the shape the terminal posts: the merchant credited from offline clearing (offline)
    // or central (online), both in the card's currency, the state matching the tap's mode.
    const merchant = transaction.postings.find((posting) => kindOfAccount(posting.accountId) === 'merchant');
    const source = transaction.postings.find((posting) => posting !== merchant);
    const expectedSource = card.mode === 'offline' ? 'offline_clearing' : 'central';
    const expectedState = card.mode === 'offline' ? 'approved_offline' : 'approved_online';
    if (transaction.kind !== 'payment' || transaction.postings.length !== 2 || !merchant || !source || kindOfAccount(source.accountId) !== expectedSource || transaction.state !== expectedState) return 'not_a_card_payment';
    if (currencyOfAccount(merchant.accountId) !== issued.currency || currencyOfAccount(source.accountId) !== issued.currency) return 'wrong_currency';
    const amountMinor = parseMinorUnits(merchant.amountMinor);
    if (amountMinor <= 0n) return 'not_a_card_payment';
    if (!this.cards.verifyCryptogram(card, { terminalId, amountMinor, currency: issued.currency })) return 'cryptogram_invalid';
    const holder = await this.cards.durableHolderOf(card.cardId, card.atc);
    if (holder === transaction.id) return null;
    // An online approval is one central gave: it claimed the ATC for this payment when it did.
    if (card.mode === 'online') return holder === undefined ? 'not_authorized_online' : 'double_spend_online';
    if (issued.state === 'blocked' && holder === undefined) return 'card_blocked';
    const claim = await this.cards.claim(card.cardId, card.atc, transaction.id);
    if (claim.result === 'used_by') {
      this.log.warn({ terminalId, cardId: card.cardId, atc: card.atc, firstPaymentId: claim.paymentId, paymentId: transaction.id }, 'double spend: card blocked');
      await this.cards.block(card.cardId, 'double_spend');
      return 'double_spend';
    }
    return null;
  }

  private refuse(terminalId: string, reason: string, detail: string): null {
    this.refusedCount += 1;
    this.log.warn({ terminalId, reason, detail }, 'central refused a push');
    return null;
  }
}
