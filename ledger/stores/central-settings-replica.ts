// The terminal's copy of central's settings, kept up to date with RxDB's replication protocol
// (pull only) into the ledger's settings collection, under `central/` so a pull can never
// overwrite the terminal's own settings (its owner, its last contact). The ledger owns the
// collection and the replication; sync supplies the pull (a signed request over MQTT) and the
// stream that says when to pull again. Pulled documents go through the durable storage like
// any other write.
import type { Observable } from 'rxjs';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import type { PullCheckpoint, PulledDocument } from '../../core/wire/sync-messages.js';
import type { Ledger } from '../ledger.js';
import type { SettingDocument } from '../schemas.js';
import { centralSettingPrefix } from './central-knowledge-store.js';

/** Central's answer to one pull: the documents after the checkpoint, and the new checkpoint. */
export type CentralSettingsPull = (checkpoint: PullCheckpoint | null, batchSize: number) => Promise<{ documents: PulledDocument[]; checkpoint: PullCheckpoint | null }>;

export interface CentralSettingsReplica {
  readonly error$: Observable<Error>;
  awaitInSync(): Promise<unknown>;
  cancel(): Promise<unknown>;
}

export function replicateCentralSettings(ledger: Ledger, options: { identifier: string; pull: CentralSettingsPull; stream$: Observable<'RESYNC'>; retryTimeMs?: number }): CentralSettingsReplica {
  const replication = replicateRxCollection<SettingDocument, PullCheckpoint>({
    collection: ledger.database.collections.settings,
    replicationIdentifier: options.identifier,
    live: true,
    retryTime: options.retryTimeMs ?? 1000,
    waitForLeadership: false,
    pull: {
      batchSize: 50,
      stream$: options.stream$,
      handler: async (checkpoint, batchSize) => {
        const answer = await options.pull(checkpoint ?? null, batchSize);
        return {
          documents: answer.documents.map((document) => ({ key: `${centralSettingPrefix}${document.key}`, value: document.value, _deleted: document.deleted })),
          checkpoint: answer.checkpoint ?? undefined,
        };
      },
    },
  });
  return { error$: replication.error$, awaitInSync: () => replication.awaitInSync(), cancel: () => replication.cancel() };
}
