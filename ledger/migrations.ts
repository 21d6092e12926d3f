// Migration strategies per collection, keyed by the schema version they migrate to. A schema
// change adds its version here with a function from the old document to the new, and RxDB's
// migration-schema plugin runs it at open.
import type { MigrationStrategies } from 'rxdb';

export const migrationStrategies: Record<'accounts' | 'transactions' | 'balances' | 'outbox' | 'reserve_tokens' | 'settings', MigrationStrategies> = {
  // Version 1 adds the agent's float and receivable to the kinds; older documents are unchanged.
  accounts: { 1: (document: unknown) => document },
  // Version 1 adds the optional card details of card payments; older documents are unchanged.
  transactions: { 1: (document: unknown) => document },
  balances: {},
  outbox: {},
  // Version 1 keeps batch signatures once per batch and a Merkle proof per token. Version 0
  // tokens carried no proof, could not be rechecked at use, and were never issued: dropped.
  // Version 2 only shortens the id's maxLength (an index size), documents are unchanged.
  reserve_tokens: { 1: () => null, 2: (document: unknown) => document },
  settings: {},
};
