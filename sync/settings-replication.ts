// Central's settings for this terminal (its offline limits first) replicated into the ledger's
// settings collection with RxDB's replication protocol, pull only: a checkpointed pull handler
// carried over the MQTT link as a signed request, and a pull stream that says RESYNC whenever
// the link comes back or central hints that something changed, so RxDB pulls from its last
// checkpoint. Pulled documents are written through the durable storage like any other.
import { Subject } from 'rxjs';
import type { LogSink } from '../core/log-sink.js';
import { signMessage, verifyMessage } from '../core/wire/auth-tag.js';
import { pullResultSchema } from '../core/wire/sync-messages.js';
import type { Ledger } from '../ledger/ledger.js';
import { replicateCentralSettings, type CentralSettingsReplica } from '../ledger/stores/central-settings-replica.js';
import type { MqttLink } from './mqtt-link.js';
import type { Clock } from '../core/clock.js';

export interface SettingsReplicationOptions {
  link: MqttLink;
  ledger: Ledger;
  terminalId: string;
  key: Uint8Array;
  clock: Clock;
  log: LogSink;
  requestTimeoutMs?: number;
}

export class SettingsReplication {
  private replication: CentralSettingsReplica | null = null;
  private readonly stream = new Subject<'RESYNC'>();
  private readonly unsubscribes: Array<() => void> = [];
  private wasOnline = false;

  constructor(private readonly options: SettingsReplicationOptions) {}

  start(): void {
    const { link, ledger, terminalId, key } = this.options;
    this.replication = replicateCentralSettings(ledger, {
      identifier: `devpay-central-settings-${terminalId}`,
      stream$: this.stream.asObservable(),
      pull: async (checkpoint, batchSize) => {
        const answer = await link.request('pull', { terminalId, checkpoint, batchSize }, pullResultSchema, this.options.requestTimeoutMs ?? 10_000, (message) => signMessage(key, message));
        if (answer.terminalId !== terminalId || !verifyMessage(key, answer as unknown as Record<string, unknown>)) {
          this.options.log.warn({ reason: 'bad_tag' }, 'settings pull answer rejected');
          throw new Error('settings pull answer failed authentication');
        }
        return { documents: answer.documents, checkpoint: answer.checkpoint };
      },
    });
    // RxDB's error message embeds its parameters, stack traces included; the log keeps the code
    // and the cause's own name and message (at start, before the broker answers, "offline").
    this.replication.error$.subscribe((error) => {
      const causes = (error as { parameters?: { errors?: unknown } }).parameters?.errors;
      const cause: unknown = Array.isArray(causes) ? causes[0] : causes;
      const described = typeof cause === 'object' && cause !== null ? (cause as { name?: unknown; code?: unknown; message?: unknown }) : null;
      const named = described && typeof described.message === 'string' ? `${String(described.code ?? described.name ?? 'Error')}: ${described.message}` : undefined;
      this.options.log.warn({ code: (error as { code?: string }).code ?? error.name, ...(named ? { cause: named } : {}) }, 'settings replication error');
    });
    this.unsubscribes.push(
      link.onChange(() => {
        const online = link.status().brokerReachable;
        // After a reconnect RxDB must pull from its checkpoint: anything may have changed.
        if (online && !this.wasOnline) this.stream.next('RESYNC');
        this.wasOnline = online;
      }),
      link.onNotify(() => this.stream.next('RESYNC')),
    );
  }

  /** Resolves once the replication has pulled everything central had when it is called. */
  async awaitInSync(): Promise<void> {
    await this.replication?.awaitInSync();
  }

  async stop(): Promise<void> {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    await this.replication?.cancel();
    this.stream.complete();
  }
}
