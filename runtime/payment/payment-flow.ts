// The payment at the counter: wait for a card on any reader, read it (SELECT; the cardholder's
// PIN, verified by the card, when the amount is above the CVM limit of the way it will be
// decided; GENERATE), then decide. Online, central authorizes; if central does not answer in
// time and policy allows, the same payment (same id) is decided offline against the reserve
// tokens, before anything is shown to the customer. Every attempt ends approved (with receipt
// data), declined with a named reason, or cancelled; nothing is posted unless approved, and every
// decline is audited. A charge reads only a card presented after it began: a card left on the
// reader after a sale, or tapped while no charge was open, never pays a later one.
import { isLedgerFailure } from '../../ledger/ledger-errors.js';
import type { Clock, Random } from '../../core/clock.js';
import { toHex } from '../../core/clock.js';
import type { CurrencyCode } from '../../core/currency.js';
import { terminalIdHash } from '../../core/card/card-crypto.js';
import { encodeTerminalData, transactionDate } from '../../core/card/terminal-data.js';
import { declineReasons, type DeclineReason } from '../../core/card/decline-reasons.js';
import { maskPan, sessionTokenValid } from '../../core/card/offline-checks.js';
import type { PaymentUpdate, PinRequest } from '../../core/api/payment.js';
import { cvmLimitMinor, maxPaymentMinor, type OfflineLimits } from '../../core/ledger/limits.js';
import type { CardReader } from '../../device/capabilities.js';
import type { DeviceManager } from '../../device/device-manager.js';
import { generateOnCard, selectDevpayCard, type CardReadOptions } from '../../device/devpay-card-reading.js';
import type { CardSelection, CardTapData } from '../../device/devpay-card-apdu.js';
import { PinEntryMailbox, verifyCardholder } from './cardholder-verification.js';
import { approveOffline, recordOnlineApproval, type CardPaymentOutcome, type CardPaymentRequest } from '../../ledger/card-payments.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { ReserveStore } from '../../ledger/reserve-store.js';
import type { CardSync } from '../../sync/card-sync.js';
import type { Logger } from '../logger.js';
import { declineReasonOf } from './card-read-errors.js';
import { waitForPresentedCard } from './wait-for-card.js';

export interface PaymentFlowOptions {
  terminalId: string;
  devices: DeviceManager;
  ledger: Ledger;
  reserve: ReserveStore;
  cardSync: CardSync | null;
  clock: Clock;
  random: Random;
  nextId: () => string;
  logger: Logger;
  limits: () => OfflineLimits | null;
  isRevoked: (cardIdHex: string) => boolean;
  lastCentralContactMs: () => number | null;
  centralReachable: () => boolean;
  publish: (update: PaymentUpdate) => void;
  /** The operator signed in now: recorded on the payment and its receipt. */
  currentOperatorId: () => string | null;
  /** Called after an approval with the card's id (the runtime tops up its reserve tokens). */
  onApproved?: (cardIdHex: string) => void;
  exchangeTimeoutMs?: number;
  onlineTimeoutMs?: number;
  cardWaitMs?: number;
  /** How long the PIN pad may stay silent before the charge is declined pin_required. */
  pinEntryTimeoutMs?: number;
}

interface Attempt {
  update: PaymentUpdate;
  amountMinor: bigint;
  currency: CurrencyCode;
  abort: AbortController;
  /** The PIN pad's answers while the attempt waits for the cardholder's PIN. */
  pinEntry: PinEntryMailbox;
}

export class PaymentInProgressError extends Error {
  constructor() {
    super('a payment is already in progress; finish or cancel it first');
    this.name = 'PaymentInProgressError';
  }
}

export class PaymentFlow {
  private currentAttempt: Attempt | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly options: PaymentFlowOptions) {}

  start(amountMinor: bigint, currency: CurrencyCode): PaymentUpdate {
    if (this.currentAttempt) throw new PaymentInProgressError();
    const attempt: Attempt = {
      amountMinor,
      currency,
      abort: new AbortController(),
      pinEntry: new PinEntryMailbox(),
      update: { attemptId: this.options.nextId(), state: 'waiting_for_card', amountMinor: amountMinor.toString(), currency, paymentId: null, mode: null, reason: null, message: null, receipt: null, pinRequest: null },
    };
    this.currentAttempt = attempt;
    this.running = this.run(attempt)
      .catch((error: unknown) => {
        // A commit that failed is the terminal's fault, not the card's: the merchant is told so.
        const reason = isLedgerFailure(error) ? 'terminal_storage_failed' : 'card_read_failed';
        this.options.logger.error({ err: error, reason }, 'payment attempt failed unexpectedly');
        this.finish(attempt, { state: 'declined', reason, message: declineReasons[reason] });
      })
      .finally(() => {
        if (this.currentAttempt === attempt) this.currentAttempt = null;
      });
    return attempt.update;
  }

  /** Ends the attempt waiting for a card (as a cancel) and waits for any attempt to finish. */
  async stop(): Promise<void> {
    this.currentAttempt?.abort.abort();
    await this.running;
  }

  cancel(attemptId: string): boolean {
    const attempt = this.currentAttempt;
    if (!attempt || attempt.update.attemptId !== attemptId || attempt.update.state !== 'waiting_for_card') return false;
    attempt.abort.abort();
    return true;
  }

  /** The PIN pad's sealed PIN for the attempt waiting for it; false if none waits. */
  submitPin(attemptId: string, envelope: Uint8Array): boolean {
    const attempt = this.currentAttempt;
    if (!attempt || attempt.update.attemptId !== attemptId || attempt.update.state !== 'waiting_for_pin') return false;
    return attempt.pinEntry.submit(envelope);
  }

  /** The cardholder declined to enter a PIN: the attempt waiting for it is declined. */
  cancelPin(attemptId: string): boolean {
    const attempt = this.currentAttempt;
    if (!attempt || attempt.update.attemptId !== attemptId || attempt.update.state !== 'waiting_for_pin') return false;
    return attempt.pinEntry.cancel();
  }

  /** The attempt in progress, so a reloaded UI can follow or cancel it. */
  current(): PaymentUpdate | null {
    return this.currentAttempt?.update ?? null;
  }

  /** Whether an attempt is in progress. */
  inProgress(): boolean {
    return this.currentAttempt !== null;
  }

  /** Whether an attempt waits for a card now: a card presented now is the one it reads. */
  waitingForCard(): boolean {
    return this.currentAttempt?.update.state === 'waiting_for_card';
  }

  private async run(attempt: Attempt): Promise<void> {
    // A ledger that can no longer commit declines before any card is read or token touched.
    if (this.options.ledger.failure()) return this.decline(attempt, 'terminal_storage_failed', null, null);
    // Central's maximum for the currency (its default until central sent limits), online or
    // offline: a larger charge is a typing slip or worse, refused before any card is read.
    if (attempt.amountMinor > maxPaymentMinor(this.options.limits(), attempt.currency)) return this.decline(attempt, 'amount_above_maximum', null, null);
    const reader = await waitForPresentedCard(this.options.devices, this.options.logger, this.options.cardWaitMs ?? 60_000, attempt.abort.signal);
    if (!reader) return this.finish(attempt, { state: 'cancelled' });
    this.progress(attempt, 'reading_card');
    const { clock, random, terminalId } = this.options;
    const terminalData = {
      amountMinor: attempt.amountMinor,
      currency: attempt.currency,
      terminalIdHash: terminalIdHash(terminalId),
      unpredictableNumber: random.bytes(4),
      date: transactionDate(clock.nowMs()),
    };
    const readOptions: CardReadOptions = { exchangeTimeoutMs: this.options.exchangeTimeoutMs ?? 1000 };
    let tap: CardTapData;
    let pinVerified = false;
    try {
      const selection = await selectDevpayCard(reader, readOptions);
      const cvm = await this.verifyCardholderIfNeeded(attempt, reader, selection, readOptions);
      if (cvm !== 'not_needed' && cvm !== 'verified') return this.decline(attempt, cvm, null, null);
      pinVerified = cvm === 'verified';
      tap = await generateOnCard(reader, selection, terminalData, readOptions);
    } catch (error) {
      return this.decline(attempt, declineReasonOf(error), null, null, error);
    }
    const terminalDataBytes = encodeTerminalData(terminalData);
    // Nothing from the card is trusted before its session token checks against the data sent.
    if (!sessionTokenValid(tap, terminalDataBytes)) return this.decline(attempt, 'session_token_invalid', null, tap);
    // The card said yes to the PIN but its cryptogram says no verification: nothing it signed shows the PIN.
    if (pinVerified && tap.cvm !== 'card_pin') return this.decline(attempt, 'cvm_failed', null, tap);
    const request: CardPaymentRequest = { paymentId: this.options.nextId(), tap, amountMinor: attempt.amountMinor, currency: attempt.currency, terminalData: terminalDataBytes, nowMs: clock.nowMs(), ...operatorOf(this.options.currentOperatorId()) };
    // The same ATC twice here is declined at once, online or not.
    if (await this.options.reserve.isSpent(toHex(tap.cardId), tap.atc)) return this.decline(attempt, 'token_already_used', request.paymentId, tap);
    this.progress(attempt, 'authorizing');
    const online = await this.tryOnline(attempt, request);
    if (online === 'fallback') return this.conclude(attempt, request, 'offline', await this.decideOffline(request));
    if (online.outcome === 'declined') return this.decline(attempt, online.reason, request.paymentId, tap);
    return this.conclude(attempt, request, 'online', online);
  }

  /**
   * The PIN, when the amount is above the CVM limit of the way the charge will be decided: online
   * if central is reachable now, offline otherwise. A charge predicted online that falls back
   * offline without a PIN above the offline limit is declined pin_required by the offline checks.
   */
  private async verifyCardholderIfNeeded(attempt: Attempt, reader: CardReader, selection: CardSelection, readOptions: CardReadOptions): Promise<'not_needed' | 'verified' | DeclineReason> {
    const online = this.options.cardSync !== null && this.options.centralReachable();
    if (attempt.amountMinor <= cvmLimitMinor(this.options.limits(), attempt.currency, online ? 'online' : 'offline')) return 'not_needed';
    const result = await verifyCardholder({
      reader,
      selection,
      readOptions,
      reason: online ? 'above_cvm_limit' : 'offline_above_cvm_limit',
      mailbox: attempt.pinEntry,
      pinEntryTimeoutMs: this.options.pinEntryTimeoutMs ?? 60_000,
      signal: attempt.abort.signal,
      askForPin: (pinRequest: PinRequest) => this.progress(attempt, 'waiting_for_pin', pinRequest),
    });
    if (!result.verified) return result.reason;
    this.progress(attempt, 'reading_card');
    return 'verified';
  }

  /** Online authorization, or 'fallback' when central is out of reach and offline is allowed. */
  private async tryOnline(attempt: Attempt, request: CardPaymentRequest): Promise<CardPaymentOutcome | 'fallback'> {
    const { cardSync, ledger, reserve } = this.options;
    if (cardSync && this.options.centralReachable()) {
      const card = { cardId: toHex(request.tap.cardId), atc: request.tap.atc, panMasked: maskPan(request.tap.pan), cryptogram: toHex(request.tap.cryptogram), terminalData: toHex(request.terminalData), mode: 'online' as const, cvm: request.tap.cvm ?? 'none' };
      try {
        const answer = await cardSync.authorize({ paymentId: request.paymentId, amountMinor: request.amountMinor, currency: request.currency, card }, this.options.onlineTimeoutMs ?? 2000);
        if (answer.outcome === 'declined') return { outcome: 'declined', reason: answer.reason ?? 'cryptogram_invalid' };
        try {
          return await recordOnlineApproval(ledger, reserve, { ...request, nowMs: this.options.clock.nowMs() });
        } catch (error) {
          // Central approved and claimed the ATC, but this terminal could not record it: never
          // fall back offline, and say so distinctly (central's claim lets support reconcile).
          if (!isLedgerFailure(error)) throw error;
          this.options.logger.error({ err: error, paymentId: request.paymentId, reason: 'storage_failed_after_approval' }, 'online approval not recorded');
          return { outcome: 'declined', reason: 'storage_failed_after_approval' };
        }
      } catch (error) {
        if (isLedgerFailure(error)) throw error;
        this.options.logger.warn({ err: error instanceof Error ? error.message : String(error), paymentId: request.paymentId }, 'online authorization failed; considering offline');
      }
    }
    const limits = this.options.limits()?.currencies[attempt.currency];
    if (!limits || limits.offlineCountLimit === 0) return { outcome: 'declined', reason: cardSync ? 'central_unavailable' : 'offline_not_allowed' };
    return 'fallback';
  }

  private decideOffline(request: CardPaymentRequest): Promise<CardPaymentOutcome> {
    return approveOffline(this.options.ledger, this.options.reserve, { ...request, nowMs: this.options.clock.nowMs() }, {
      limits: this.options.limits(),
      isRevoked: this.options.isRevoked,
      lastCentralContactMs: this.options.lastCentralContactMs(),
    });
  }

  private conclude(attempt: Attempt, request: CardPaymentRequest, mode: 'online' | 'offline', outcome: CardPaymentOutcome): void {
    if (outcome.outcome === 'declined') return this.decline(attempt, outcome.reason, request.paymentId, request.tap);
    const receipt = {
      paymentId: outcome.transaction.id,
      terminalId: this.options.terminalId,
      atMs: outcome.transaction.createdAtMs,
      amountMinor: attempt.amountMinor.toString(),
      currency: attempt.currency,
      panMasked: maskPan(request.tap.pan),
      atc: request.tap.atc,
      mode,
      operatorId: outcome.transaction.operatorId ?? null,
      cvm: outcome.transaction.card?.cvm ?? 'none',
    };
    this.options.logger.info({ paymentId: receipt.paymentId, mode, amountMinor: receipt.amountMinor, currency: receipt.currency }, 'card payment approved');
    this.finish(attempt, { state: 'approved', paymentId: receipt.paymentId, mode, receipt });
    this.options.onApproved?.(toHex(request.tap.cardId));
  }

  private decline(attempt: Attempt, reason: DeclineReason, paymentId: string | null, tap: Pick<CardTapData, 'cardId' | 'atc'> | null, error?: unknown): void {
    const details = { attemptId: attempt.update.attemptId, paymentId, reason, ...(tap ? { cardId: toHex(tap.cardId), atc: tap.atc } : {}) };
    this.options.logger.info({ ...details, ...(error instanceof Error ? { err: error.message } : {}) }, 'card payment declined');
    void this.options.ledger.engine
      .guarded(async () => this.options.ledger.audit.append('card_payment_declined', details))
      .catch((auditError: unknown) => this.options.logger.error({ err: auditError }, 'decline not audited'));
    this.finish(attempt, { state: 'declined', paymentId, reason, message: declineReasons[reason] });
  }

  private progress(attempt: Attempt, state: PaymentUpdate['state'], pinRequest: PinRequest | null = null): void {
    attempt.update = { ...attempt.update, state, pinRequest };
    this.options.publish(attempt.update);
  }

  private finish(attempt: Attempt, change: Partial<PaymentUpdate>): void {
    attempt.update = { ...attempt.update, pinRequest: null, ...change };
    if (this.currentAttempt === attempt) this.currentAttempt = null;
    this.options.publish(attempt.update);
  }
}

/** The operator as a request records it: absent when none is signed in (a test's own flow). */
function operatorOf(operatorId: string | null): { operatorId?: string } {
  return operatorId ? { operatorId } : {};
}
