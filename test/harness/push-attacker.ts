// An attacker holding one terminal's broker password and sync key (a stolen or rooted terminal):
// it connects to the broker as that terminal and sends whatever requests it likes (pushes of
// any transactions, card and refund authorizations), each signed with the terminal's genuine
// key, and reads central's signed answers.
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import type { z } from 'zod';
import { signMessage } from '../../core/wire/auth-tag.js';
import { topics } from '../../core/wire/topics.js';
import { pushResultSchema, type PushResult } from '../../core/wire/sync-messages.js';

export class PushAttacker {
  private readonly waiting = new Map<string, (payload: unknown) => void>();

  private constructor(
    private readonly client: MqttClient,
    private readonly terminalId: string,
    private readonly key: Uint8Array,
  ) {
    client.on('message', (_topic, payload) => {
      let message: unknown;
      try {
        message = JSON.parse(payload.toString());
      } catch {
        return;
      }
      const correlationId = (message as { correlationId?: unknown } | null)?.correlationId;
      if (typeof correlationId !== 'string') return;
      this.waiting.get(correlationId)?.(message);
    });
    client.on('error', () => undefined);
  }

  static async connect(brokerUrl: string, terminalId: string, password: string, key: Uint8Array): Promise<PushAttacker> {
    const client = await mqtt.connectAsync(brokerUrl, { protocolVersion: 5, username: terminalId, password, clientId: terminalId, reconnectPeriod: 0 });
    await client.subscribeAsync(topics.terminalResponses(terminalId), { qos: 1 });
    return new PushAttacker(client, terminalId, key);
  }

  /** Pushes transactions (wire form) signed with the terminal's key; resolves with central's verdicts. */
  async push(transactions: Array<Record<string, unknown>>, timeoutMs = 20_000): Promise<PushResult['results']> {
    const result = await this.request('push', { sentAtMs: 1, transactions }, pushResultSchema, timeoutMs);
    return result.results;
  }

  /**
   * Sends one signed request of a kind on the terminal's own topic (`kind` in the payload too);
   * resolves with central's answer parsed by `schema`, or rejects after `timeoutMs`.
   */
  request<T>(kind: string, body: Record<string, unknown>, schema: z.ZodType<T>, timeoutMs = 20_000): Promise<T> {
    const correlationId = randomBytes(16).toString('hex');
    const message = signMessage(this.key, { v: 1, kind, correlationId, terminalId: this.terminalId, ...body });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(correlationId);
        reject(new Error(`no answer to ${kind} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(correlationId, (payload) => {
        const parsed = schema.safeParse(payload);
        if (!parsed.success) return;
        clearTimeout(timer);
        this.waiting.delete(correlationId);
        resolve(parsed.data);
      });
      this.client.publishAsync(topics.terminalRequest(this.terminalId, kind), JSON.stringify(message), { qos: 1 }).catch(reject);
    });
  }

  close(): Promise<void> {
    return this.client.endAsync(true);
  }
}
