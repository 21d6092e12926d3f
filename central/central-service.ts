// The reference central ledger service, as far as the foundation needs it: it announces its
// presence (retained, with a last will saying offline) and answers terminals' heartbeats on each
// terminal's fixed response topic. Settlement, reserve tokens and revocations build on this.
// It connects with its broker user name as client id, because brokers bind the two (Mosquitto's
// use_username_as_clientid, the embedded broker's check): a terminal's credentials cannot take
// central's connection over and set off its last will.
import type { Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import type { Clock } from '../core/clock.js';
import type { LogSink } from '../core/log-sink.js';
import { decodeWire, heartbeatRequestSchema } from '../core/wire/messages.js';
import { deriveTerminalSyncKey, signMessage } from '../core/wire/auth-tag.js';
import { parseRequestTopic, topics, wireProtocolVersion } from '../core/wire/topics.js';

/** Answers one kind of terminal request; null means no answer (the request was refused). */
export type CentralRequestHandler = (terminalId: string, payload: Buffer) => Promise<Record<string, unknown> | null>;

export interface CentralServiceOptions {
  brokerUrl: string;
  /** Request kinds beyond the heartbeat, such as push (settlement). */
  handlers?: Record<string, CentralRequestHandler>;
  /** The master sync key: heartbeat answers are signed under the terminal's key derived from it. */
  masterKey: Uint8Array;
  clock: Clock;
  log: LogSink;
  protocolVersion?: 4 | 5;
  /** Central's broker user name and so its client id; 'central' when none is given. */
  username?: string;
  password?: string;
  /** PEM of the CA that signed the broker's certificate, for mqtts:// brokers. */
  caPem?: string;
}

export class CentralService {
  private client: MqttClient | null = null;
  private answeredCount = 0;
  private rejectedCount = 0;
  /** Terminals that have sent a request, so a fleet-wide change can notify each. */
  readonly seenTerminals = new Set<string>();

  constructor(private readonly options: CentralServiceOptions) {}

  get counters(): { answered: number; rejected: number } {
    return { answered: this.answeredCount, rejected: this.rejectedCount };
  }

  /** Connects and resolves once subscribed, so callers know central is answering. */
  async start(): Promise<void> {
    const offline = JSON.stringify({ v: wireProtocolVersion, online: false });
    const client = await mqtt.connectAsync(this.options.brokerUrl, {
      protocolVersion: this.options.protocolVersion ?? 5,
      clientId: this.options.username ?? 'central',
      clean: true,
      reconnectPeriod: 1000,
      will: { topic: topics.centralPresence, payload: Buffer.from(offline), qos: 1, retain: true },
      ...(this.options.username === undefined ? {} : { username: this.options.username }),
      ...(this.options.password === undefined ? {} : { password: this.options.password }),
      ...(this.options.caPem === undefined ? {} : { ca: this.options.caPem, rejectUnauthorized: true }),
    });
    this.client = client;
    client.on('message', (topic, payload) => this.onRequest(topic, payload));
    client.on('error', (error) => this.options.log.warn({ err: error.message }, 'central mqtt error'));
    // Answers are small single packets; without TCP_NODELAY each waits for a delayed ACK.
    const noDelay = (): void => void (client.stream as Socket | undefined)?.setNoDelay?.(true);
    noDelay();
    client.on('connect', () => {
      noDelay();
      void this.announce();
    });
    await this.announce();
  }

  private async announce(): Promise<void> {
    const client = this.client;
    if (!client) return;
    await client.subscribeAsync(topics.allTerminalRequests, { qos: 1 });
    await client.publishAsync(topics.centralPresence, JSON.stringify({ v: wireProtocolVersion, online: true }), { qos: 1, retain: true });
  }

  private onRequest(topic: string, payload: Buffer): void {
    const route = parseRequestTopic(topic);
    if (!route) return this.reject(topic, 'unknown_topic', 'not a terminal request topic');
    this.seenTerminals.add(route.terminalId);
    const handler = this.options.handlers?.[route.kind];
    if (handler) {
      handler(route.terminalId, payload).then(
        (answer) => {
          if (!answer) return;
          this.answeredCount += 1;
          this.client?.publish(topics.terminalResponses(route.terminalId), JSON.stringify(answer), { qos: 1 });
        },
        (error: unknown) => this.reject(topic, 'handler_failed', error instanceof Error ? error.message : String(error)),
      );
      return;
    }
    if (route.kind !== 'heartbeat') return this.reject(topic, 'unknown_kind', route.kind);
    const request = decodeWire(heartbeatRequestSchema, payload);
    if (!request.ok) return this.reject(topic, request.reason, request.detail);
    // Signed like every other answer: the terminal takes its clock offset and its last contact
    // with central from this, so no one but central may say what time central has.
    const response = signMessage(deriveTerminalSyncKey(this.options.masterKey, route.terminalId), {
      v: wireProtocolVersion,
      kind: 'heartbeat',
      correlationId: request.value.correlationId,
      terminalId: route.terminalId,
      centralTimeMs: this.options.clock.nowMs(),
    });
    this.answeredCount += 1;
    this.client?.publish(topics.terminalResponses(route.terminalId), JSON.stringify(response), {
      qos: 0,
      properties: { correlationData: Buffer.from(request.value.correlationId, 'hex') },
    });
  }

  /** Sends a terminal a hint (no data) that something changed for it. */
  notify(terminalId: string): void {
    this.client?.publish(topics.terminalResponses(terminalId), JSON.stringify({ v: wireProtocolVersion, kind: 'notify', terminalId }), { qos: 1 });
  }

  private reject(topic: string, reason: string, detail: string): void {
    this.rejectedCount += 1;
    this.options.log.warn({ topic, reason, detail }, 'central rejected a wire message');
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    // A clean shutdown says so explicitly; the last will covers crashes.
    await client.publishAsync(topics.centralPresence, JSON.stringify({ v: wireProtocolVersion, online: false }), { qos: 1, retain: true }).catch(() => undefined);
    await client.endAsync();
  }
}
