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
import { CardRegistryStore, type IssuedCard } from '../ledger/stores/card-registry-store.js';

export type { IssuedCard };

/** Writes the fleet's revocation list inside the engine unit that blocks a card. */
export type RevocationListWriter = (list: RevocationList) => Promise<void>;

export type ClaimResult = { result: 'claimed' } | { result: 'same' } | { result: 'used_by'; paymentId: string };

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
  private writeRevocationList: RevocationListWriter | null = null;
  private readonly pendingClaims = new Map<string, Promise<void>>();
  private readonly store: CardRegistryStore;

  constructor(
    private readonly ledger: Ledger,
    readonly cardMasterKey: Uint8Array,
    private readonly clock: Clock,
  ) {
    this.store = new CardRegistryStore(ledger);
  }

  async load(): Promise<void> {
    const { cards, claims } = await this.store.loadAll();
    for (const card of cards) this.cards.set(card.cardId, card);
    for (const claim of claims) this.claims.set(`${claim.cardIdHex}/${claim.atc}`, claim.paymentId);
  }

  /**
   * How the revocation list is stored (as the setting terminals pull) and who is told after a
   * block has committed.
   */
  onRevocation(write: RevocationListWriter, listener: (list: RevocationList) => void): void {
    this.writeRevocationList = write;
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
    await this.store.saveCard(card);
    return card;
  }

  /**
   * Checks a card payment's cryptogram and that the terminal data it covers is this payment's:
   * its amount, currency and terminal, and the CVM result it claims. Central derives the ATC's
   * secret, PAN and CVV itself.
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
    // The CVM the terminal reports is under the cryptogram: a PIN the card did not verify fails here.
    const expected = computeCryptogram(key, cryptogramInput(cardId, card.atc, pan, oneTimeCvv(secret), terminalData, card.cvm ?? 'none'));
    return equalBytes(expected, fromHex(card.cryptogram));
  }

  /**
   * The payment that used (card, ATC), once its claim is on disk: a claim still being written is
   * waited for, since it may fail and vanish.
   */
  async durableHolderOf(cardIdHex: string, atc: number): Promise<string | undefined> {
    const key = `${cardIdHex}/${atc}`;
    await this.pendingClaims.get(key)?.catch(() => undefined);
    return this.claims.get(key);
  }

  /**
   * Claims (card, ATC) for a payment, durably; the same payment may claim again (a retry). The
   * claim is set in memory before the write yields, so a concurrent claim of the ATC sees it, and
   * anyone relying on it waits for the write; a failed write takes the claim back.
   */
  async claim(cardIdHex: string, atc: number, paymentId: string): Promise<ClaimResult> {
    const queued = await this.queueClaim(cardIdHex, atc, paymentId);
    await queued.written;
    return queued.result;
  }

  /**
   * Like claim, but resolves once the claim is in memory and its write is queued on the posting
   * engine, with `written` settling at its commit. Settlement uses it: the payment it then posts
   * is queued after the claim and commits with or after it (a failed claim write stops the
   * engine, so that post fails too), and a batch's claims share group commits instead of
   * waiting for one fsync each.
   */
  async queueClaim(cardIdHex: string, atc: number, paymentId: string): Promise<{ result: ClaimResult; written: Promise<void> }> {
    const key = `${cardIdHex}/${atc}`;
    const holder = this.claims.get(key);
    if (holder !== undefined) {
      const pending = this.pendingClaims.get(key);
      if (pending) {
        await pending.catch(() => undefined);
        return this.queueClaim(cardIdHex, atc, paymentId);
      }
      return { result: holder === paymentId ? { result: 'same' } : { result: 'used_by', paymentId: holder }, written: Promise.resolve() };
    }
    this.claims.set(key, paymentId);
    const card = this.cards.get(cardIdHex);
    const previousUsedThrough = card?.usedThroughAtc ?? 0;
    const moved = card !== undefined && atc > card.usedThroughAtc;
    if (moved) card.usedThroughAtc = atc;
    // Through the engine's serialised unit: two pushes in flight claim ATCs of one card at once,
    // and two writers of the card's document outside that queue would conflict on its revision
    // (a 409 that fails the commit and stops the ledger).
    const write = this.store
      .saveClaim(cardIdHex, atc, paymentId, moved ? { ...card } : null)
      .catch((error: unknown) => {
        this.claims.delete(key);
        if (card && card.usedThroughAtc === atc) card.usedThroughAtc = previousUsedThrough;
        throw error;
      })
      .finally(() => this.pendingClaims.delete(key));
    this.pendingClaims.set(key, write);
    return { result: { result: 'claimed' }, written: write };
  }

  /**
   * Blocks a card: the card, the fleet's revocation list and the audit entry commit in one unit,
   * then every terminal is told. Blocking twice keeps the first reason.
   */
  async block(cardIdHex: string, reason: string): Promise<void> {
    const card = this.cards.get(cardIdHex);
    if (!card || card.state === 'blocked') return;
    const blocked: IssuedCard = { ...card, state: 'blocked', blockedReason: reason, blockedAtMs: this.clock.nowMs() };
    this.cards.set(cardIdHex, blocked);
    const list = this.revocations();
    try {
      await this.ledger.engine.guarded(async () => {
        await this.store.writeCard(blocked);
        await this.writeRevocationList?.(list);
        this.ledger.audit.append('card_blocked', { cardId: cardIdHex, reason });
      });
    } catch (error) {
      this.cards.set(cardIdHex, card);
      throw error;
    }
    this.revocationListener(list);
  }

  /**
   * Makes the stored revocation list agree with the blocked cards (after a crash between a block
   * and its list, say). Returns whether it had to write.
   */
  async reconcileRevocations(storedList: RevocationList | null): Promise<boolean> {
    const list = this.revocations();
    const same = storedList !== null && JSON.stringify(storedList.cards.map((card) => card.cardId).sort()) === JSON.stringify(list.cards.map((card) => card.cardId).sort());
    if (same || (storedList === null && list.cards.length === 0)) return false;
    const write = this.writeRevocationList;
    if (!write) return false;
    await this.ledger.engine.guarded(() => write(list));
    return true;
  }
}
