// Central's customer-funds model (docs/sync-protocol.md): where a card's money comes from and
// goes back to. Each card has, per currency, its funds with the issuer (`card_funds:<card>:<cur>`,
// below zero by what the card has spent) mirrored by the issuer's side (`issuer:central:<cur>`).
// When central settles a card payment it also posts a `card_funding` entry taking the amount
// from the card's funds; a settled refund or void of a card payment posts one giving it back.
// These entries are central's own: posted in the unit that settles, never in an outbox, and a
// terminal can never push one (central/push-rules.ts has no rule for the kind).
import { accountId } from '../core/ledger/accounts.js';
import type { CurrencyCode } from '../core/currency.js';
import type { TransactionDraft } from '../core/ledger/transaction.js';
import { addChecked } from '../core/money.js';
import type { EngineUnit, PostingEngine } from '../ledger/posting-engine.js';

export function cardFundsAccount(cardId: string, currency: CurrencyCode): string {
  return accountId('card_funds', cardId, currency);
}

export function issuerAccount(currency: CurrencyCode): string {
  return accountId('issuer', 'central', currency);
}

/** Opens a card's funds account and the issuer's in a currency (outside any unit: opening takes one). */
export async function openCardFundingAccounts(engine: PostingEngine, cardId: string, currency: CurrencyCode, nowMs: number): Promise<void> {
  await engine.openAccount({ id: cardFundsAccount(cardId, currency), kind: 'card_funds', currency, createdAtMs: nowMs });
  await engine.openAccount({ id: issuerAccount(currency), kind: 'issuer', currency, createdAtMs: nowMs });
}

/** Throws a MoneyError, before anything is written, if the funding would take a balance out of range. */
export function checkCardFundingInRange(engine: PostingEngine, cardId: string, currency: CurrencyCode, cardFundsDeltaMinor: bigint): void {
  addChecked(engine.balanceOf(cardFundsAccount(cardId, currency)), cardFundsDeltaMinor);
  addChecked(engine.balanceOf(issuerAccount(currency)), -cardFundsDeltaMinor);
}

/**
 * Posts the funding of a settled transaction inside the caller's unit: `cardFundsDeltaMinor`
 * is negative for a payment (the card spends) and positive for a refund or void (money back).
 * Its accounts were opened when the push was prepared; a failure here would leave the unit half
 * written, so it throws (the engine then stops) rather than answer a settlement it did not book.
 */
export async function postCardFunding(unit: EngineUnit, fundingId: string, settledId: string, cardId: string, currency: CurrencyCode, cardFundsDeltaMinor: bigint): Promise<void> {
  const draft: TransactionDraft = {
    id: fundingId,
    kind: 'card_funding',
    state: 'posted',
    referencesId: settledId,
    postings: [
      { accountId: cardFundsAccount(cardId, currency), amountMinor: cardFundsDeltaMinor.toString() },
      { accountId: issuerAccount(currency), amountMinor: (-cardFundsDeltaMinor).toString() },
    ],
  };
  const posted = await unit.post(draft, { toOutbox: false });
  if (posted.result !== 'ok') throw new Error(`card funding of ${settledId} could not be posted: ${posted.result}`);
}
