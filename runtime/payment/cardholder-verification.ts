// Cardholder verification at the counter: the card stays in the field while the cardholder
// enters the PIN on the PIN pad, which seals it to the card's PIN key under a fresh challenge from
// the card (core/card/pin-encipherment.ts): the one SELECT answered for the first try, so a right
// first PIN costs a single exchange (VERIFY), and one from GET CHALLENGE for each retry. The runtime only carries the sealed envelope from
// the PIN pad to the card's VERIFY and reads the card's answer: it never sees, keeps or logs the
// PIN. A wrong PIN is asked again with a fresh challenge until the card blocks it; the cardholder
// declining, or the PIN pad staying silent, declines the charge by name.
import { toHex } from '../../core/clock.js';
import type { DeclineReason } from '../../core/card/decline-reasons.js';
import type { PinRequest } from '../../core/api/payment.js';
import type { CardReader } from '../../device/capabilities.js';
import type { CardSelection } from '../../device/devpay-card-apdu.js';
import { requestPinChallenge, verifyPin, type CardReadOptions } from '../../device/devpay-card-reading.js';

export type PinEntry = { type: 'envelope'; envelope: Uint8Array } | { type: 'cancelled' } | { type: 'timeout' };

/** Where the PIN pad's answer for one charge arrives (cvm.submitPin, cvm.cancelPin). */
export class PinEntryMailbox {
  private waiting: ((entry: PinEntry) => void) | null = null;

  /** Waits for the PIN pad's next answer; a timeout or an abort ends the wait by name. */
  next(timeoutMs: number, signal: AbortSignal): Promise<PinEntry> {
    return new Promise((resolve) => {
      const done = (entry: PinEntry): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.waiting = null;
        resolve(entry);
      };
      const onAbort = (): void => done({ type: 'cancelled' });
      const timer = setTimeout(() => done({ type: 'timeout' }), timeoutMs);
      timer.unref?.();
      if (signal.aborted) return done({ type: 'cancelled' });
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting = done;
    });
  }

  /** Hands the sealed PIN to the waiting charge; false when none waits for one. */
  submit(envelope: Uint8Array): boolean {
    if (!this.waiting) return false;
    this.waiting({ type: 'envelope', envelope });
    return true;
  }

  cancel(): boolean {
    if (!this.waiting) return false;
    this.waiting({ type: 'cancelled' });
    return true;
  }
}

export interface CardholderVerificationContext {
  reader: CardReader;
  selection: CardSelection;
  readOptions: CardReadOptions;
  reason: PinRequest['reason'];
  mailbox: PinEntryMailbox;
  pinEntryTimeoutMs: number;
  signal: AbortSignal;
  /** Shows the PIN pad (state waiting_for_pin with this request). */
  askForPin: (request: PinRequest) => void;
}

/**
 * Runs VERIFY (under SELECT's challenge first, then GET CHALLENGE's) until the card verifies the
 * PIN or the charge must be declined.
 * Card exchange failures (the card removed, a malformed answer) are thrown for the caller to
 * decline as it declines any failed read.
 */
export async function verifyCardholder(context: CardholderVerificationContext): Promise<{ verified: true } | { verified: false; reason: DeclineReason }> {
  const { reader, selection, readOptions } = context;
  if (selection.pinTriesLeft === 0) return { verified: false, reason: 'pin_blocked' };
  let triesLeft = selection.pinTriesLeft;
  let previousWrong = false;
  for (;;) {
    // SELECT's challenge is unspent until the first VERIFY; a retry needs a new one, and asking for
    // it only then keeps the extra exchange out of the common case (a right first PIN).
    const challenge = previousWrong ? await requestPinChallenge(reader, readOptions) : selection.pinChallenge;
    context.askForPin({ cardPinKey: toHex(selection.pinKey), challenge: toHex(challenge), triesLeft, previousWrong, reason: context.reason });
    const entry = await context.mailbox.next(context.pinEntryTimeoutMs, context.signal);
    // Giving up after a wrong PIN is told apart from never entering one.
    if (entry.type === 'cancelled') return { verified: false, reason: previousWrong ? 'pin_invalid' : 'pin_required' };
    if (entry.type === 'timeout') return { verified: false, reason: 'pin_required' };
    const result = await verifyPin(reader, entry.envelope, readOptions);
    switch (result.result) {
      case 'verified':
        return { verified: true };
      case 'wrong':
        triesLeft = result.triesLeft;
        previousWrong = true;
        continue;
      case 'blocked':
        return { verified: false, reason: 'pin_blocked' };
      // The card could not open what the PIN pad sealed, or had no challenge for it: it did not
      // confirm the PIN, and asking again would only repeat the fault.
      case 'no_challenge':
      case 'envelope_refused':
        return { verified: false, reason: 'cvm_failed' };
    }
  }
}
