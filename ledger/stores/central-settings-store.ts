// The settings central hands down to terminals, kept in central's ledger: per terminal under
// `terminal/<id>/<name>` and for every terminal under `global/<name>`, each stored as the
// document the terminal's pull receives (key, value, time, deleted). The only reader and writer
// of those documents; `write…` runs inside an engine unit the caller holds (a card block commits
// the revocation list with it), `put` opens its own.
import { pulledDocumentSchema, type PulledDocument } from '../../core/wire/sync-messages.js';
import type { Ledger } from '../ledger.js';
import { upsertDocuments } from '../storage-writes.js';
import { parseStoredJson } from './stored-value.js';

export const globalSettingPrefix = 'global/';

export function terminalSettingKey(terminalId: string, name: string): string {
  return `terminal/${terminalId}/${name}`;
}

export function globalSettingKey(name: string): string {
  return `${globalSettingPrefix}${name}`;
}

export class CentralSettingsStore {
  constructor(private readonly ledger: Ledger) {}

  /** The document stored under a key, or null; one that fails its schema is a StoredValueInvalidError. */
  async get(key: string): Promise<PulledDocument | null> {
    const stored = await this.ledger.database.collections.settings.findOne(key).exec();
    return stored ? parseStoredJson(key, stored.value, pulledDocumentSchema) : null;
  }

  /** A terminal's own documents and every global one, as stored. */
  async documentsFor(terminalId: string): Promise<PulledDocument[]> {
    const stored = await this.ledger.database.collections.settings.find({ selector: { key: { $regex: `^(terminal/${terminalId}/|${globalSettingPrefix})` } } }).exec();
    return stored.map(({ key, value }) => parseStoredJson(key, value, pulledDocumentSchema));
  }

  put(key: string, document: PulledDocument): Promise<void> {
    return this.ledger.engine.guarded(() => this.write(key, document));
  }

  /** Writes a document inside the caller's unit. */
  async write(key: string, document: PulledDocument): Promise<void> {
    await upsertDocuments(this.ledger.database.collections.settings, [{ key, value: JSON.stringify(pulledDocumentSchema.parse(document)) }], 'key');
  }
}
