// What a terminal knows of central between contacts: the cards central has revoked (a pulled
// setting, announced as alerts when new), and when central last answered, saved now and then so
// the maximum time offline holds across restarts.
import type { Clock } from '../core/clock.js';
import type { OfflineLimits } from '../core/ledger/limits.js';
import type { RevocationList } from '../core/wire/card-messages.js';
import type { Ledger } from '../ledger/ledger.js';
import { CentralKnowledgeStore } from '../ledger/stores/central-knowledge-store.js';
import { StoredValueInvalidError } from '../ledger/stores/stored-value.js';
import type { Logger } from './logger.js';
/** The last contact with central is saved at most this often. */
const lastContactSaveIntervalMs = 30_000;

export class CentralKnowledge {
  private revokedCards = new Set<string>();
  private revocationsLoaded = false;
  private lastContactMs: number | null = null;
  private lastContactSavedMs = 0;
  private readonly store: CentralKnowledgeStore;

  constructor(
    ledger: Ledger,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** Hears of the cards revoked since the list was last read, all at once. */
    private readonly onRevoked: (cards: RevocationList['cards']) => void,
  ) {
    this.store = new CentralKnowledgeStore(ledger);
  }

  async load(): Promise<void> {
    // An unreadable saved time counts as no contact: the maximum time offline then declines
    // offline payments until central answers, the safe side.
    this.lastContactMs = await this.store.lastContactMs().catch((error: unknown) => this.refused(error, null));
  }

  isRevoked(cardIdHex: string): boolean {
    return this.revokedCards.has(cardIdHex);
  }

  lastCentralContactMs(): number | null {
    return this.lastContactMs;
  }

  /** Rereads central's revocation list; the list found at start is known already, later additions are news. */
  async refreshRevocations(): Promise<void> {
    const list = await this.store.revocations().catch((error: unknown) => this.refused<RevocationList | null>(error, null));
    const announce = this.revocationsLoaded;
    this.revocationsLoaded = true;
    // An unreadable list keeps the cards already known revoked.
    if (!list) return;
    const previous = this.revokedCards;
    this.revokedCards = new Set(list.cards.map((card) => card.cardId));
    if (!announce) return;
    const revoked = list.cards.filter((card) => !previous.has(card.cardId));
    if (revoked.length > 0) this.onRevoked(revoked);
  }

  /** A stored value that fails its schema is logged by name and read as `fallback`; anything else is thrown. */
  private refused<T>(error: unknown, fallback: T): T {
    if (!(error instanceof StoredValueInvalidError)) throw error;
    this.logger.warn({ reason: 'stored_value_invalid', key: error.key }, 'stored value from central refused');
    return fallback;
  }

  /** Central's offline limits as stored; null until central sent valid ones. */
  readLimits(): Promise<OfflineLimits | null> {
    return this.store.limits().catch((error: unknown) => this.refused<OfflineLimits | null>(error, null));
  }

  /** Calls `listener` after every committed change to what central sent; returns the unsubscribe. */
  watch(listener: () => void): () => void {
    return this.store.onChange(listener);
  }

  /** Remembers that central answered. */
  noteContact(): void {
    const nowMs = this.clock.nowMs();
    this.lastContactMs = nowMs;
    if (nowMs - this.lastContactSavedMs < lastContactSaveIntervalMs) return;
    this.lastContactSavedMs = nowMs;
    this.store.saveLastContact(nowMs).catch((error: unknown) => this.logger.warn({ err: error }, 'last central contact not saved'));
  }
}
