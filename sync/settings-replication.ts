// Central's settings for this terminal (its offline limits first) replicated into the ledger's
// settings collection with RxDB's replication protocol, pull only: a checkpointed pull handler
// carried over the MQTT link as a signed request, and a pull stream that says RESYNC whenever
// the link comes back or central hints that something changed, so RxDB pulls from its last
// checkpoint. Pulled documents are written through the durable storage like any other.
//
// A pull waits for the broker connection instead of failing without one: RxDB starts pulling at
// once, before the link has connected (every start of the terminal), and would otherwise log a
// failed pull and retry it every second for as long as the terminal is offline. A pull that
// loses the link midway is retried quietly; only other failures (central silent, a bad answer)
// are logged, by code and cause, never with RxDB's parameters and stack.
import { Subject } from 'rxjs';
import type { LogSink } from '../core/log-sink.js';
import { signMessage, verifyMessage } from '../core/wire/auth-tag.js';
import { pullResultSchema } from '../core/wire/sync-messages.js';
import type { Ledger } from '../ledger/ledger.js';
import { replicateCentralSettings, type CentralSettingsReplica } from '../ledger/stores/central-settings-replica.js';
import { LinkError, type MqttLink } from './mqtt-link.js';
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
  /** Pulls waiting for the broker connection; told to give up at stop. */
  private readonly waitingForLink = new Set<(error: Error | null) => void>();

  constructor(private readonly options: SettingsReplicationOptions) {}

  start(): void {
    const { link, ledger, terminalId, key } = this.options;
    this.replication = replicateCentralSettings(ledger, {
      identifier: `devpay-central-settings-${terminalId}`,
      stream$: this.stream.asObservable(),
      pull: async (checkpoint, batchSize) => {
        await this.linkUp();
        const answer = await link.request('pull', { terminalId, checkpoint, batchSize }, pullResultSchema, this.options.requestTimeoutMs ?? 10_000, (message) => signMessage(key, message));
        if (answer.terminalId !== terminalId || !verifyMessage(key, answer as unknown as Record<string, unknown>)) {
          this.options.log.warn({ reason: 'bad_tag' }, 'settings pull answer rejected');
          throw new Error('settings pull answer failed authentication');
        }
        return { documents: answer.documents, checkpoint: answer.checkpoint };
      },
    });
    // RxDB's error message embeds its parameters, stack traces included; the log keeps the code
    // and the cause's own name and message (central silent: "timeout").
    this.replication.error$.subscribe((error) => {
      const causes = (error as { parameters?: { errors?: unknown } }).parameters?.errors;
      const cause: unknown = Array.isArray(causes) ? causes[0] : causes;
      // The link went down mid-pull, or is closing: RxDB retries, and the link says it is offline.
      if (cause instanceof LinkError && cause.code !== 'timeout') return;
      const described = typeof cause === 'object' && cause !== null ? (cause as { name?: unknown; code?: unknown; message?: unknown }) : null;
      const named = described && typeof described.message === 'string' ? `${String(described.code ?? described.name ?? 'Error')}: ${described.message}` : undefined;
      this.options.log.warn({ code: (error as { code?: string }).code ?? error.name, ...(named ? { cause: named } : {}) }, 'settings replication error');
    });
    this.unsubscribes.push(
      link.onChange(() => {
        const online = link.status().brokerReachable;
        if (online) for (const release of this.waitingForLink) release(null);
        // After a reconnect RxDB must pull from its checkpoint: anything may have changed.
        if (online && !this.wasOnline) this.stream.next('RESYNC');
        this.wasOnline = online;
      }),
      link.onNotify(() => this.stream.next('RESYNC')),
    );
  }

  /** Resolves at once while the broker is connected, else once it connects (rejects at stop). */
  private linkUp(): Promise<void> {
    if (this.options.link.status().brokerReachable) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const release = (error: Error | null): void => {
        this.waitingForLink.delete(release);
        if (error) reject(error);
        else resolve();
      };
      this.waitingForLink.add(release);
    });
  }

  /** Resolves once the replication has pulled everything central had when it is called. */
  async awaitInSync(): Promise<void> {
    await this.replication?.awaitInSync();
  }

  async stop(): Promise<void> {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    for (const release of [...this.waitingForLink]) release(new LinkError('closed', 'the settings replication stopped'));
    await this.replication?.cancel();
    this.stream.complete();
  }
}
