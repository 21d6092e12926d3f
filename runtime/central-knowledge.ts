// What a terminal knows of central between contacts: the cards central has revoked (a pulled
// setting, announced as alerts when new), and when central last answered, saved now and then so
// the maximum time offline holds across restarts.
import type { Clock } from '../core/clock.js';
import { revocationListSchema } from '../core/wire/card-messages.js';
import type { Ledger } from '../ledger/ledger.js';
import { upsertDocuments } from '../ledger/storage-writes.js';
import { centralSettingPrefix } from '../sync/settings-replication.js';
import type { Logger } from './logger.js';

const lastContactSettingKey = 'local/last_central_contact_ms';
/** The last contact with central is saved at most this often. */
const lastContactSaveIntervalMs = 30_000;

export class CentralKnowledge {
  private revokedCards = new Set<string>();
  private revocationsLoaded = false;
  private lastContactMs: number | null = null;
  private lastContactSavedMs = 0;

  constructor(
    private readonly ledger: Ledger,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly onRevoked: (cardIdHex: string, reason: string) => void,
  ) {}

  async load(): Promise<void> {
    const saved = await this.ledger.database.collections.settings.findOne(lastContactSettingKey).exec();
    this.lastContactMs = saved ? Number(saved.value) : null;
  }

  isRevoked(cardIdHex: string): boolean {
    return this.revokedCards.has(cardIdHex);
  }

  lastCentralContactMs(): number | null {
    return this.lastContactMs;
  }

  /** Rereads central's revocation list; the list found at start is known already, later additions are news. */
  async refreshRevocations(): Promise<void> {
    const document = await this.ledger.database.collections.settings.findOne(`${centralSettingPrefix}revocations`).exec();
    const announce = this.revocationsLoaded;
    this.revocationsLoaded = true;
    if (!document) return;
    const parsed = revocationListSchema.safeParse(JSON.parse(document.value));
    if (!parsed.success) {
      this.logger.warn({ reason: 'invalid_schema' }, 'revocation list from central refused');
      return;
    }
    const previous = this.revokedCards;
    this.revokedCards = new Set(parsed.data.cards.map((card) => card.cardId));
    if (!announce) return;
    for (const card of parsed.data.cards) if (!previous.has(card.cardId)) this.onRevoked(card.cardId, card.reason);
  }

  /** Remembers that central answered. */
  noteContact(): void {
    const nowMs = this.clock.nowMs();
    this.lastContactMs = nowMs;
    if (nowMs - this.lastContactSavedMs < lastContactSaveIntervalMs) return;
    this.lastContactSavedMs = nowMs;
    const { settings } = this.ledger.database.collections;
    this.ledger.database.storage
      .runUnit(() => upsertDocuments(settings, [{ key: lastContactSettingKey, value: String(nowMs) }], 'key'))
      .catch((error: unknown) => this.logger.warn({ err: error }, 'last central contact not saved'));
  }
}
