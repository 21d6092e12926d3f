// A write probe: one small real commit through the posting engine's serialised unit. Whoever
// reopens a ledger after a failed commit runs it before calling the ledger healthy, because an
// open alone proves little: a ledger whose system accounts exist already opens without writing
// anything, even on a disk that is still full.
import type { Ledger } from './ledger.js';
import { upsertDocuments } from './storage-writes.js';

/** The settings row the probe overwrites: one row, however often the probe runs. */
export const ledgerProbeKey = 'local/ledger_probe';

/** Commits the probe row with the given time; rejects (a named ledger error) if the commit fails. */
export async function probeLedgerWrite(ledger: Ledger, nowMs: number): Promise<void> {
  await ledger.engine.guarded(() => upsertDocuments(ledger.database.collections.settings, [{ key: ledgerProbeKey, value: String(nowMs) }], 'key'));
  // Whatever the probe's own commit did, a store that has failed since is not healthy.
  const failure = ledger.failure();
  if (failure) throw failure;
}
