// The journal part of the API contract: a page of the ledger's transactions, newest first,
// filtered by time, state, kind, currency, amount, the card's last four digits or payment id
// (core/ledger/journal.ts), continued by a cursor. An entry carries what a merchant's journal
// shows (never a PAN: only the masked one printed on the receipt) and every ledger movement.
import { z } from 'zod';
import { currencyCodes } from '../currency.js';
import { journalFactsOf, journalQuerySchema } from '../ledger/journal.js';
import { transactionKinds, transactionStates, type CardDetails, type Posting, type TransactionKind, type TransactionState } from '../ledger/transaction.js';

export const journalEntrySchema = z.object({
  id: z.string(),
  kind: z.enum(transactionKinds),
  state: z.enum(transactionStates),
  currency: z.enum(currencyCodes),
  /** What the transaction moves, in minor units (the sum of its credits in its currency). */
  amountMinor: z.string(),
  createdAtMs: z.number().int(),
  updatedAtMs: z.number().int(),
  referencesId: z.string().nullable(),
  /** How the cardholder was verified: the card checked the PIN, or none was needed. */
  card: z.object({ panMasked: z.string(), atc: z.number().int(), mode: z.enum(['online', 'offline']), cvm: z.enum(['card_pin', 'none']) }).nullable(),
  /** The operator who made it at this terminal; null for central's entries and older transactions. */
  operatorId: z.string().nullable(),
  postings: z.array(z.object({ accountId: z.string(), amountMinor: z.string() })),
});
export type JournalEntry = z.infer<typeof journalEntrySchema>;

export const journalCommandSchemas = {
  'journal.list': {
    params: journalQuerySchema,
    result: z.object({ entries: z.array(journalEntrySchema), nextCursor: z.string().nullable() }),
  },
} as const;

export function toJournalEntry(transaction: {
  id: string;
  kind: TransactionKind;
  state: TransactionState;
  postings: Posting[];
  referencesId?: string | undefined;
  card?: CardDetails | undefined;
  operatorId?: string | undefined;
  createdAtMs: number;
  updatedAtMs: number;
}): JournalEntry {
  const facts = journalFactsOf(transaction);
  return {
    id: transaction.id,
    kind: transaction.kind,
    state: transaction.state,
    currency: facts.currency,
    amountMinor: facts.amountMinor.toString(),
    createdAtMs: transaction.createdAtMs,
    updatedAtMs: transaction.updatedAtMs,
    referencesId: transaction.referencesId ?? null,
    card: transaction.card ? { panMasked: transaction.card.panMasked, atc: transaction.card.atc, mode: transaction.card.mode, cvm: transaction.card.cvm ?? 'none' } : null,
    operatorId: transaction.operatorId ?? null,
    postings: transaction.postings.map((posting) => ({ accountId: posting.accountId, amountMinor: posting.amountMinor })),
  };
}
