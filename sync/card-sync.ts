// The terminal's card traffic with central over the MQTT link: online authorization of a tap,
// and the replenishment of reserve tokens. Authorization answers are accepted only with this
// terminal's tag and for the payment asked about. Replenishment walks central's pages of signed
// batches into the reserve store when the link comes up, when central hints, after payments,
// and on a slow timer, so tokens are topped up while the link is there and before they run out.
import { signMessage, verifyMessage } from '../core/wire/auth-tag.js';
import { authorizeResultSchema, reserveResultSchema, type AuthorizeResult, type ReserveResult } from '../core/wire/card-messages.js';
import type { CardDetails } from '../core/ledger/transaction.js';
import type { LogSink } from '../core/log-sink.js';
import type { ReserveStore } from '../ledger/reserve-store.js';
import type { MqttLink } from './mqtt-link.js';

export class CardAuthorizationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CardAuthorizationError';
  }
}

export interface CardSyncOptions {
  link: MqttLink;
  terminalId: string;
  key: Uint8Array;
  reserve: ReserveStore;
  log: LogSink;
  replenishIntervalMs?: number;
  /** Called after each successful exchange with central (the offline clock restarts). */
  onCentralContact?: () => void;
}

export class CardSync {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private readonly unsubscribes: Array<() => void> = [];
  private wasReachable = false;
  private stopped = false;

  constructor(private readonly options: CardSyncOptions) {}

  /** Asks central to authorize a tap; rejects with a LinkError (offline, timeout) or CardAuthorizationError. */
  async authorize(request: { paymentId: string; amountMinor: bigint; currency: string; card: CardDetails }, timeoutMs: number): Promise<AuthorizeResult> {
    const { link, terminalId, key } = this.options;
    const body = { terminalId, paymentId: request.paymentId, amountMinor: request.amountMinor.toString(), currency: request.currency, card: request.card };
    const answer = await link.request('authorize', body, authorizeResultSchema, timeoutMs, (message) => signMessage(key, message));
    if (answer.terminalId !== terminalId || answer.paymentId !== request.paymentId || !verifyMessage(key, answer as unknown as Record<string, unknown>)) {
      throw new CardAuthorizationError('authorization answer failed authentication');
    }
    this.options.onCentralContact?.();
    return answer;
  }

  start(): void {
    const { link } = this.options;
    this.unsubscribes.push(
      link.onChange(() => {
        const reachable = link.status().centralReachable;
        if (reachable && !this.wasReachable) this.replenishSoon();
        this.wasReachable = reachable;
      }),
      link.onNotify(() => this.replenishSoon()),
    );
    // A full walk also runs every quarter hour, for cards issued since and tokens nearing expiry.
    this.timer = setInterval(() => this.replenishSoon(), this.options.replenishIntervalMs ?? 15 * 60_000);
    this.timer.unref();
  }

  /**
   * Tops up one card whose available tokens ran low after a payment: a single page for that card,
   * not a walk over every card central issued.
   */
  async replenishCard(cardIdHex: string): Promise<void> {
    if (this.stopped || !this.options.link.status().brokerReachable) return;
    await this.replenish([cardIdHex]).catch((error: unknown) => this.options.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'reserve top-up failed'));
  }

  /** Runs a replenishment now, or once more after the one in progress. */
  replenishSoon(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.replenish().catch((error: unknown) => this.options.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'reserve replenishment failed'));
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async replenish(onlyCardIds?: string[]): Promise<void> {
    const { link, terminalId, key, reserve, log } = this.options;
    if (!link.status().brokerReachable) return;
    let afterCardId: string | null = null;
    let inserted = 0;
    // Bounded: a page per few dozen cards; a fleet of 100,000 cards is 4,000 pages at most.
    for (let page = 0; page < 10_000 && !this.stopped; page += 1) {
      const body = { terminalId, afterCardId, ...(onlyCardIds ? { onlyCardIds } : {}) };
      const answer: ReserveResult = await link.request('reserve', body, reserveResultSchema, 10_000, (message) => signMessage(key, message));
      if (answer.terminalId !== terminalId || !verifyMessage(key, answer as unknown as Record<string, unknown>)) throw new Error('reserve answer failed authentication');
      this.options.onCentralContact?.();
      if (answer.batch) {
        const result = await reserve.ingest(answer.batch);
        if (!result.ok) {
          log.warn({ reason: result.reason, batchId: answer.batch.batchId }, 'reserve batch refused');
          return;
        }
        inserted += result.inserted;
      }
      for (const used of answer.usedThrough) if (used.atc > 0) await reserve.retireThrough(used.cardId, used.atc);
      if (answer.nextAfterCardId === null) break;
      afterCardId = answer.nextAfterCardId;
    }
    if (inserted > 0) log.info({ inserted, available: reserve.totalAvailable() }, 'reserve tokens replenished');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
