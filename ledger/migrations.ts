// Migration strategies per collection, keyed by the schema version they migrate to. Every
// collection is at version 0 today; a schema change adds its version here with a function from
// the old document to the new, and RxDB's migration-schema plugin runs it at open.
import type { MigrationStrategies } from 'rxdb';

export const migrationStrategies: Record<'accounts' | 'transactions' | 'balances' | 'outbox' | 'reserve_tokens' | 'settings', MigrationStrategies> = {
  accounts: {},
  transactions: {},
  balances: {},
  outbox: {},
  reserve_tokens: {},
  settings: {},
};
