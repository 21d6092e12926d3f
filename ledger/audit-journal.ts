// The append-only audit journal: every money and security event, hash-chained. Entry n stores
// the hash of entry n-1 and its own hash over (seq, time, kind, payload, previous hash), so
// removing, reordering or editing an entry breaks every later link. Appends happen inside the
// same unit of work as the event they record, so an event and its entry are durable together.
// The journal lives in the ledger's SQLite file, sealed like every document, but not in an RxDB
// collection: it is append-only and read only by verify and export, and mirroring it in memory
// would cost a third of the ledger's open time and memory for nothing.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Clock } from '../core/clock.js';
import { canonicalJson } from '../core/canonical-json.js';
import type { AuditDocument } from './schemas.js';
import type { DurableStorage } from './durable/durable-storage.js';
import { auditTable, type SqliteStore } from './durable/sqlite-store.js';

export const genesisHash = '0'.repeat(64);
const encoder = new TextEncoder();

export function auditHash(entry: Omit<AuditDocument, 'hash'>): string {
  return bytesToHex(sha256(encoder.encode(canonicalJson([entry.seq, entry.atMs, entry.kind, entry.payload, entry.prevHash]))));
}

export function sequenceId(seq: number): string {
  return seq.toString().padStart(16, '0');
}

export type ChainBreak = { seq: string; reason: 'hash_mismatch' | 'link_mismatch' | 'sequence_gap' };

/** Checks a whole chain, in order; returns the first break or null. */
export function verifyChain(entries: AuditDocument[]): ChainBreak | null {
  let prevHash = genesisHash;
  for (let index = 0; index < entries.length; index += 1) {
    const entry = entries[index]!;
    if (entry.seq !== sequenceId(index + 1)) return { seq: entry.seq, reason: 'sequence_gap' };
    if (entry.prevHash !== prevHash) return { seq: entry.seq, reason: 'link_mismatch' };
    if (auditHash(entry) !== entry.hash) return { seq: entry.seq, reason: 'hash_mismatch' };
    prevHash = entry.hash;
  }
  return null;
}

export class AuditJournal {
  private nextSeq = 1;
  private lastHash = genesisHash;

  constructor(
    private readonly storage: DurableStorage,
    private readonly store: SqliteStore,
    private readonly clock: Clock,
  ) {}

  /** Finds the chain's head; called once at open. */
  load(): void {
    const head = this.store.auditHead();
    if (head) {
      const last = JSON.parse(head) as AuditDocument;
      this.nextSeq = Number(last.seq) + 1;
      this.lastHash = last.hash;
    }
  }

  /** Appends one entry. Callers run it inside the unit of work of the event it records. */
  async append(kind: string, payload: Record<string, unknown>): Promise<AuditDocument> {
    const base = { seq: sequenceId(this.nextSeq), atMs: this.clock.nowMs(), kind, payload, prevHash: this.lastHash };
    const entry: AuditDocument = { ...base, hash: auditHash(base) };
    this.storage.addToUnit({ collection: auditTable, id: String(this.nextSeq), json: JSON.stringify(entry) });
    this.nextSeq += 1;
    this.lastHash = entry.hash;
    return entry;
  }

  /** Every entry in chain order, read from disk. */
  async all(): Promise<AuditDocument[]> {
    return [...this.store.readAudit()].map((json) => JSON.parse(json) as AuditDocument);
  }
}
