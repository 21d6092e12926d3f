// The merchant's alerts, kept in the terminal's ledger settings until dismissed, and after that
// as history: each alert under `alert/<id>` (an AlertRecord), and under `alert_key/<key>` the id
// of the alert raised for that key (a kind and the payment it is about), so an alert raised
// again for the same thing (a verdict re-applied after a restart) is the one already kept, never
// a second. The only reader and writer of those documents; every write is a unit of its own.
import { alertRecordSchema, type AlertRecord } from '../../core/api/alerts.js';
import type { Ledger } from '../ledger.js';
import { readCurrent, upsertDocuments } from '../storage-writes.js';
import { parseStoredJson, StoredValueInvalidError } from './stored-value.js';

const alertKeyPrefix = 'alert/';
const dedupeKeyPrefix = 'alert_key/';

export class AlertsStore {
  constructor(private readonly ledger: Ledger) {}

  /** Whether an alert was ever kept for this key (dismissed or not). */
  async isKept(dedupeKey: string): Promise<boolean> {
    return (await readCurrent(this.ledger.database.collections.settings, [`${dedupeKeyPrefix}${dedupeKey}`])).length > 0;
  }

  /**
   * Saves a new alert unless one was raised for `dedupeKey` already; resolves at commit with
   * the alert kept (the earlier one when there was one) and whether this call raised it.
   */
  async raise(alert: AlertRecord, dedupeKey: string | null): Promise<{ alert: AlertRecord; raised: boolean }> {
    const checked = alertRecordSchema.parse(alert);
    const { settings } = this.ledger.database.collections;
    return this.ledger.engine.guarded(async () => {
      if (dedupeKey !== null) {
        const [existing] = await readCurrent(settings, [`${dedupeKeyPrefix}${dedupeKey}`]);
        const earlier = existing ? await this.readInUnit(existing.value) : null;
        if (earlier) return { alert: earlier, raised: false };
      }
      const documents = [{ key: `${alertKeyPrefix}${checked.id}`, value: JSON.stringify(checked) }];
      if (dedupeKey !== null) documents.push({ key: `${dedupeKeyPrefix}${dedupeKey}`, value: checked.id });
      await upsertDocuments(settings, documents, 'key');
      return { alert: checked, raised: true };
    });
  }

  /**
   * Alerts newest first; dismissed ones only when asked for. A stored alert of the wrong shape
   * is a StoredValueInvalidError, or, given `onInvalid`, reported there and left out.
   */
  async list(options: { includeDismissed?: boolean | undefined; onInvalid?: (error: StoredValueInvalidError) => void } = {}): Promise<AlertRecord[]> {
    const stored = await this.ledger.database.collections.settings.find({ selector: { key: { $regex: `^${alertKeyPrefix}` } } }).exec();
    const alerts = stored.flatMap(({ key, value }) => {
      try {
        return [parseStoredJson(key, value, alertRecordSchema)];
      } catch (error) {
        if (!(error instanceof StoredValueInvalidError) || !options.onInvalid) throw error;
        options.onInvalid(error);
        return [];
      }
    });
    return alerts
      .filter((alert) => options.includeDismissed === true || alert.dismissedAtMs === null)
      .sort((left, right) => right.atMs - left.atMs || (left.id < right.id ? 1 : left.id > right.id ? -1 : 0));
  }

  /** Marks an alert dismissed at `nowMs` (the first dismissal's time is kept); null for an unknown id. */
  dismiss(id: string, nowMs: number): Promise<AlertRecord | null> {
    return this.ledger.engine.guarded(async () => {
      const alert = await this.readInUnit(id);
      if (!alert || alert.dismissedAtMs !== null) return alert;
      const dismissed = { ...alert, dismissedAtMs: nowMs };
      await upsertDocuments(this.ledger.database.collections.settings, [{ key: `${alertKeyPrefix}${id}`, value: JSON.stringify(dismissed) }], 'key');
      return dismissed;
    });
  }

  /** An alert as the storage holds it inside the caller's unit, or null. */
  private async readInUnit(id: string): Promise<AlertRecord | null> {
    const key = `${alertKeyPrefix}${id}`;
    const [stored] = await readCurrent(this.ledger.database.collections.settings, [key]);
    if (!stored) return null;
    const alert = parseStoredJson(key, stored.value, alertRecordSchema);
    if (alert.id !== id) throw new StoredValueInvalidError(key, `holds alert ${alert.id}`);
    return alert;
  }
}
