// What a terminal keeps of central between contacts, in its ledger's settings: the documents
// central's settings replication brings (`central/limits`, `central/revocations`,
// `central/operator_policy`, each a JSON value) and the time central last answered (`local/last_central_contact_ms`). The only reader
// and writer of those documents besides the replication itself (central-settings-replica.ts).
// A value that fails its schema is a StoredValueInvalidError naming its key.
import { offlineLimitsSchema, type OfflineLimits } from '../../core/ledger/limits.js';
import { revocationListSchema, type RevocationList } from '../../core/wire/card-messages.js';
import { operatorPolicySchema, operatorPolicySettingName, type OperatorPolicy } from '../../core/operators/operator-policy.js';
import type { Ledger } from '../ledger.js';
import { upsertDocuments } from '../storage-writes.js';
import { parseStoredJson, StoredValueInvalidError } from './stored-value.js';

/** The prefix under which central's replicated settings are kept on a terminal. */
export const centralSettingPrefix = 'central/';
const lastContactKey = 'local/last_central_contact_ms';

export class CentralKnowledgeStore {
  constructor(private readonly ledger: Ledger) {}

  /** Central's offline limits for this terminal, or null until central has sent them. */
  async limits(): Promise<OfflineLimits | null> {
    return this.readCentral('limits', offlineLimitsSchema);
  }

  /** Central's revocation list, or null until central has sent one. */
  async revocations(): Promise<RevocationList | null> {
    return this.readCentral('revocations', revocationListSchema);
  }

  /** Central's operator policy for this terminal (sessions, PIN fallback, lockout, refund limits), or null until sent. */
  async operatorPolicy(): Promise<OperatorPolicy | null> {
    return this.readCentral(operatorPolicySettingName, operatorPolicySchema);
  }

  async lastContactMs(): Promise<number | null> {
    const stored = await this.ledger.database.collections.settings.findOne(lastContactKey).exec();
    if (!stored) return null;
    const value = Number(stored.value);
    if (!Number.isSafeInteger(value) || value < 0) throw new StoredValueInvalidError(lastContactKey, 'not a time in milliseconds');
    return value;
  }

  /** Saves when central last answered, in a unit of the engine's own; resolves at commit. */
  saveLastContact(nowMs: number): Promise<void> {
    return this.ledger.engine.guarded(() => upsertDocuments(this.ledger.database.collections.settings, [{ key: lastContactKey, value: String(nowMs) }], 'key'));
  }

  /** Calls `listener` after every committed change to the settings; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    const subscription = this.ledger.database.collections.settings.$.subscribe(() => listener());
    return () => subscription.unsubscribe();
  }

  private async readCentral<T>(name: string, schema: Parameters<typeof parseStoredJson<T>>[2]): Promise<T | null> {
    const key = `${centralSettingPrefix}${name}`;
    const stored = await this.ledger.database.collections.settings.findOne(key).exec();
    return stored ? parseStoredJson(key, stored.value, schema) : null;
  }
}
