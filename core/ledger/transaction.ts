// Ledger transactions: immutable sets of postings that balance per currency. A transaction's
// state may move forward (approved → settled or rejected); its postings never change. A
// correction is a new reversing transaction that names the original. Amounts are bigint minor
// units in code and decimal strings in documents.
import { z } from 'zod';
import { currencyCodes, type CurrencyCode } from '../currency.js';
import { addChecked, parseMinorUnits } from '../money.js';
import { ulidPattern } from '../ids.js';
import { accountIdPattern, currencyOfAccount } from './accounts.js';

/**
 * Every kind the ledger holds. Only some may travel to central (central/push-rules.ts is the
 * closed set it accepts): payments (card or wallet), wallet top-ups, refunds and voids (a card
 * payment undone before central settled it, or the same day). Settlements and reversals are
 * central's follow-ups mirrored locally; test payments never leave the terminal; card funding is
 * central's own entry moving a card's funds (the customer-funds model, docs/sync-protocol.md).
 */
export const transactionKinds = ['payment', 'settlement', 'reversal', 'transfer', 'fx_payment', 'test_payment', 'wallet_top_up', 'refund', 'void', 'card_funding'] as const;
export type TransactionKind = (typeof transactionKinds)[number];

export const transactionStates = ['approved_offline', 'approved_online', 'settled', 'rejected', 'posted'] as const;
export type TransactionState = (typeof transactionStates)[number];

/** Allowed state moves; everything else is refused. */
export const stateTransitions: Readonly<Record<TransactionState, readonly TransactionState[]>> = {
  approved_offline: ['settled', 'rejected'],
  approved_online: ['settled', 'rejected'],
  settled: [],
  rejected: [],
  posted: [],
};

const minorString = z.string().regex(/^(0|-?[1-9]\d{0,19})$/);

export const postingSchema = z
  .object({
    accountId: z.string().regex(accountIdPattern),
    /** Signed minor units: positive raises the account's balance, negative lowers it. */
    amountMinor: minorString,
  })
  .strict();
export type Posting = z.infer<typeof postingSchema>;

export const fxDetailsSchema = z
  .object({
    fromCurrency: z.enum(currencyCodes),
    toCurrency: z.enum(currencyCodes),
    /** Units of toCurrency per unit of fromCurrency, as a decimal string (never a float). */
    rate: z.string().regex(/^\d{1,12}(\.\d{1,12})?$/),
    spreadBasisPoints: z.number().int().min(0).max(10_000),
  })
  .strict();
export type FxDetails = z.infer<typeof fxDetailsSchema>;

/**
 * What a card payment records of its tap, enough for central to check the cryptogram and the
 * ATC: never the PAN (only its masked form for the receipt), the CVV or the ATC's secret.
 */
export const cardDetailsSchema = z
  .object({
    cardId: z.string().regex(/^[0-9a-f]{16}$/),
    atc: z.number().int().min(1).max(0xffff_ffff),
    panMasked: z.string().regex(/^\d{6}\*{6}\d{4}$/),
    cryptogram: z.string().regex(/^[0-9a-f]{32}$/),
    /** The 27 bytes of terminal data the card signed, in hex. */
    terminalData: z.string().regex(/^[0-9a-f]{54}$/),
    mode: z.enum(['online', 'offline']),
    /**
     * The cardholder verification the card reported and bound into the cryptogram: it checked
     * the PIN (card_pin) or none was done. Absent is none (taps from before CVM existed).
     */
    cvm: z.enum(['card_pin', 'none']).optional(),
  })
  .strict();
export type CardDetails = z.infer<typeof cardDetailsSchema>;

/** What a caller asks the posting engine to post. */
export const transactionDraftSchema = z
  .object({
    id: z.string().regex(ulidPattern),
    kind: z.enum(transactionKinds),
    state: z.enum(['approved_offline', 'approved_online', 'posted']),
    postings: z.array(postingSchema).min(2).max(16),
    referencesId: z.string().regex(ulidPattern).optional(),
    fx: fxDetailsSchema.optional(),
    memo: z.string().max(200).optional(),
    card: cardDetailsSchema.optional(),
    /** The operator signed in when the terminal made it (absent: central's own entries, or made before operators existed). */
    operatorId: z.string().regex(ulidPattern).optional(),
  })
  .strict();
export type TransactionDraft = z.infer<typeof transactionDraftSchema>;

export type TransactionRuleError =
  | { code: 'unbalanced'; currency: CurrencyCode; imbalanceMinor: string }
  | { code: 'zero_posting'; accountId: string }
  | { code: 'duplicate_account'; accountId: string }
  | { code: 'fx_details_missing' }
  | { code: 'fx_currencies_mismatch' }
  | { code: 'reversal_without_original' };

/** Checks the rules that need no ledger state. Returns null when the draft is sound. */
export function checkTransactionRules(draft: TransactionDraft): TransactionRuleError | null {
  const sums = new Map<CurrencyCode, bigint>();
  const seen = new Set<string>();
  for (const posting of draft.postings) {
    const amount = parseMinorUnits(posting.amountMinor);
    if (amount === 0n) return { code: 'zero_posting', accountId: posting.accountId };
    if (seen.has(posting.accountId)) return { code: 'duplicate_account', accountId: posting.accountId };
    seen.add(posting.accountId);
    const currency = currencyOfAccount(posting.accountId);
    sums.set(currency, addChecked(sums.get(currency) ?? 0n, amount));
  }
  for (const [currency, sum] of sums) {
    if (sum !== 0n) return { code: 'unbalanced', currency, imbalanceMinor: sum.toString() };
  }
  if (draft.kind === 'fx_payment') {
    if (!draft.fx) return { code: 'fx_details_missing' };
    const currencies = [...sums.keys()].sort();
    const expected = [draft.fx.fromCurrency, draft.fx.toCurrency].sort();
    if (currencies.length !== 2 || currencies[0] !== expected[0] || currencies[1] !== expected[1]) return { code: 'fx_currencies_mismatch' };
  }
  if ((draft.kind === 'reversal' || draft.kind === 'settlement' || draft.kind === 'refund' || draft.kind === 'void' || draft.kind === 'card_funding') && !draft.referencesId) return { code: 'reversal_without_original' };
  return null;
}

/** The content that makes two posts of one id the same: everything but state and times. */
export function transactionContentKey(draft: TransactionDraft): string {
  return JSON.stringify([draft.kind, draft.postings.map((posting) => [posting.accountId, posting.amountMinor]), draft.referencesId ?? null, draft.fx ?? null, draft.memo ?? null, draft.card ?? null]);
}
