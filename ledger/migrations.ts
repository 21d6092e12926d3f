// Migration strategies per collection, keyed by the schema version they migrate to. A schema
// change adds its version here with a function from the old document to the new, and RxDB's
// migration-schema plugin runs it at open. Reserve tokens left RxDB for the cold store
// (reserve-token-table.ts): tokens written by any earlier version are migrated here, with the
// same strategies, into the cold table at the first open, in one commit.
import type { MigrationStrategies } from 'rxdb';
import type { SqliteStore, StoredWrite } from './durable/sqlite-store.js';
import type { ReserveTokenDocument } from './schemas.js';
import { reserveTokenWrite } from './reserve-token-table.js';

export const migrationStrategies: Record<'accounts' | 'transactions' | 'balances' | 'outbox' | 'reserve_tokens' | 'settings', MigrationStrategies> = {
  // Version 1 adds the agent's float and receivable to the kinds; older documents are unchanged.
  // Version 2 adds central's customer-funds kinds (card_funds, issuer); older documents are unchanged.
  accounts: { 1: (document: unknown) => document, 2: (document: unknown) => document },
  // Version 1 adds the optional card details of card payments; older documents are unchanged.
  // Version 2 adds the optional operator id (issue 13); older documents are unchanged.
  transactions: { 1: (document: unknown) => document, 2: (document: unknown) => document },
  balances: {},
  outbox: {},
  // Version 1 keeps batch signatures once per batch and a Merkle proof per token. Version 0
  // tokens carried no proof, could not be rechecked at use, and were never issued: dropped.
  // Version 2 only shortens the id's maxLength (an index size), documents are unchanged.
  reserve_tokens: { 1: () => null, 2: (document: unknown) => document },
  settings: {},
};

/** The last schema version reserve tokens had as an RxDB collection. */
const lastReserveTokenVersion = 2;

/** Moves reserve tokens kept by RxDB (schema versions 0 to 2) into the cold table, migrated. */
export async function moveLegacyReserveTokens(store: SqliteStore): Promise<void> {
  const writes: StoredWrite[] = [];
  for (let version = 0; version <= lastReserveTokenVersion; version += 1) {
    const collection = `ledger/reserve_tokens/${version}`;
    for (const stored of store.load(collection)) {
      const { _meta, _rev, _deleted, _attachments, ...document } = stored as Record<string, unknown>;
      void [_meta, _rev, _attachments];
      writes.push({ collection, id: String(document.id), json: null });
      if (_deleted) continue;
      let migrated: unknown = document;
      for (let next = version + 1; next <= lastReserveTokenVersion && migrated !== null; next += 1) {
        migrated = await (migrationStrategies.reserve_tokens[next] as (document: unknown) => unknown)(migrated);
      }
      if (migrated !== null) writes.push(reserveTokenWrite(migrated as ReserveTokenDocument));
    }
  }
  if (writes.length > 0) await store.write(writes);
}
