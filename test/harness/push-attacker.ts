// An attacker holding one terminal's broker password and sync key (a stolen or rooted terminal):
// it connects to the broker as that terminal and pushes whatever transactions it likes, each
// push signed with the terminal's genuine key, and reads central's signed verdicts.
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { signMessage } from '../../core/wire/auth-tag.js';
import { topics } from '../../core/wire/topics.js';
import { pushResultSchema, type PushResult } from '../../core/wire/sync-messages.js';

export class PushAttacker {
  private readonly waiting = new Map<string, (result: PushResult) => void>();

  private constructor(
    private readonly client: MqttClient,
    private readonly terminalId: string,
    private readonly key: Uint8Array,
  ) {
    client.on('message', (_topic, payload) => {
      const parsed = pushResultSchema.safeParse(JSON.parse(payload.toString()));
      if (!parsed.success) return;
      this.waiting.get(parsed.data.correlationId)?.(parsed.data);
      this.waiting.delete(parsed.data.correlationId);
    });
    client.on('error', () => undefined);
  }

  static async connect(brokerUrl: string, terminalId: string, password: string, key: Uint8Array): Promise<PushAttacker> {
    const client = await mqtt.connectAsync(brokerUrl, { protocolVersion: 5, username: terminalId, password, clientId: terminalId, reconnectPeriod: 0 });
    await client.subscribeAsync(topics.terminalResponses(terminalId), { qos: 1 });
    return new PushAttacker(client, terminalId, key);
  }

  /** Pushes transactions (wire form) signed with the terminal's key; resolves with central's verdicts. */
  push(transactions: Array<Record<string, unknown>>, timeoutMs = 20_000): Promise<PushResult['results']> {
    const correlationId = randomBytes(16).toString('hex');
    const message = signMessage(this.key, { v: 1, kind: 'push', correlationId, terminalId: this.terminalId, sentAtMs: 1, transactions });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no push_result in ${timeoutMs} ms`)), timeoutMs);
      this.waiting.set(correlationId, (result) => {
        clearTimeout(timer);
        resolve(result.results);
      });
      this.client.publishAsync(topics.terminalRequest(this.terminalId, 'push'), JSON.stringify(message), { qos: 1 }).catch(reject);
    });
  }

  close(): Promise<void> {
    return this.client.endAsync(true);
  }
}
