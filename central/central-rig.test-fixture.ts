// Test rig for central's unit tests, not used by central: a real central ledger (owner
// "central") in a temporary folder with a manual clock, its real card issuer with one card per
// currency, its real settlement and refund authorization, and genuine taps of those cards (the
// cryptogram computed with the card's key as the card does). Requests go through the real
// handlers with the terminal's genuine tag; only the broker is left out.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromHex, manualClock, seededRandom, toHex } from '../core/clock.js';
import type { CurrencyCode } from '../core/currency.js';
import { computeCryptogram, cryptogramInput, deriveAtcSecret, oneTimeCvv, oneTimePan, terminalIdHash } from '../core/card/card-crypto.js';
import { encodeTerminalData, transactionDate } from '../core/card/terminal-data.js';
import { createUlidFactory } from '../core/ids.js';
import { accountId } from '../core/ledger/accounts.js';
import type { CardDetails } from '../core/ledger/transaction.js';
import { silentLog } from '../core/log-sink.js';
import { deriveTerminalSyncKey, signMessage } from '../core/wire/auth-tag.js';
import { refundAuthorizeResultSchema, type RefundAuthorizeResult } from '../core/wire/correction-messages.js';
import { pushResultSchema, type PushResult } from '../core/wire/sync-messages.js';
import { openLedger, type Ledger } from '../ledger/ledger.js';
import { CentralCards, deriveCardMasterKey } from './central-cards.js';
import { CentralSettlement } from './central-settlement.js';
import { RefundAuthorization } from './refund-authorization.js';
import { TerminalSettingsSource } from './terminal-settings-source.js';

export const rigTerminal = 't-rig00001';
const masterKey = new Uint8Array(32).fill(0x6d);

/** The card of each currency: ids fixed so a test can name them. */
export const rigCardIds: Record<'USD' | 'EUR', string> = { USD: '0102030405060708', EUR: '1112131415161718' };

export type WireDraft = Record<string, unknown> & { id: string };

export interface CentralRig {
  ledger: Ledger;
  clock: ReturnType<typeof manualClock>;
  nextId: () => string;
  /** A genuine offline (or online) card payment of this terminal, in wire form. */
  cardPayment(currency: 'USD' | 'EUR', amountMinor: bigint, mode?: CardDetails['mode'], terminalId?: string): Promise<WireDraft>;
  refund(originalId: string, currency: CurrencyCode, amountMinor: bigint, state?: 'approved_offline' | 'approved_online', id?: string): WireDraft;
  voidOf(originalId: string, currency: CurrencyCode, amountMinor: bigint, credit?: 'offline_clearing' | 'central'): WireDraft;
  push(transactions: WireDraft[], terminalId?: string): Promise<PushResult['results']>;
  authorizeRefund(request: { refundId: string; originalId: string; amountMinor: string; currency: CurrencyCode }, terminalId?: string): Promise<RefundAuthorizeResult>;
  /** Closes the ledger and opens it again from disk, with central's parts built anew. */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

interface CentralParts {
  ledger: Ledger;
  cards: CentralCards;
  settlement: CentralSettlement;
  refunds: RefundAuthorization;
}

/** One amount from `debit` to `credit`, as postings. */
function moves(debit: string, credit: string, amountMinor: bigint): Array<{ accountId: string; amountMinor: string }> {
  return [
    { accountId: debit, amountMinor: (-amountMinor).toString() },
    { accountId: credit, amountMinor: amountMinor.toString() },
  ];
}

export async function openCentralRig(seed: number): Promise<CentralRig> {
  const clock = manualClock(1_795_000_000_000);
  const random = seededRandom(seed);
  const ids = createUlidFactory(clock, random);
  const nextId = () => {
    clock.advance(1);
    return ids();
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'devpay-central-rig-'));
  const open = async (): Promise<CentralParts> => {
    const ledger = await openLedger({ dataDir, owner: 'central', clock, random, dataKey: new Uint8Array(32).fill(0x24) });
    const cards = new CentralCards(ledger, deriveCardMasterKey(masterKey), clock);
    await cards.load();
    for (const [currency, cardId] of Object.entries(rigCardIds)) await cards.issue(cardId, currency as CurrencyCode, '100000');
    const settings = new TerminalSettingsSource(ledger, masterKey, clock, silentLog);
    return { ledger, cards, settlement: new CentralSettlement(ledger, masterKey, clock, nextId, silentLog, cards, settings), refunds: new RefundAuthorization(ledger, masterKey, silentLog) };
  };
  let parts = await open();
  const atcs = new Map<string, number>();
  const correlationId = () => toHex(random.bytes(16));

  const tap = (terminalId: string, currency: 'USD' | 'EUR', amountMinor: bigint, mode: CardDetails['mode']): CardDetails => {
    const cardIdHex = rigCardIds[currency];
    const atc = (atcs.get(cardIdHex) ?? 0) + 1;
    atcs.set(cardIdHex, atc);
    const cardKey = parts.cards.cardKey(cardIdHex);
    const secret = deriveAtcSecret(cardKey, atc);
    const [pan, cvv] = [oneTimePan(secret), oneTimeCvv(secret)];
    const terminalData = encodeTerminalData({ amountMinor, currency, terminalIdHash: terminalIdHash(terminalId), unpredictableNumber: random.bytes(4), date: transactionDate(clock.nowMs()) });
    const cryptogram = computeCryptogram(cardKey, cryptogramInput(fromHex(cardIdHex), atc, pan, cvv, terminalData));
    return { cardId: cardIdHex, atc, panMasked: `${pan.slice(0, 6)}******${pan.slice(-4)}`, cryptogram: toHex(cryptogram), terminalData: toHex(terminalData), mode };
  };

  const rig: CentralRig = {
    get ledger() {
      return parts.ledger;
    },
    clock,
    nextId,
    async cardPayment(currency, amountMinor, mode = 'offline', terminalId = rigTerminal) {
      const card = tap(terminalId, currency, amountMinor, mode);
      const id = nextId();
      // An online approval is one central gave: its ATC claimed for the payment, as authorize does.
      if (mode === 'online') await parts.cards.claim(card.cardId, card.atc, id);
      const source = mode === 'offline' ? 'offline_clearing' : 'central';
      const state = mode === 'offline' ? 'approved_offline' : 'approved_online';
      return { id, kind: 'payment', state, card, createdAtMs: clock.nowMs(), postings: moves(accountId(source, terminalId, currency), accountId('merchant', terminalId, currency), amountMinor) };
    },
    refund(originalId, currency, amountMinor, state = 'approved_offline', id = nextId()) {
      const memo = state === 'approved_online' ? 'online' : 'offline';
      return { id, kind: 'refund', state, referencesId: originalId, memo, createdAtMs: clock.nowMs(), postings: moves(accountId('merchant', rigTerminal, currency), accountId('central', rigTerminal, currency), amountMinor) };
    },
    voidOf(originalId, currency, amountMinor, credit = 'offline_clearing') {
      const memo = credit === 'offline_clearing' ? 'offline' : 'online';
      return { id: nextId(), kind: 'void', state: 'approved_offline', referencesId: originalId, memo, createdAtMs: clock.nowMs(), postings: moves(accountId('merchant', rigTerminal, currency), accountId(credit, rigTerminal, currency), amountMinor) };
    },
    async push(transactions, terminalId = rigTerminal) {
      const key = deriveTerminalSyncKey(masterKey, terminalId);
      const message = signMessage(key, { v: 1, kind: 'push', correlationId: correlationId(), terminalId, sentAtMs: clock.nowMs(), transactions });
      const answer = await parts.settlement.handlePush(terminalId, Buffer.from(JSON.stringify(message)));
      if (!answer) throw new Error('central refused the push');
      return pushResultSchema.parse(answer).results;
    },
    async authorizeRefund(request, terminalId = rigTerminal) {
      const key = deriveTerminalSyncKey(masterKey, terminalId);
      const message = signMessage(key, { v: 1, kind: 'refund', correlationId: correlationId(), terminalId, ...request });
      const answer = await parts.refunds.handleRefundAuthorize(terminalId, Buffer.from(JSON.stringify(message)));
      if (!answer) throw new Error('central refused the refund authorization');
      return refundAuthorizeResultSchema.parse(answer);
    },
    async reopen() {
      await parts.ledger.close();
      parts = await open();
    },
    close: () => parts.ledger.close(),
  };
  return rig;
}
