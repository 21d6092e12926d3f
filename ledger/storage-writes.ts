// Reads and writes through a collection's storage instance, for the ledger's own writers (the
// posting engine, the reserve store). They bypass RxDB's document cache and incremental write
// queue on purpose, and must run inside the writer's exclusive unit of work.
import type { RxCollection, RxDocumentData } from 'rxdb';

/**
 * Updates documents through the collection's storage with their previous state, not through
 * RxDB's incremental write queue: that queue is shared by the collection and may run one
 * operation's write inside another's unit of work, after that unit has committed, so the write
 * would reach memory and never the disk. Operations are serialised, so no conflict can occur.
 */
export async function writeUpdates<Document extends object>(
  collection: RxCollection<Document>,
  updates: Array<{ previous: RxDocumentData<Document>; change: Partial<RxDocumentData<Document>> }>,
): Promise<void> {
  if (updates.length === 0) return;
  const rows = updates.map(({ previous, change }) => ({ previous, document: { ...previous, ...change } }));
  const response = await collection.storageInstance.bulkWrite(rows, 'devpay-posting-engine');
  if (response.error.length > 0) throw new Error(`${collection.name}: ${response.error.length} updates refused (${response.error[0]?.status})`);
}

/** Inserts through the collection's storage, like writeUpdates; an existing id is an error. */
export async function writeInserts<Document extends object>(collection: RxCollection<Document>, documents: Document[]): Promise<void> {
  const rows = documents.map((document) => ({ document: { ...document, _deleted: false, _attachments: {} } as unknown as RxDocumentData<Document> }));
  const response = await collection.storageInstance.bulkWrite(rows, 'devpay-posting-engine');
  if (response.error.length > 0) throw new Error(`${collection.name}: ${response.error.length} inserts refused (${response.error[0]?.status})`);
}

/**
 * Reads documents as the storage holds them now, earlier operations' uncommitted writes
 * included. RxDB's document cache is not used: it learns of writes from change events, which
 * the durable storage holds back until their commit, so it lags the operations in flight.
 */
export async function readCurrent<Document extends object>(collection: RxCollection<Document>, ids: string[]): Promise<Array<RxDocumentData<Document>>> {
  return collection.storageInstance.findDocumentsById(ids, false);
}

/**
 * Inserts documents or replaces the ones that exist, through the storage inside the caller's
 * unit (RxDB's upsert would modify existing documents through the incremental write queue).
 */
export async function upsertDocuments<Document extends object>(collection: RxCollection<Document>, documents: Document[], primaryKey: keyof Document & string): Promise<void> {
  const existing = new Map((await readCurrent(collection, documents.map((document) => String(document[primaryKey])))).map((document) => [String(document[primaryKey]), document]));
  const fresh = documents.filter((document) => !existing.has(String(document[primaryKey])));
  if (fresh.length > 0) await writeInserts(collection, fresh);
  await writeUpdates(
    collection,
    documents.flatMap((document) => {
      const previous = existing.get(String(document[primaryKey]));
      return previous ? [{ previous, change: document as Partial<RxDocumentData<Document>> }] : [];
    }),
  );
}
