// The terminal's operators, kept in its ledger settings: each operator under `operator/<id>`
// (name, role, the PIN's salted scrypt hash with its parameters, where the fingerprint is kept,
// the wrong-PIN count and lockout), `operator_index` listing every operator id (read by key, so a
// unit sees the writes of earlier units not yet committed, which a query would not), under
// `operator_client/<digest>` the operator a client id enrolled (so a retried enrolment answers the
// same operator), and `operator_setup`: whether the first admin was created and the recent wrong
// setup codes. Like every document, all of it is sealed at rest, a host-kept fingerprint template
// included. The only reader and writer of those documents; writes happen only inside the
// caller's engine unit (ledger/operators.ts), together with the event's audit entry.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { operatorRoleSchema } from '../../core/operators/roles.js';
import { ulidPattern } from '../../core/ids.js';
import type { Ledger } from '../ledger.js';
import { readCurrent, upsertDocuments } from '../storage-writes.js';
import { parseStoredJson, StoredValueInvalidError } from './stored-value.js';

const hex = z.string().regex(/^([0-9a-f]{2})+$/);

export const pinHashSchema = z
  .object({
    algorithm: z.literal('scrypt'),
    N: z.number().int().positive(),
    r: z.number().int().positive(),
    p: z.number().int().positive(),
    salt: hex,
    hash: hex,
  })
  .strict();
export type StoredPinHash = z.infer<typeof pinHashSchema>;

export const storedFingerprintSchema = z.discriminatedUnion('storage', [
  z.object({ storage: z.literal('none') }).strict(),
  /** In the reader's own library, in this slot; the template never leaves the module. */
  z.object({ storage: z.literal('on_device'), slot: z.number().int().nonnegative() }).strict(),
  /** Kept here, for a reader that holds no templates: sealed at rest like every document. */
  z.object({ storage: z.literal('host'), template: hex }).strict(),
]);
export type StoredFingerprint = z.infer<typeof storedFingerprintSchema>;

export const operatorRecordSchema = z
  .object({
    id: z.string().regex(ulidPattern),
    name: z.string().min(1).max(60),
    role: operatorRoleSchema,
    pinHash: pinHashSchema,
    fingerprint: storedFingerprintSchema,
    /** Wrong PINs in a row since the last sign-in or unlock. */
    failedPinCount: z.number().int().nonnegative(),
    lockedOut: z.boolean(),
    createdAtMs: z.number().int().nonnegative(),
    /** The client id of the enrolment that created it (setup's own for the first admin). */
    enrolClientId: z.string().min(1).max(64),
  })
  .strict();
export type OperatorRecord = z.infer<typeof operatorRecordSchema>;

/** What is kept of a removed operator: who it was, and that the enrolment happened; no PIN hash, no template. */
export const removedOperatorSchema = operatorRecordSchema.pick({ id: true, name: true, role: true, createdAtMs: true, enrolClientId: true }).extend({ removed: z.literal(true) }).strict();
export type RemovedOperator = z.infer<typeof removedOperatorSchema>;
const storedOperatorSchema = z.union([operatorRecordSchema, removedOperatorSchema]);

export const setupRecordSchema = z
  .object({
    /** The first admin exists: every setup code is refused from now on. */
    done: z.boolean(),
    /** Times of the recent wrong setup codes, oldest first (the rate limit's window). */
    failedAttemptsAtMs: z.array(z.number().int().nonnegative()),
  })
  .strict();
export type SetupRecord = z.infer<typeof setupRecordSchema>;

const operatorPrefix = 'operator/';
const indexKey = 'operator_index';
const setupKey = 'operator_setup';
const operatorKey = (id: string): string => `${operatorPrefix}${id}`;
// Client ids may be 40 characters and setting keys at most 64: the key holds a digest of it, and
// the operator it names is checked to carry the very client id.
const clientKey = (clientId: string): string => `operator_client/${bytesToHex(sha256(new TextEncoder().encode(clientId))).slice(0, 40)}`;
const indexSchema = z.array(z.string().regex(ulidPattern));

export class OperatorsStore {
  constructor(private readonly ledger: Ledger) {}

  /** An enrolled operator; null for an id never enrolled or removed. */
  async read(id: string): Promise<OperatorRecord | null> {
    const stored = await this.stored(id);
    return stored && !('removed' in stored) ? stored : null;
  }

  /** Every operator, in enrolment order. */
  async list(): Promise<OperatorRecord[]> {
    const ids = await this.ids();
    const documents = new Map((await readCurrent(this.ledger.database.collections.settings, ids.map(operatorKey))).map((document) => [document.key, document.value]));
    return ids.map((id) => {
      const value = documents.get(operatorKey(id));
      if (value === undefined) throw new StoredValueInvalidError(indexKey, `lists ${id}, which is not stored`);
      return parseStoredJson(operatorKey(id), value, operatorRecordSchema);
    });
  }

  /** The operator an enrolment with this client id created (perhaps removed since), or null. */
  async byClientId(clientId: string): Promise<OperatorRecord | RemovedOperator | null> {
    const id = await this.value(clientKey(clientId));
    if (id === null) return null;
    const stored = await this.stored(id);
    // A digest shared by two client ids is as good as impossible; if it happened, it is not this enrolment.
    return stored && stored.enrolClientId === clientId ? stored : null;
  }

  async setup(): Promise<SetupRecord> {
    const value = await this.value(setupKey);
    return value === null ? { done: false, failedAttemptsAtMs: [] } : parseStoredJson(setupKey, value, setupRecordSchema);
  }

  /** Saves a new operator (listed and findable by its client id) inside the caller's unit. */
  async insert(record: OperatorRecord): Promise<void> {
    const checked = operatorRecordSchema.parse(record);
    const ids = await this.ids();
    if (ids.includes(checked.id)) throw new StoredValueInvalidError(operatorKey(checked.id), 'already enrolled');
    await this.write([
      { key: operatorKey(checked.id), value: JSON.stringify(checked) },
      { key: clientKey(checked.enrolClientId), value: checked.id },
      { key: indexKey, value: JSON.stringify([...ids, checked.id]) },
    ]);
  }

  /** Replaces an existing operator's record inside the caller's unit. */
  async update(record: OperatorRecord): Promise<void> {
    const checked = operatorRecordSchema.parse(record);
    if (!(await this.ids()).includes(checked.id)) throw new StoredValueInvalidError(operatorKey(checked.id), 'not enrolled');
    await this.write([{ key: operatorKey(checked.id), value: JSON.stringify(checked) }]);
  }

  /**
   * Removes an operator inside the caller's unit: out of the index, and the record replaced by
   * a tombstone without PIN hash or template, so its client id keeps answering that this
   * enrolment happened (a late retry does not enrol the operator again).
   */
  async remove(record: OperatorRecord): Promise<void> {
    const ids = await this.ids();
    const tombstone: RemovedOperator = { id: record.id, name: record.name, role: record.role, createdAtMs: record.createdAtMs, enrolClientId: record.enrolClientId, removed: true };
    await this.write([
      { key: indexKey, value: JSON.stringify(ids.filter((each) => each !== record.id)) },
      { key: operatorKey(record.id), value: JSON.stringify(removedOperatorSchema.parse(tombstone)) },
    ]);
  }

  async writeSetup(record: SetupRecord): Promise<void> {
    await this.write([{ key: setupKey, value: JSON.stringify(setupRecordSchema.parse(record)) }]);
  }

  private async ids(): Promise<string[]> {
    const value = await this.value(indexKey);
    return value === null ? [] : parseStoredJson(indexKey, value, indexSchema);
  }

  private async value(key: string): Promise<string | null> {
    const [document] = await readCurrent(this.ledger.database.collections.settings, [key]);
    return document ? document.value : null;
  }

  private async stored(id: string): Promise<OperatorRecord | RemovedOperator | null> {
    const value = await this.value(operatorKey(id));
    return value === null ? null : parseStoredJson(operatorKey(id), value, storedOperatorSchema);
  }

  private write(documents: Array<{ key: string; value: string }>): Promise<void> {
    return upsertDocuments(this.ledger.database.collections.settings, documents, 'key');
  }
}
