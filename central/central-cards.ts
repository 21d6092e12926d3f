// Central as card issuer: the cards it has issued (currency, offline cap, active or blocked), the
// highest ATC it has seen used per card, and which payment used each ATC. Every ATC is claimed
// by exactly one payment id; a second payment of the same ATC is a double spend (a cloned card
// or a replayed tap), which blocks the card and goes to every terminal's revocation list. State
// lives durably in central's ledger settings and in memory for the hot path; a claim is on disk
// before any answer that relies on it is sent.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Clock } from '../core/clock.js';
import { fromHex } from '../core/clock.js';
import type { CurrencyCode } from '../core/currency.js';
import { computeCryptogram, cryptogramInput, deriveAtcSecret, deriveCardKey, equalBytes, oneTimeCvv, oneTimePan, terminalIdHash } from '../core/card/card-crypto.js';
import { maskPan } from '../core/card/offline-checks.js';
import { decodeTerminalData } from '../core/card/terminal-data.js';
import type { CardDetails } from '../core/ledger/transaction.js';
import type { RevocationList } from '../core/wire/card-messages.js';
import type { Ledger } from '../ledger/ledger.js';

export interface IssuedCard {
  cardId: string;
  currency: CurrencyCode;
  /** The most one offline payment of this card may be, minor units. */
  offlineCapMinor: string;
  state: 'active' | 'blocked';
  usedThroughAtc: number;
  blockedReason?: string;
  blockedAtMs?: number;
}

export type ClaimResult = { result: 'claimed' } | { result: 'same' } | { result: 'used_by'; paymentId: string };

const cardKeyPrefix = 'card/';
const claimKeyPrefix = 'atc/';

export function deriveCardMasterKey(syncMasterKey: Uint8Array): Uint8Array {
  return hmac(sha256, syncMasterKey, new TextEncoder().encode('devpay-card-master-v1'));
}

/** The id of the simulator's i-th card, the same at central and wherever the sim card is made. */
export function simCardId(cardMasterKey: Uint8Array, index: number): Uint8Array {
  return hmac(sha256, cardMasterKey, new TextEncoder().encode(`devpay-sim-card-${index}`)).slice(0, 8);
}

export class CentralCards {
  private readonly cards = new Map<string, IssuedCard>();
  private readonly claims = new Map<string, string>();
  private revocationListener: (list: RevocationList) => void = () => {};

  constructor(
    private readonly ledger: Ledger,
    readonly cardMasterKey: Uint8Array,
    private readonly clock: Clock,
  ) {}

  async load(): Promise<void> {
    const settings = await this.ledger.database.collections.settings.find({ selector: { key: { $regex: '^(card|atc)/' } } }).exec();
    for (const setting of settings) {
      if (setting.key.startsWith(cardKeyPrefix)) this.cards.set(setting.key.slice(cardKeyPrefix.length), JSON.parse(setting.value) as IssuedCard);
      else this.claims.set(setting.key.slice(claimKeyPrefix.length), setting.value);
    }
  }

  onRevocation(listener: (list: RevocationList) => void): void {
    this.revocationListener = listener;
  }

  card(cardIdHex: string): IssuedCard | undefined {
    return this.cards.get(cardIdHex);
  }

  /** Active cards in id order, for reserve issuance. */
  activeCards(): IssuedCard[] {
    return [...this.cards.values()].filter((card) => card.state === 'active').sort((left, right) => left.cardId.localeCompare(right.cardId));
  }

  revocations(): RevocationList {
    return {
      cards: [...this.cards.values()]
        .filter((card) => card.state === 'blocked')
        .map((card) => ({ cardId: card.cardId, reason: card.blockedReason ?? 'blocked', atMs: card.blockedAtMs ?? 0 })),
    };
  }

  cardKey(cardIdHex: string): Uint8Array {
    return deriveCardKey(this.cardMasterKey, fromHex(cardIdHex));
  }

  /** Issues a card, or answers the existing one. */
  async issue(cardIdHex: string, currency: CurrencyCode, offlineCapMinor: string): Promise<IssuedCard> {
    const existing = this.cards.get(cardIdHex);
    if (existing) return existing;
    const card: IssuedCard = { cardId: cardIdHex, currency, offlineCapMinor, state: 'active', usedThroughAtc: 0 };
    this.cards.set(cardIdHex, card);
    await this.save(`${cardKeyPrefix}${cardIdHex}`, JSON.stringify(card));
    return card;
  }

  /**
   * Checks a card payment's cryptogram and that the terminal data it covers is this payment's:
   * its amount, currency and terminal. Central derives the ATC's secret, PAN and CVV itself.
   */
  verifyCryptogram(card: CardDetails, payment: { terminalId: string; amountMinor: bigint; currency: string }): boolean {
    const terminalData = fromHex(card.terminalData);
    const decoded = decodeTerminalData(terminalData);
    if (!decoded || decoded.amountMinor !== payment.amountMinor || decoded.currency !== payment.currency) return false;
    if (!equalBytes(decoded.terminalIdHash, terminalIdHash(payment.terminalId))) return false;
    const cardId = fromHex(card.cardId);
    const key = this.cardKey(card.cardId);
    const secret = deriveAtcSecret(key, card.atc);
    const pan = oneTimePan(secret);
    if (maskPan(pan) !== card.panMasked) return false;
    const expected = computeCryptogram(key, cryptogramInput(cardId, card.atc, pan, oneTimeCvv(secret), terminalData));
    return equalBytes(expected, fromHex(card.cryptogram));
  }

  /** The payment that used (card, ATC), if any. */
  holderOf(cardIdHex: string, atc: number): string | undefined {
    return this.claims.get(`${cardIdHex}/${atc}`);
  }

  /** Claims (card, ATC) for a payment, durably; the same payment may claim again (a retry). */
  async claim(cardIdHex: string, atc: number, paymentId: string): Promise<ClaimResult> {
    const key = `${cardIdHex}/${atc}`;
    const holder = this.claims.get(key);
    if (holder !== undefined) return holder === paymentId ? { result: 'same' } : { result: 'used_by', paymentId: holder };
    // Set in memory before the write yields, so a concurrent claim of the same ATC sees it.
    this.claims.set(key, paymentId);
    const card = this.cards.get(cardIdHex);
    if (card && atc > card.usedThroughAtc) {
      card.usedThroughAtc = atc;
      await this.save(`${cardKeyPrefix}${cardIdHex}`, JSON.stringify(card), [`${claimKeyPrefix}${key}`, paymentId]);
    } else {
      await this.save(`${claimKeyPrefix}${key}`, paymentId);
    }
    return { result: 'claimed' };
  }

  /** Blocks a card and tells every terminal. Blocking twice keeps the first reason. */
  async block(cardIdHex: string, reason: string): Promise<void> {
    const card = this.cards.get(cardIdHex);
    if (!card || card.state === 'blocked') return;
    card.state = 'blocked';
    card.blockedReason = reason;
    card.blockedAtMs = this.clock.nowMs();
    await this.save(`${cardKeyPrefix}${cardIdHex}`, JSON.stringify(card));
    this.ledger.engine.guarded(async () => this.ledger.audit.append('card_blocked', { cardId: cardIdHex, reason })).catch(() => undefined);
    this.revocationListener(this.revocations());
  }

  private async save(key: string, value: string, extra?: [string, string]): Promise<void> {
    const settings = this.ledger.database.collections.settings;
    await this.ledger.database.storage.runUnit(async () => {
      await settings.upsert({ key, value });
      if (extra) await settings.upsert({ key: extra[0], value: extra[1] });
    });
  }
}
