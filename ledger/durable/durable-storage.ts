// An RxStorage that keeps RxDB's memory storage for queries and change streams and puts every
// write on disk (SqliteStore) before it counts. Outside a unit of work, a bulkWrite resolves
// only after its group commit. Inside one (runUnit), writes to several collections are held and
// committed together when the unit ends, so a payment's transaction, balances, outbox entry and
// audit entry reach disk atomically or not at all. Change events are released only after the
// commit that made them durable: nothing downstream (the UI, sync) sees a write that a crash
// could still take back. At open, each collection is reloaded from disk into memory.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Subject } from 'rxjs';
import {
  getPrimaryFieldOfPrimaryKey,
  getWrittenDocumentsFromBulkWriteResponse,
  type BulkWriteRow,
  type EventBulk,
  type RxStorage,
  type RxDocumentData,
  type RxStorageChangeEvent,
  type RxStorageInstance,
  type RxStorageInstanceCreationParams,
} from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import type { SqliteStore, StoredWrite } from './sqlite-store.js';

interface Unit {
  writes: StoredWrite[];
  releases: Array<() => void>;
}

export class LedgerUnitAbortedError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('a ledger unit of work failed after writing to memory; the ledger must be reopened', options);
    this.name = 'LedgerUnitAbortedError';
  }
}

let openCounter = 0;

export class DurableStorage implements RxStorage<unknown, unknown> {
  readonly name = 'devpay-durable';
  readonly rxdbVersion: string;
  private readonly memory = getRxStorageMemory();
  private readonly units = new AsyncLocalStorage<Unit>();
  /** Each open gets its own memory namespace: RxDB's memory states outlive a closed database. */
  private readonly openNumber = ++openCounter;
  private readonly memoryNamespace = `devpay-${process.pid}-${this.openNumber}`;

  /**
   * A name for RxDB unique to this open: RxDB refuses two open databases of one name in a process
   * (central and a terminal in one test, say). On disk every document lives under storeName.
   */
  readonly databaseName = `ledger${this.openNumber}x${process.pid}`;

  constructor(
    readonly store: SqliteStore,
    private readonly storeName = 'ledger',
  ) {
    this.rxdbVersion = this.memory.rxdbVersion;
  }

  /**
   * Runs fn as one unit of work: its writes commit together after fn resolves. onApplied is
   * called once fn's writes are in memory and queued for commit, so a caller serialising units
   * can let the next one start while this one waits for the disk (group commit).
   */
  async runUnit<T>(fn: () => Promise<T>, onApplied?: () => void): Promise<T> {
    const unit: Unit = { writes: [], releases: [] };
    let result: T;
    try {
      result = await this.units.run(unit, fn);
    } catch (error) {
      if (unit.writes.length > 0) this.store.poison(new LedgerUnitAbortedError({ cause: error }));
      for (const write of unit.writes) if ('table' in write) this.store.cold.forget(write);
      throw error;
    }
    const committed = this.store.write(unit.writes);
    onApplied?.();
    await committed;
    for (const release of unit.releases) release();
    return result;
  }

  /**
   * Adds a write outside RxDB (an audit entry, a cold row) to the unit of work in progress; a
   * cold row is visible to reads at once. Outside a unit it is an error.
   */
  addToUnit(write: StoredWrite): void {
    const unit = this.units.getStore();
    if (!unit) throw new Error('audit entries and cold rows are written inside the unit of work of the event they record');
    if ('table' in write) this.store.cold.stage(write);
    unit.writes.push(write);
  }

  async createStorageInstance<RxDocType>(params: RxStorageInstanceCreationParams<RxDocType, unknown>): Promise<RxStorageInstance<RxDocType, unknown, unknown>> {
    const inner = await this.memory.createStorageInstance<RxDocType>({ ...params, options: {}, databaseName: `${this.memoryNamespace}/${params.databaseName}` });
    const storeKey = `${this.storeName}/${params.collectionName}/${params.schema.version}`;
    const primaryPath = getPrimaryFieldOfPrimaryKey(params.schema.primaryKey) as string;
    const stored = this.store.load(storeKey);
    if (stored.length > 0) {
      const reload = await inner.bulkWrite(stored.map((document) => ({ document: document as RxDocumentData<RxDocType> })), 'devpay-durable-reload');
      if (reload.error.length > 0) throw new Error(`reloading ${storeKey} failed for ${reload.error.length} documents`);
    }
    const changes = new Subject<EventBulk<RxStorageChangeEvent<RxDocType>, unknown>>();
    let capture: Array<EventBulk<RxStorageChangeEvent<RxDocType>, unknown>> | null = null;
    const subscription = inner.changeStream().subscribe((bulk) => (capture ? capture.push(bulk) : changes.next(bulk)));
    const { store, units } = this;

    const instance: RxStorageInstance<RxDocType, unknown, unknown> = {
      databaseName: params.databaseName,
      collectionName: params.collectionName,
      schema: params.schema,
      options: {},
      internals: inner.internals as unknown as Readonly<unknown>,
      async bulkWrite(rows: BulkWriteRow<RxDocType>[], context: string) {
        const captured: Array<EventBulk<RxStorageChangeEvent<RxDocType>, unknown>> = [];
        capture = captured;
        let pending;
        try {
          // The memory storage emits its change events synchronously inside this call.
          pending = inner.bulkWrite(rows, context);
        } finally {
          capture = null;
        }
        const response = await pending;
        const written = getWrittenDocumentsFromBulkWriteResponse(primaryPath, rows, response);
        const writes = written.map((document) => ({
          collection: storeKey,
          id: String((document as Record<string, unknown>)[primaryPath]),
          json: (document as { _deleted?: boolean })._deleted ? null : JSON.stringify(document),
        }));
        const deletes = writes.some((write) => write.json === null);
        const release = (): void => {
          captured.forEach((bulk) => changes.next(bulk));
          // A deleted document is gone from disk; its tombstone in the memory storage would stay
          // until RxDB's cleanup and, for a transaction moved to cold or an acknowledged outbox
          // entry, grow memory with the history. Nothing replicates these collections, so the
          // tombstone goes once its change event is out.
          if (deletes) void inner.cleanup(0);
        };
        const unit = units.getStore();
        if (unit) {
          unit.writes.push(...writes);
          unit.releases.push(release);
        } else {
          await store.write(writes);
          release();
        }
        return response;
      },
      findDocumentsById: (ids, withDeleted) => inner.findDocumentsById(ids, withDeleted),
      query: (preparedQuery) => inner.query(preparedQuery),
      count: (preparedQuery) => inner.count(preparedQuery),
      getAttachmentData: (documentId, attachmentId, digest) => inner.getAttachmentData(documentId, attachmentId, digest),
      changeStream: () => changes.asObservable(),
      // Deletes are real on disk and tombstones leave memory after their commit (see release).
      cleanup: async () => true,
      async close() {
        subscription.unsubscribe();
        changes.complete();
        await inner.remove();
      },
      async remove() {
        subscription.unsubscribe();
        changes.complete();
        store.removeCollection(storeKey);
        await inner.remove();
      },
    };
    if (inner.getChangedDocumentsSince) {
      const since = inner.getChangedDocumentsSince.bind(inner);
      instance.getChangedDocumentsSince = (limit, checkpoint) => since(limit, checkpoint);
    }
    return instance;
  }
}
