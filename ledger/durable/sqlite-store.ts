// The disk under the ledger: one SQLite file (WAL, synchronous=FULL) holding sealed document
// bodies per collection. Writes are queued and committed in groups: everything queued before the
// next turn of the event loop goes into one SQLite transaction and one fsync, and each caller's
// promise resolves only after that commit. If a commit fails the store refuses every later
// write: memory would be ahead of disk, and only a reopen can make them agree again.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Random } from '../../core/clock.js';
import { SealedCodec } from './sealed-codec.js';
import { ColdTables, coldSchemaSql, type ColdWrite } from './cold-tables.js';

const schemaSql = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY, body BLOB NOT NULL);
  CREATE TABLE IF NOT EXISTS documents (
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (collection, id)
  ) WITHOUT ROWID;
  ${coldSchemaSql}
`;

/** A document of an RxDB collection, or (collection "audit") an entry of the audit journal. */
export interface DocumentWrite {
  readonly collection: string;
  readonly id: string;
  /** The document, or null to delete it (a tombstone needs no keeping: nothing replicates it). */
  readonly json: string | null;
}

/** What a unit of work commits: hot documents, audit entries and cold rows. */
export type StoredWrite = DocumentWrite | ColdWrite;

function isColdWrite(write: StoredWrite): write is ColdWrite {
  return 'table' in write;
}

export const auditTable = 'audit';

export class LedgerOpenError extends Error {
  constructor(
    readonly code: 'wrong_data_key' | 'corrupt_database' | 'locked',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LedgerOpenError';
  }
}

export class LedgerStorageFailedError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('a durable commit failed; the ledger accepts no more writes until it is reopened', options);
    this.name = 'LedgerStorageFailedError';
  }
}

/** A fixed plaintext sealed at creation; opening it proves the data key is the right one. */
const keyCheckPlaintext = 'devpay-ledger-key-check-v1';

interface Pending {
  writes: StoredWrite[];
  resolve: () => void;
  reject: (error: Error) => void;
}

export class SqliteStore {
  private readonly database: Database.Database;
  private readonly codec: SealedCodec;
  private readonly upsert: Database.Statement;
  private readonly appendAudit: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly commitGroup: (groups: Pending[]) => void;
  private queue: Pending[] = [];
  private flushScheduled = false;
  private failure: Error | null = null;
  /** Settled history and reserve tokens: on disk only, read by id or by page. */
  readonly cold: ColdTables;
  /** Commits made and writes they carried, for the benchmark and metrics. */
  commitCount = 0;
  writeCount = 0;

  /** Documents read and authenticated at open, handed to each collection's reload once. */
  private readonly opened = new Map<string, unknown[]>();

  constructor(path: string, key: Uint8Array, random: Random) {
    this.codec = new SealedCodec(key, random);
    // Everything that can refuse the file happens first, on a read-only connection, so a
    // refused open cannot checkpoint, recover or otherwise rewrite what is on disk.
    if (existsSync(path)) this.readExisting(path);
    try {
      this.database = new Database(path);
      this.database.pragma('journal_mode = WAL');
      this.database.pragma('synchronous = FULL');
      this.database.exec(schemaSql);
    } catch (error) {
      throw new LedgerOpenError('corrupt_database', `the ledger database ${path} could not be opened for writing: ${(error as Error).message}`, { cause: error });
    }
    if (!this.database.prepare('SELECT 1 FROM meta WHERE key = ?').get('key_check')) {
      this.database.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('key_check', this.codec.seal('meta\u0000key_check', keyCheckPlaintext));
    }
    this.upsert = this.database.prepare('INSERT INTO documents (collection, id, body) VALUES (?, ?, ?) ON CONFLICT (collection, id) DO UPDATE SET body = excluded.body');
    this.remove = this.database.prepare('DELETE FROM documents WHERE collection = ? AND id = ?');
    // Audit entries are appended, never replaced: a second entry with the same sequence fails.
    this.appendAudit = this.database.prepare('INSERT INTO audit (seq, body) VALUES (?, ?)');
    this.cold = new ColdTables(this.database, this.codec);
    this.commitGroup = this.database.transaction((groups: Pending[]) => {
      for (const group of groups) {
        for (const write of group.writes) {
          if (isColdWrite(write)) {
            this.cold.apply(write);
            continue;
          }
          if (write.json === null) {
            this.remove.run(write.collection, write.id);
            continue;
          }
          const sealed = this.codec.seal(`${write.collection}\u0000${write.id}`, write.json);
          if (write.collection === auditTable) this.appendAudit.run(Number(write.id), sealed);
          else this.upsert.run(write.collection, write.id, sealed);
        }
      }
    });
  }

  private readExisting(path: string): void {
    let reader: Database.Database;
    try {
      reader = new Database(path, { readonly: true, fileMustExist: true });
      // Reading every page once: memory-mapped I/O and a larger cache cut the open of a large
      // ledger by a tenth.
      reader.pragma('mmap_size = 268435456');
      reader.pragma('cache_size = -65536');
    } catch (error) {
      throw new LedgerOpenError('corrupt_database', `the ledger database ${path} cannot be opened and was left untouched: ${(error as Error).message}`, { cause: error });
    }
    try {
      // The hot tables are checked whole; the cold ones (history, reserve tokens, the audit
      // journal) grow without bound, so they are authenticated row by row when read and checked
      // whole by `devpay ledger verify`, keeping the open independent of how much history exists.
      for (const table of ['meta', 'documents']) {
        const check = reader.pragma(`quick_check(${table})`, { simple: true });
        if (check !== 'ok') throw new LedgerOpenError('corrupt_database', `the ledger database ${path} is damaged (${String(check)}) and was left untouched`);
      }
      const keyCheck = reader.prepare('SELECT value FROM meta WHERE key = ?').get('key_check') as { value: Buffer } | undefined;
      if (!keyCheck) throw new LedgerOpenError('corrupt_database', `the ledger database ${path} has no key check and was left untouched`);
      try {
        if (this.codec.open('meta\u0000key_check', keyCheck.value) !== keyCheckPlaintext) throw new Error('key check mismatch');
      } catch (error) {
        throw new LedgerOpenError('wrong_data_key', 'the data key does not open this ledger; nothing was changed', { cause: error });
      }
      // Rows come as arrays (raw mode): a 100,000-payment ledger holds hundreds of thousands.
      for (const [collection, id, body] of reader.prepare('SELECT collection, id, body FROM documents').raw(true).iterate() as Iterable<[string, string, Buffer]>) {
        let document: unknown;
        try {
          document = JSON.parse(this.codec.open(`${collection}\u0000${id}`, body));
        } catch (error) {
          throw new LedgerOpenError('corrupt_database', `${(error as Error).message}; the ledger was left untouched`, { cause: error });
        }
        let documents = this.opened.get(collection);
        if (!documents) this.opened.set(collection, (documents = []));
        documents.push(document);
      }
    } catch (error) {
      if (error instanceof LedgerOpenError) throw error;
      throw new LedgerOpenError('corrupt_database', `the ledger database ${path} is damaged and was left untouched: ${(error as Error).message}`, { cause: error });
    } finally {
      reader.close();
    }
  }

  /** The documents of a collection as they were at open; each collection is reloaded once. */
  load(collection: string): unknown[] {
    const documents = this.opened.get(collection) ?? [];
    this.opened.delete(collection);
    return documents;
  }

  /** Queues writes for the next group commit; resolves once they are on disk. */
  write(writes: StoredWrite[]): Promise<void> {
    if (this.failure) return Promise.reject(new LedgerStorageFailedError({ cause: this.failure }));
    for (const write of writes) if (isColdWrite(write)) this.cold.stage(write);
    // An empty write still waits for the next commit: a caller answering "exists" for a write
    // queued just before it must not answer before that write is durable.
    return new Promise((resolve, reject) => {
      this.queue.push({ writes, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const groups = this.queue;
    this.queue = [];
    if (groups.length === 0) return;
    try {
      if (this.failure) throw this.failure;
      this.commitGroup(groups);
      this.commitCount += 1;
      for (const group of groups) this.writeCount += group.writes.length;
    } catch (error) {
      this.failure ??= error as Error;
      for (const group of groups) {
        // Rows that never reached disk must not stay visible through the overlay.
        for (const write of group.writes) if (isColdWrite(write)) this.cold.forget(write);
        group.reject(new LedgerStorageFailedError({ cause: error }));
      }
      return;
    }
    for (const group of groups) {
      for (const write of group.writes) if (isColdWrite(write)) this.cold.forget(write);
      group.resolve();
    }
  }

  /** The last audit entry (the chain's head), authenticated, or null for an empty journal. */
  auditHead(): string | null {
    const row = this.database.prepare('SELECT seq, body FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; body: Buffer } | undefined;
    return row ? this.openAudit(row) : null;
  }

  /** Every audit entry in chain order, authenticated; an altered entry is a named error. */
  *readAudit(): Generator<string> {
    for (const row of this.database.prepare('SELECT seq, body FROM audit ORDER BY seq').iterate() as Iterable<{ seq: number; body: Buffer }>) yield this.openAudit(row);
  }

  private openAudit(row: { seq: number; body: Buffer }): string {
    try {
      return this.codec.open(`${auditTable}\u0000${row.seq}`, row.body);
    } catch (error) {
      throw new LedgerOpenError('corrupt_database', `audit entry ${row.seq}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** SQLite's full integrity check of the whole file, cold tables included (for verify). */
  integrityCheck(): string {
    return String(this.database.pragma('integrity_check', { simple: true }));
  }

  /** Deletes a collection's documents (RxDB's remove()); committed at once. */
  removeCollection(collection: string): void {
    if (this.failure) throw new LedgerStorageFailedError({ cause: this.failure });
    this.database.prepare('DELETE FROM documents WHERE collection = ?').run(collection);
  }

  /** Marks the store failed: used when memory got ahead of disk and only a reopen can fix it. */
  poison(reason: Error): void {
    this.failure ??= reason;
  }

  get failed(): boolean {
    return this.failure !== null;
  }

  /** Why the store stopped accepting writes, or null while it works. */
  get failureCause(): Error | null {
    return this.failure;
  }

  close(): void {
    if (this.database.open) this.database.close();
  }
}
