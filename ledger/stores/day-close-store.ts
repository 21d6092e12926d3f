// The terminal's day closes (Z reports), kept in its ledger settings: each close under
// `day_close/report/<sequence>` with the client id that made it, under `day_close/client/<hash>`
// the sequence a client id closed (so a retry answers the same close), and `day_close/head`: the
// last sequence, where the next period starts (the last close's toMs) and which provisional
// closes still wait for sync. The only reader and writer of those documents. Writes happen only
// inside the caller's engine unit, together with the close's audit entry, so a crash leaves a
// close recorded whole or not at all; reads by key see earlier units' uncommitted writes.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { dayReportSchema, type DayReport } from '../../core/api/day-reports.js';
import { clientIdSchema } from '../../core/api/corrections.js';
import type { Ledger } from '../ledger.js';
import { readCurrent, upsertDocuments } from '../storage-writes.js';
import { parseStoredJson, StoredValueInvalidError } from './stored-value.js';

const headKey = 'day_close/head';
const reportKey = (sequence: number): string => `day_close/report/${String(sequence).padStart(10, '0')}`;
// Client ids may be 64 characters and setting keys at most 64: the key holds a digest of it, and
// the close it names is checked to carry the very client id.
const clientKey = (clientId: string): string => `day_close/client/${bytesToHex(sha256(new TextEncoder().encode(clientId))).slice(0, 40)}`;

const storedCloseSchema = z.object({ clientId: clientIdSchema, report: dayReportSchema }).strict();
const headSchema = z
  .object({
    sequence: z.number().int().positive(),
    /** The last close's (exclusive) end: the next period starts here. */
    toMs: z.number().int().nonnegative(),
    reportId: z.string(),
    /** Provisional closes not completed yet, oldest first. */
    openSequences: z.array(z.number().int().positive()),
  })
  .strict();
export type DayCloseHead = z.infer<typeof headSchema>;

export class DayCloseConflictError extends Error {
  constructor(detail: string) {
    super(`day_close_conflict: ${detail}`);
    this.name = 'DayCloseConflictError';
  }
}

export class DayCloseStore {
  constructor(private readonly ledger: Ledger) {}

  /** The last close, or null before the first. */
  async head(): Promise<DayCloseHead | null> {
    const value = await this.read(headKey);
    return value === null ? null : parseStoredJson(headKey, value, headSchema);
  }

  /** The close a client id made, or null. */
  async byClientId(clientId: string): Promise<DayReport | null> {
    const key = clientKey(clientId);
    const value = await this.read(key);
    if (value === null) return null;
    const sequence = Number(value);
    if (!Number.isInteger(sequence) || sequence < 1) throw new StoredValueInvalidError(key, 'not a close sequence');
    const stored = await this.stored(sequence);
    // A digest shared by two client ids is as good as impossible; if it happened, the other id's close is not this one's.
    return stored && stored.clientId === clientId ? stored.report : null;
  }

  async bySequence(sequence: number): Promise<DayReport | null> {
    return (await this.stored(sequence))?.report ?? null;
  }

  /** Stored Z reports, newest first. */
  async list(limit: number): Promise<DayReport[]> {
    const head = await this.head();
    if (!head) return [];
    const sequences: number[] = [];
    for (let sequence = head.sequence; sequence >= 1 && sequences.length < limit; sequence -= 1) sequences.push(sequence);
    const documents = new Map((await readCurrent(this.ledger.database.collections.settings, sequences.map(reportKey))).map((document) => [document.key, document.value]));
    return sequences.flatMap((sequence) => {
      const value = documents.get(reportKey(sequence));
      return value === undefined ? [] : [parseStoredJson(reportKey(sequence), value, storedCloseSchema).report];
    });
  }

  /** Provisional closes still waiting for sync, oldest first. */
  async open(): Promise<DayReport[]> {
    const head = await this.head();
    const reports: DayReport[] = [];
    for (const sequence of head?.openSequences ?? []) {
      const report = await this.bySequence(sequence);
      if (report) reports.push(report);
    }
    return reports;
  }

  /** Records a new close inside the caller's unit: its sequence must follow the head's. */
  async record(report: DayReport, clientId: string): Promise<void> {
    const checked = dayReportSchema.parse(report);
    const head = await this.head();
    const expected = (head?.sequence ?? 0) + 1;
    if (checked.kind !== 'z' || checked.sequence !== expected) throw new DayCloseConflictError(`close ${checked.sequence} recorded after ${head?.sequence ?? 0}`);
    if (head && checked.fromMs !== head.toMs) throw new DayCloseConflictError(`period starts at ${checked.fromMs}, not at the last close's end ${head.toMs}`);
    const openSequences = [...(head?.openSequences ?? []), ...(checked.completedAtMs === null ? [expected] : [])];
    await upsertDocuments(
      this.ledger.database.collections.settings,
      [
        { key: reportKey(expected), value: JSON.stringify({ clientId, report: checked }) },
        { key: clientKey(clientId), value: String(expected) },
        { key: headKey, value: JSON.stringify({ sequence: expected, toMs: checked.toMs, reportId: checked.id, openSequences }) },
      ],
      'key',
    );
  }

  /** Replaces a provisional close by its completed form inside the caller's unit (same id, sequence and period). */
  async complete(report: DayReport): Promise<void> {
    const checked = dayReportSchema.parse(report);
    const sequence = checked.sequence ?? 0;
    const stored = await this.stored(sequence);
    const head = await this.head();
    if (!stored || !head || stored.report.id !== checked.id || stored.report.fromMs !== checked.fromMs || stored.report.toMs !== checked.toMs || checked.completedAtMs === null) {
      throw new DayCloseConflictError(`close ${sequence} cannot be completed as given`);
    }
    await upsertDocuments(
      this.ledger.database.collections.settings,
      [
        { key: reportKey(sequence), value: JSON.stringify({ clientId: stored.clientId, report: checked }) },
        { key: headKey, value: JSON.stringify({ ...head, openSequences: head.openSequences.filter((open) => open !== sequence) }) },
      ],
      'key',
    );
  }

  private async stored(sequence: number): Promise<z.infer<typeof storedCloseSchema> | null> {
    const key = reportKey(sequence);
    const value = await this.read(key);
    return value === null ? null : parseStoredJson(key, value, storedCloseSchema);
  }

  private async read(key: string): Promise<string | null> {
    const [document] = await readCurrent(this.ledger.database.collections.settings, [key]);
    return document ? document.value : null;
  }
}
