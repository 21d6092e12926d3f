// The cold side of the ledger file: settled history and reserve tokens, kept only in SQLite and
// read on demand by id or by page, never loaded into memory at open. Each row is a sealed body
// (like every document) beside a few clear columns on non-PII fields that the journal's filters
// and the reserve's housekeeping use as indexes. Cold rows are written in the same SQLite
// transaction as the rest of their unit of work, so a move from hot to cold is atomic. Writes
// queued but not yet committed stay visible to reads through a pending overlay, as the posting
// engine pipelines units: the next unit must see what the previous one wrote before its fsync.
import type Database from 'better-sqlite3';
import type { SealedCodec } from './sealed-codec.js';

export const coldTransactionsTable = 'cold_transactions';
export const reserveTokensTable = 'reserve_tokens';
export type ColdTableName = typeof coldTransactionsTable | typeof reserveTokensTable;

/** Clear columns of a cold transaction, in column order after id. */
export type ColdTransactionColumns = readonly [createdAtMs: number, state: string, kind: string, currency: string, amountMinor: bigint, last4: string | null, referencesId: string | null];
/** Clear columns of a reserve token, in column order after id. */
export type ReserveTokenColumns = readonly [cardId: string, state: string, expiresAtMs: number, batchId: string, spentBy: string | null];

export const coldSchemaSql = `
  CREATE TABLE IF NOT EXISTS ${coldTransactionsTable} (
    id TEXT NOT NULL UNIQUE,
    created_at_ms INTEGER NOT NULL,
    state TEXT NOT NULL,
    kind TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    last4 TEXT,
    references_id TEXT,
    body BLOB NOT NULL
  );
  CREATE INDEX IF NOT EXISTS cold_by_time ON ${coldTransactionsTable} (created_at_ms, id);
  CREATE INDEX IF NOT EXISTS cold_by_state ON ${coldTransactionsTable} (state, created_at_ms, id);
  CREATE INDEX IF NOT EXISTS cold_by_kind ON ${coldTransactionsTable} (kind, created_at_ms, id);
  CREATE INDEX IF NOT EXISTS cold_by_currency ON ${coldTransactionsTable} (currency, created_at_ms, id);
  CREATE INDEX IF NOT EXISTS cold_by_last4 ON ${coldTransactionsTable} (last4, created_at_ms, id) WHERE last4 IS NOT NULL;
  CREATE INDEX IF NOT EXISTS cold_by_reference ON ${coldTransactionsTable} (references_id) WHERE references_id IS NOT NULL;
  CREATE TABLE IF NOT EXISTS ${reserveTokensTable} (
    id TEXT NOT NULL UNIQUE,
    card_id TEXT NOT NULL,
    state TEXT NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    batch_id TEXT NOT NULL,
    spent_by TEXT,
    body BLOB NOT NULL
  );
  CREATE INDEX IF NOT EXISTS tokens_by_state ON ${reserveTokensTable} (state, card_id);
  CREATE INDEX IF NOT EXISTS tokens_by_expiry ON ${reserveTokensTable} (state, expires_at_ms);
  CREATE INDEX IF NOT EXISTS tokens_by_batch ON ${reserveTokensTable} (batch_id);
`;

export class ColdReadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ColdReadError';
  }
}

/** A cold row to write: the document's JSON (null deletes the row) and its clear columns. */
export interface ColdWrite {
  readonly table: ColdTableName;
  readonly id: string;
  readonly json: string | null;
  readonly columns: ColdTransactionColumns | ReserveTokenColumns | null;
}

export class ColdTables {
  private readonly upsertTransaction: Database.Statement;
  private readonly upsertToken: Database.Statement;
  private readonly removeStatements: Record<ColdTableName, Database.Statement>;
  private readonly selectBody: Record<ColdTableName, Database.Statement>;
  /** Staged and not yet committed, by table and id: the newest write wins. */
  private readonly pending = new Map<string, ColdWrite>();

  constructor(
    private readonly database: Database.Database,
    private readonly codec: SealedCodec,
  ) {
    this.upsertTransaction = database.prepare(
      `INSERT INTO ${coldTransactionsTable} (id, created_at_ms, state, kind, currency, amount_minor, last4, references_id, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET created_at_ms = excluded.created_at_ms, state = excluded.state, kind = excluded.kind, currency = excluded.currency,
       amount_minor = excluded.amount_minor, last4 = excluded.last4, references_id = excluded.references_id, body = excluded.body`,
    );
    this.upsertToken = database.prepare(
      `INSERT INTO ${reserveTokensTable} (id, card_id, state, expires_at_ms, batch_id, spent_by, body) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET card_id = excluded.card_id, state = excluded.state, expires_at_ms = excluded.expires_at_ms, batch_id = excluded.batch_id, spent_by = excluded.spent_by, body = excluded.body`,
    );
    this.removeStatements = {
      [coldTransactionsTable]: database.prepare(`DELETE FROM ${coldTransactionsTable} WHERE id = ?`),
      [reserveTokensTable]: database.prepare(`DELETE FROM ${reserveTokensTable} WHERE id = ?`),
    };
    this.selectBody = {
      [coldTransactionsTable]: database.prepare(`SELECT body FROM ${coldTransactionsTable} WHERE id = ?`).pluck(),
      [reserveTokensTable]: database.prepare(`SELECT body FROM ${reserveTokensTable} WHERE id = ?`).pluck(),
    };
  }

  /** Makes a write visible to reads at once; it reaches disk with its unit's commit. */
  stage(write: ColdWrite): void {
    this.pending.set(`${write.table}\u0000${write.id}`, write);
  }

  /** Called inside the commit's SQLite transaction for each staged write. */
  apply(write: ColdWrite): void {
    if (write.json === null) {
      this.removeStatements[write.table].run(write.id);
      return;
    }
    const body = this.codec.seal(`${write.table}\u0000${write.id}`, write.json);
    if (write.table === coldTransactionsTable) this.upsertTransaction.run(write.id, ...(write.columns as ColdTransactionColumns), body);
    else this.upsertToken.run(write.id, ...(write.columns as ReserveTokenColumns), body);
  }

  /** Called after the commit (the row is on disk) or a failure (it never will be): the overlay drops it, unless a newer write replaced it. */
  forget(write: ColdWrite): void {
    const key = `${write.table}\u0000${write.id}`;
    if (this.pending.get(key) === write) this.pending.delete(key);
  }

  /** The document's JSON as the ledger holds it now (staged writes included), or null. */
  read(table: ColdTableName, id: string): string | null {
    const staged = this.pending.get(`${table}\u0000${id}`);
    if (staged) return staged.json;
    const body = this.selectBody[table].get(id) as Buffer | undefined;
    return body === undefined ? null : this.open(table, id, body);
  }

  /** Staged writes of a table not yet on disk (the journal merges them into its pages). */
  stagedOf(table: ColdTableName): ColdWrite[] {
    return [...this.pending.values()].filter((write) => write.table === table);
  }

  /** Authenticates and opens a body read from a cold table; damage is a named error. */
  open(table: ColdTableName, id: string, body: Uint8Array): string {
    try {
      return this.codec.open(`${table}\u0000${id}`, body);
    } catch (error) {
      throw new ColdReadError(`${table} ${id}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Runs a read-only statement over a cold table; SQLite's own damage reports become named errors. */
  query<Row>(sql: string, parameters: readonly unknown[] = []): Row[] {
    try {
      return this.database.prepare(sql).all(...parameters) as Row[];
    } catch (error) {
      throw new ColdReadError(`the ledger's cold store could not be read: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Iterates a read-only statement row by row (verify, the reserve's housekeeping). */
  *iterate<Row>(sql: string, parameters: readonly unknown[] = []): Generator<Row> {
    let rows: IterableIterator<unknown>;
    try {
      rows = this.database.prepare(sql).iterate(...parameters);
    } catch (error) {
      throw new ColdReadError(`the ledger's cold store could not be read: ${(error as Error).message}`, { cause: error });
    }
    // A reader that stops early (a break, a damaged body it throws on) must close the statement:
    // an open one keeps the connection busy, and every later commit and the close would fail.
    try {
      for (;;) {
        let next: IteratorResult<unknown>;
        try {
          next = rows.next();
        } catch (error) {
          throw new ColdReadError(`the ledger's cold store could not be read: ${(error as Error).message}`, { cause: error });
        }
        if (next.done) return;
        yield next.value as Row;
      }
    } finally {
      rows.return?.();
    }
  }
}
