// The terminal's MQTT link to central. It owns the connection, answers "is central reachable"
// with a heartbeat request every interval, and reports link state changes: online while central
// answered within the last interval, degraded while the broker is connected but central is
// silent, offline without a broker (link-health.ts holds those rules). Requests carry a
// correlation id in the payload (and as MQTT 5 correlation data where the broker speaks 5);
// answers are accepted only on this terminal's own response topic and only for a request still
// waiting, so a late or repeated answer is dropped. A heartbeat answer counts only if its tag
// checks under the terminal's sync key: central's time sets the clock offset and the last contact
// that bounds offline operation. Without a key (not provisioned) nothing central says can be
// checked, so central never counts as reachable and no heartbeat is sent.
import type { Socket } from 'node:net';
import mqtt, { type MqttClient, type IClientOptions } from 'mqtt';
import type { Clock, Random } from '../core/clock.js';
import { toHex } from '../core/clock.js';
import type { LinkStatus } from '../core/api/status.js';
import type { LogSink } from '../core/log-sink.js';
import type { z } from 'zod';
import { decodeWire, heartbeatResponseSchema, presenceSchema, responseEnvelopeSchema } from '../core/wire/messages.js';
import { verifyMessage } from '../core/wire/auth-tag.js';
import { notifySchema } from '../core/wire/sync-messages.js';
import { topics, wireProtocolVersion } from '../core/wire/topics.js';
import { LinkHealth } from './link-health.js';

/** How often central is asked for a heartbeat unless the caller says otherwise. */
export const defaultHeartbeatIntervalMs = 2000;

export interface MqttLinkOptions {
  brokerUrl: string;
  terminalId: string;
  clock: Clock;
  random: Random;
  log: LogSink;
  /** 5 for Mosquitto and production brokers; 4 for the embedded aedes broker. */
  protocolVersion?: 4 | 5;
  /** The broker user name, and so the client id (brokers bind the two); the terminal id when none is given. */
  username?: string;
  password?: string;
  /** PEM of the CA that signed the broker's certificate, for mqtts:// brokers. */
  caPem?: string;
  heartbeatIntervalMs?: number;
  /** How long a heartbeat waits for its answer; half the interval (at most 3 s) by default. */
  heartbeatTimeoutMs?: number;
  /** MQTT keepalive in seconds; by default five heartbeat intervals, between 5 and 60 s. */
  keepaliveSeconds?: number;
  /** The terminal's sync key, to check central's signed heartbeat answers; null when not provisioned. */
  syncKey?: Uint8Array | null;
}

interface PendingRequest {
  schema: z.ZodType<unknown>;
  /** Names why a well-formed answer is refused (it stays waiting for central's own), or null. */
  check: ((value: unknown) => string | null) | undefined;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class LinkError extends Error {
  constructor(
    readonly code: 'offline' | 'timeout' | 'closed',
    message: string,
  ) {
    super(message);
    this.name = 'LinkError';
  }
}

export class MqttLink {
  private client: MqttClient | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private readonly pending = new Map<string, PendingRequest>();
  private readonly listeners = new Set<() => void>();
  private readonly notifyListeners = new Set<() => void>();
  private readonly intervalMs: number;
  private readonly heartbeatTimeoutMs: number;
  private readonly health: LinkHealth;
  private current: LinkStatus;
  private unverifiableLogged = false;

  constructor(private readonly options: MqttLinkOptions) {
    this.intervalMs = options.heartbeatIntervalMs ?? defaultHeartbeatIntervalMs;
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? Math.min(3000, Math.max(50, Math.round(this.intervalMs / 2)));
    this.health = new LinkHealth({ clock: options.clock, intervalMs: this.intervalMs, graceMs: this.heartbeatTimeoutMs, onExpired: () => this.refresh() });
    this.current = { ...this.health.snapshot(), centralRoundTripMs: null, centralLastSeenAt: null, clockOffsetMs: null, heartbeatIntervalMs: this.intervalMs };
  }

  status(): LinkStatus {
    return { ...this.current };
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Listens for central's change hints (they carry no data; the listener pulls). */
  onNotify(listener: () => void): () => void {
    this.notifyListeners.add(listener);
    return () => this.notifyListeners.delete(listener);
  }

  start(): void {
    const { terminalId } = this.options;
    const clientOptions: IClientOptions = {
      protocolVersion: this.options.protocolVersion ?? 5,
      clientId: this.options.username ?? terminalId,
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
      // MQTT notices a silent connection after 1.5 keepalives; one tied to the heartbeat drops a
      // black-holed connection and dials again within seconds, not the default's 90.
      keepalive: this.options.keepaliveSeconds ?? Math.min(60, Math.max(5, Math.ceil((this.intervalMs * 5) / 1000))),
      ...(this.options.username === undefined ? {} : { username: this.options.username }),
      ...(this.options.password === undefined ? {} : { password: this.options.password }),
      ...(this.options.caPem === undefined ? {} : { ca: this.options.caPem, rejectUnauthorized: true }),
    };
    const client = mqtt.connect(this.options.brokerUrl, clientOptions);
    this.client = client;
    client.on('connect', () => {
      // Requests and answers are small single packets: Nagle's algorithm would hold each one
      // back for a delayed ACK (about 40 ms per hop), most of an online authorization's time.
      (client.stream as Socket | undefined)?.setNoDelay?.(true);
      client.subscribe([topics.terminalResponses(terminalId), topics.centralPresence], { qos: 1 }, (error) => {
        if (error) this.options.log.warn({ err: error }, 'subscribe failed');
      });
      this.health.brokerConnected();
      this.refresh();
      void this.checkNow();
    });
    client.on('close', () => this.markBrokerLost());
    client.on('offline', () => this.markBrokerLost());
    client.on('error', (error) => this.options.log.warn({ err: error.message }, 'mqtt link error'));
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    this.heartbeatTimer = setInterval(() => void this.checkNow(), this.intervalMs);
  }

  /**
   * Sends a request to central and resolves with its answer, checked against the schema. The
   * correlation id travels in the payload and, for MQTT 5 brokers, as correlation data.
   */
  request<T>(
    kind: string,
    body: Record<string, unknown>,
    schema: z.ZodType<T>,
    timeoutMs: number,
    seal: (message: Record<string, unknown>) => Record<string, unknown> = (message) => message,
    /** Names why a well-formed answer is refused (a bad tag); the request then waits on for central's own. */
    check?: (value: T) => string | null,
  ): Promise<T> {
    return this.send(kind, body, schema, timeoutMs, seal, check);
  }

  private send<T>(
    kind: string,
    body: Record<string, unknown>,
    schema: z.ZodType<T>,
    timeoutMs: number,
    seal: (message: Record<string, unknown>) => Record<string, unknown>,
    check: ((value: T) => string | null) | undefined,
  ): Promise<T> {
    const client = this.client;
    if (!client?.connected) return Promise.reject(new LinkError('offline', 'the broker is not reachable'));
    const correlationId = toHex(this.options.random.bytes(16));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        reject(new LinkError('timeout', `${kind} got no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(correlationId, { schema, check: check as PendingRequest['check'], resolve: resolve as (value: unknown) => void, reject, timer });
      // Sealing (the authentication tag) covers the correlation id, so an answer cannot be moved.
      const payload = JSON.stringify(seal({ ...body, v: wireProtocolVersion, kind, correlationId }));
      client.publish(topics.terminalRequest(this.options.terminalId, kind), payload, {
        qos: 1,
        properties: {
          responseTopic: topics.terminalResponses(this.options.terminalId),
          correlationData: Buffer.from(correlationId, 'hex'),
          messageExpiryInterval: Math.ceil(timeoutMs / 1000),
        },
      });
    });
  }

  /** Sends one heartbeat; resolves with its round trip, or null when central did not answer. */
  async checkNow(): Promise<{ centralReachable: boolean; roundTripMs: number | null }> {
    const key = this.options.syncKey;
    if (!key) {
      if (!this.unverifiableLogged) this.options.log.warn({ reason: 'no_sync_key' }, 'central cannot be verified without a sync key; it counts as unreachable');
      this.unverifiableLogged = true;
      this.health.missed(this.options.clock.monotonicMs());
      this.refresh();
      return { centralReachable: false, roundTripMs: null };
    }
    const { terminalId } = this.options;
    const startedMs = this.options.clock.monotonicMs();
    const sentAtMs = this.options.clock.nowMs();
    let answer;
    try {
      answer = await this.send('heartbeat', { sentAtMs }, heartbeatResponseSchema, this.heartbeatTimeoutMs, (message) => message, (value) => {
        if (!verifyMessage(key, value)) return 'bad_tag';
        return value.terminalId === terminalId ? null : 'terminal_mismatch';
      });
    } catch {
      this.health.missed(startedMs);
      this.refresh();
      return { centralReachable: false, roundTripMs: null };
    }
    const roundTripMs = this.options.clock.monotonicMs() - startedMs;
    const answeredAtMs = this.options.clock.nowMs();
    this.health.answered(startedMs, answeredAtMs);
    this.refresh({
      centralRoundTripMs: roundTripMs,
      centralLastSeenAt: new Date(answeredAtMs).toISOString(),
      // Rounded to the millisecond so a status event is not sent for sub-millisecond jitter.
      clockOffsetMs: Math.round(answer.centralTimeMs - (sentAtMs + roundTripMs / 2)),
    });
    return this.current.centralReachable ? { centralReachable: true, roundTripMs } : { centralReachable: false, roundTripMs: null };
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (topic === topics.centralPresence) {
      const presence = decodeWire(presenceSchema, payload);
      if (!presence.ok) {
        this.options.log.warn({ topic, reason: presence.reason, detail: presence.detail }, 'wire message rejected');
        return;
      }
      this.health.presence(presence.value.online);
      this.refresh();
      return;
    }
    const hint = decodeWire(notifySchema, payload);
    if (hint.ok) {
      if (hint.value.terminalId === this.options.terminalId) for (const listener of this.notifyListeners) listener();
      return;
    }
    const envelope = decodeWire(responseEnvelopeSchema, payload);
    if (!envelope.ok) {
      this.options.log.warn({ topic, reason: envelope.reason, detail: envelope.detail }, 'wire message rejected');
      return;
    }
    const waiting = this.pending.get(envelope.value.correlationId);
    if (!waiting) {
      // A late answer, a replay, or an answer to someone else: never applied.
      this.options.log.warn({ topic, reason: 'unexpected_correlation' }, 'wire message rejected');
      return;
    }
    const response = decodeWire(waiting.schema, payload);
    if (!response.ok) {
      this.options.log.warn({ topic, reason: response.reason, detail: response.detail }, 'wire message rejected');
      return;
    }
    // A forged answer does not use up the request: central's own may still arrive in time.
    const refusal = waiting.check?.(response.value) ?? null;
    if (refusal !== null) {
      this.options.log.warn({ topic, reason: refusal }, 'wire message rejected');
      return;
    }
    this.pending.delete(envelope.value.correlationId);
    clearTimeout(waiting.timer);
    waiting.resolve(response.value);
  }

  private markBrokerLost(): void {
    this.health.brokerLost();
    this.refresh();
  }

  /** Takes the state from the link's health, with any new facts about central's last answer. */
  private refresh(change: Partial<LinkStatus> = {}): void {
    const next = { ...this.current, ...change, ...this.health.snapshot() };
    const changed = (Object.keys(next) as Array<keyof LinkStatus>).some((key) => next[key] !== this.current[key]);
    this.current = next;
    if (changed) for (const listener of this.listeners) listener();
  }

  async stop(): Promise<void> {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.health.stop();
    for (const waiting of this.pending.values()) {
      clearTimeout(waiting.timer);
      waiting.reject(new LinkError('closed', 'the link was closed'));
    }
    this.pending.clear();
    const client = this.client;
    this.client = null;
    if (client) await client.endAsync(true);
  }
}
