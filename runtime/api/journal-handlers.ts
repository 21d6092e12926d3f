// The journal's API handler: a page of the ledger's transactions as the merchant's journal
// shows them. The ledger is asked for at call time, so a reopened ledger is the one read.
import { toJournalEntry } from '../../core/api/journal.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { CommandHandlers } from './api-server.js';

export function journalHandlers(currentLedger: () => Ledger): Pick<CommandHandlers, 'journal.list'> {
  return {
    'journal.list': async (query) => {
      const page = await currentLedger().journal.list(query);
      return { entries: page.transactions.map(toJournalEntry), nextCursor: page.nextCursor };
    },
  };
}
