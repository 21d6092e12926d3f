// The journal's query language, pure: what a page of transactions may be filtered by, the facts
// of a transaction those filters look at (all non-PII: time, state, kind, currency, amount, the
// card's last four digits as printed on the receipt, the payment it refers to), and the cursor
// that continues a page. Pages are newest first, ordered by (createdAtMs, id) descending. The
// ledger answers the same query over its hot set in memory and its cold store through indexes.
import { z } from 'zod';
import { currencyCodes, type CurrencyCode } from '../currency.js';
import { ulidPattern } from '../ids.js';
import { currencyOfAccount } from './accounts.js';
import { parseMinorUnits } from '../money.js';
import { transactionKinds, transactionStates, type CardDetails, type Posting, type TransactionKind, type TransactionState } from './transaction.js';

const minorString = z.string().regex(/^-?\d{1,19}$/);
const time = z.number().int().min(0).max(1e15);

export const journalPageMaxRows = 100;

export const journalQuerySchema = z
  .object({
    fromMs: time.optional(),
    /** Exclusive. */
    toMs: time.optional(),
    states: z.array(z.enum(transactionStates)).min(1).max(transactionStates.length).optional(),
    kinds: z.array(z.enum(transactionKinds)).min(1).max(transactionKinds.length).optional(),
    currency: z.enum(currencyCodes).optional(),
    minAmountMinor: minorString.optional(),
    maxAmountMinor: minorString.optional(),
    last4: z.string().regex(/^\d{4}$/).optional(),
    /** A payment and everything that refers to it (its settlement, reversal, refunds). */
    paymentId: z.string().regex(ulidPattern).optional(),
    cursor: z.string().regex(/^\d{1,16}\.[0-9A-HJKMNP-TV-Z]{26}$/).optional(),
    limit: z.number().int().min(1).max(journalPageMaxRows).default(50),
  })
  .strict();
export type JournalQuery = z.infer<typeof journalQuerySchema>;

/** What the journal's filters look at: clear, non-PII, indexed in the cold store. */
export interface JournalFacts {
  id: string;
  createdAtMs: number;
  state: TransactionState;
  kind: TransactionKind;
  currency: CurrencyCode;
  /** What the transaction moves: the sum of its credits in its first posting's currency. */
  amountMinor: bigint;
  last4: string | null;
  referencesId: string | null;
}

const int64Max = (1n << 63n) - 1n;

export function journalFactsOf(transaction: {
  id: string;
  createdAtMs: number;
  state: TransactionState;
  kind: TransactionKind;
  postings: readonly Posting[];
  referencesId?: string | undefined;
  card?: Pick<CardDetails, 'panMasked'> | undefined;
}): JournalFacts {
  const currency = currencyOfAccount(transaction.postings[0]!.accountId);
  let amountMinor = 0n;
  for (const posting of transaction.postings) {
    const amount = parseMinorUnits(posting.amountMinor);
    if (amount > 0n && currencyOfAccount(posting.accountId) === currency) amountMinor += amount;
  }
  return {
    id: transaction.id,
    createdAtMs: transaction.createdAtMs,
    state: transaction.state,
    kind: transaction.kind,
    currency,
    // Credits of up to 16 postings could pass int64; the index holds at most int64's maximum.
    amountMinor: amountMinor > int64Max ? int64Max : amountMinor,
    last4: transaction.card ? transaction.card.panMasked.slice(-4) : null,
    referencesId: transaction.referencesId ?? null,
  };
}

export interface JournalCursor {
  createdAtMs: number;
  id: string;
}

export function encodeJournalCursor(facts: JournalCursor): string {
  return `${facts.createdAtMs}.${facts.id}`;
}

export function decodeJournalCursor(cursor: string): JournalCursor {
  const dot = cursor.indexOf('.');
  return { createdAtMs: Number(cursor.slice(0, dot)), id: cursor.slice(dot + 1) };
}

/** Whether a transaction's facts pass every filter of the query, the cursor included. */
export function matchesJournalQuery(facts: JournalFacts, query: JournalQuery): boolean {
  if (query.fromMs !== undefined && facts.createdAtMs < query.fromMs) return false;
  if (query.toMs !== undefined && facts.createdAtMs >= query.toMs) return false;
  if (query.states && !query.states.includes(facts.state)) return false;
  if (query.kinds && !query.kinds.includes(facts.kind)) return false;
  if (query.currency && facts.currency !== query.currency) return false;
  if (query.minAmountMinor !== undefined && facts.amountMinor < BigInt(query.minAmountMinor)) return false;
  if (query.maxAmountMinor !== undefined && facts.amountMinor > BigInt(query.maxAmountMinor)) return false;
  if (query.last4 && facts.last4 !== query.last4) return false;
  if (query.paymentId && facts.id !== query.paymentId && facts.referencesId !== query.paymentId) return false;
  if (query.cursor) {
    const cursor = decodeJournalCursor(query.cursor);
    if (!isBefore(facts, cursor)) return false;
  }
  return true;
}

/** Newest first: whether `facts` comes after `cursor` in the journal's order. */
export function isBefore(facts: JournalCursor, cursor: JournalCursor): boolean {
  return facts.createdAtMs < cursor.createdAtMs || (facts.createdAtMs === cursor.createdAtMs && facts.id < cursor.id);
}

/** The journal's order: newest first, ties by id descending. */
export function compareNewestFirst(left: JournalCursor, right: JournalCursor): number {
  if (left.createdAtMs !== right.createdAtMs) return right.createdAtMs - left.createdAtMs;
  return left.id < right.id ? 1 : left.id > right.id ? -1 : 0;
}
