// Central's answer to a terminal's day close: for each transaction id the terminal names, what
// central's own books hold (settled or rejected, its kind, currency and amount). Only this
// terminal's transactions are answered: one whose accounts are not all the asking terminal's is
// answered `unknown`, exactly like an id central never saw, so a terminal (or its stolen key)
// cannot learn of another terminal's payments by guessing ids. The request carries the
// terminal's tag and the answer is signed with the same key.
import { signMessage } from '../core/wire/auth-tag.js';
import { dayTotalsRequestSchema, type DayTotalsEntry } from '../core/wire/day-messages.js';
import { wireProtocolVersion } from '../core/wire/topics.js';
import { ownerOfAccount } from '../core/ledger/accounts.js';
import { journalFactsOf } from '../core/ledger/journal.js';
import type { LogSink } from '../core/log-sink.js';
import type { Ledger } from '../ledger/ledger.js';
import type { TransactionDocument } from '../ledger/stores/outbox-store.js';
import { authenticateRequest } from './authenticate-request.js';

export class DayTotals {
  /** Requests refused for a bad tag, a malformed body or a terminal mismatch. */
  refusedCount = 0;

  constructor(
    private readonly ledger: Ledger,
    private readonly masterKey: Uint8Array,
    private readonly log: LogSink,
  ) {}

  handleDayTotals = async (terminalId: string, payload: Buffer): Promise<Record<string, unknown> | null> => {
    const checked = authenticateRequest(dayTotalsRequestSchema, terminalId, payload, this.masterKey);
    if (!checked.ok) {
      this.refusedCount += 1;
      this.log.warn({ terminalId, reason: checked.reason, detail: checked.detail }, 'central refused a day totals request');
      return null;
    }
    const { request, key } = checked;
    const ids = [...new Set(request.ids)];
    const found = await this.ledger.transactions.getMany(ids);
    const entries = ids.map((id) => entryOf(id, found.get(id), terminalId));
    return signMessage(key, { v: wireProtocolVersion, kind: 'day_totals_result', correlationId: request.correlationId, terminalId, entries });
  };
}

function entryOf(id: string, transaction: TransactionDocument | undefined, terminalId: string): DayTotalsEntry {
  const unknown: DayTotalsEntry = { id, state: 'unknown', kind: null, currency: null, amountMinor: null };
  if (!transaction || transaction.postings.length === 0) return unknown;
  if (transaction.postings.some((posting) => ownerOfAccount(posting.accountId) !== terminalId)) return unknown;
  // Central posts and settles a push in one unit; anything else in its books is not decided yet.
  if (transaction.state !== 'settled' && transaction.state !== 'rejected') return unknown;
  const facts = journalFactsOf(transaction);
  return { id, state: transaction.state, kind: facts.kind, currency: facts.currency, amountMinor: facts.amountMinor.toString() };
}
