// Payments that carry money central can prove, for tests and benchmarks of sync: each is a tap of
// one of the simulator's virtual cards (one per currency, issued by a central with
// `simCards: 5` or `--sim-cards 5`), so central settles it on the card's cryptogram and ATC
// like any terminal's offline card payment. Each instance taps its cards from ATC 1: use one per
// central, or central sees the second instance's taps as double spends.
import { toHex, type Clock, type Random } from '../../core/clock.js';
import { deriveCardKey, terminalIdHash } from '../../core/card/card-crypto.js';
import { maskPan } from '../../core/card/offline-checks.js';
import { encodeTerminalData, transactionDate } from '../../core/card/terminal-data.js';
import { accountId } from '../../core/ledger/accounts.js';
import type { CardDetails, TransactionDraft } from '../../core/ledger/transaction.js';
import type { CurrencyCode } from '../../core/currency.js';
import { generateCommand, parseGenerateResponse, parseSelectResponse, selectCommand } from '../../device/devpay-card-apdu.js';
import { DevpayCard } from '../../drivers/sim/devpay-card.js';
import { deriveCardMasterKey, simCardId, type CentralCards } from '../../central/central-cards.js';
import { simCardCapMinor, simCardCurrency } from '../../central/central-node.js';

export const simCardsForEveryCurrency = 5;

/** Issues the five virtual cards at a central built by hand (startCentralNode's `simCards` does the same). */
export async function issueVirtualCards(cards: CentralCards): Promise<void> {
  for (let index = 0; index < simCardsForEveryCurrency; index += 1) {
    await cards.issue(toHex(simCardId(cards.cardMasterKey, index)), simCardCurrency(index), simCardCapMinor(index));
  }
}

export class VirtualCardPayments {
  private readonly cards = new Map<CurrencyCode, { card: DevpayCard; cardIdHex: string }>();

  /** `syncMasterKey` is central's master key (its sync-master.key); the card keys derive from it. */
  constructor(
    syncMasterKey: Uint8Array,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {
    const cardMasterKey = deriveCardMasterKey(syncMasterKey);
    for (let index = 0; index < simCardsForEveryCurrency; index += 1) {
      const cardId = simCardId(cardMasterKey, index);
      this.cards.set(simCardCurrency(index), { card: new DevpayCard(cardId, deriveCardKey(cardMasterKey, cardId)), cardIdHex: toHex(cardId) });
    }
  }

  /** A tap of the currency's card for this amount at this terminal, as the payment records it. */
  tap(terminalId: string, currency: CurrencyCode, amountMinor: bigint, mode: CardDetails['mode'] = 'offline'): CardDetails {
    const { card, cardIdHex } = this.cards.get(currency)!;
    const terminalData = { amountMinor, currency, terminalIdHash: terminalIdHash(terminalId), unpredictableNumber: this.random.bytes(4), date: transactionDate(this.clock.nowMs()) };
    card.reset();
    const selected = parseSelectResponse(card.respond(selectCommand()));
    const data = parseGenerateResponse(card.respond(generateCommand(terminalData)), selected.cardId);
    return { cardId: cardIdHex, atc: data.atc, panMasked: maskPan(data.pan), cryptogram: toHex(data.cryptogram), terminalData: toHex(encodeTerminalData(terminalData)), mode };
  }

  /** An offline card payment as the terminal posts it: offline clearing to the merchant. */
  offlinePayment(id: string, terminalId: string, currency: CurrencyCode, amountMinor: bigint): TransactionDraft {
    return {
      id,
      kind: 'payment',
      state: 'approved_offline',
      postings: [
        { accountId: accountId('offline_clearing', terminalId, currency), amountMinor: (-amountMinor).toString() },
        { accountId: accountId('merchant', terminalId, currency), amountMinor: amountMinor.toString() },
      ],
      card: this.tap(terminalId, currency, amountMinor),
    };
  }
}

