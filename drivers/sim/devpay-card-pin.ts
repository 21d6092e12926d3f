// The virtual DevPay card's PIN: its try counter, its single-use challenge (issued with each
// SELECT's answer and again by GET CHALLENGE) and the CVM result of the current selection. The card keeps a check value of its PIN (an HMAC under its own key),
// never the PIN; a sealed PIN is opened with the card's PIN key (core/card/pin-encipherment.ts)
// and compared in constant time. Three wrong PINs in a row block it for good: the counter is
// the card's state, kept across restarts by whoever keeps the card's ATC.
import { randomBytes } from 'node:crypto';
import { equalBytes } from '../../core/card/card-crypto.js';
import { pinCheckValue, simCardPin } from '../../core/card/card-pin-check.js';
import { cardPinKeyPair, openPin, pinChallengeBytes } from '../../core/card/pin-encipherment.js';
import { maxPinTries } from '../../device/devpay-card-apdu.js';

export { simCardPin };

export type PinVerifyOutcome = 'verified' | 'wrong' | 'blocked' | 'no_challenge' | 'envelope_refused';

export interface CardPinOptions {
  /** The card's PIN; the simulator's derived one when absent. Only its check value is kept. */
  pin?: string;
  /** Wrong PINs still accepted before blocking (a card from a saved state); 3 when absent. */
  pinTriesLeft?: number;
  /** The card's random source for challenges. */
  randomBytes?: (length: number) => Uint8Array;
}

export class CardPin {
  readonly publicKey: Uint8Array;
  private readonly secretKey: Uint8Array;
  private readonly checkValue: Uint8Array;
  private readonly random: (length: number) => Uint8Array;
  private challenge: Uint8Array | null = null;
  private verified = false;
  triesLeft: number;
  /** Called as the try counter moves, so a simulator can keep it across restarts. */
  onTriesChanged: ((triesLeft: number) => void) | null = null;

  constructor(
    private readonly cardKey: Uint8Array,
    options: CardPinOptions = {},
  ) {
    const pair = cardPinKeyPair(cardKey);
    this.publicKey = pair.publicKey;
    this.secretKey = pair.secretKey;
    this.checkValue = pinCheckValue(cardKey, options.pin ?? simCardPin(cardKey));
    this.triesLeft = Math.max(0, Math.min(maxPinTries, options.pinTriesLeft ?? maxPinTries));
    this.random = options.randomBytes ?? ((length) => new Uint8Array(randomBytes(length)));
  }

  /**
   * A new selection (SELECT, reset, power-on): no challenge, no PIN verified. A SELECT of the
   * DevPay application then issues a fresh challenge with its answer.
   */
  newSelection(): void {
    this.challenge = null;
    this.verified = false;
  }

  /** Whether a PIN was verified in this selection and not yet used by a GENERATE. */
  verifiedInSelection(): boolean {
    return this.verified;
  }

  /** GENERATE reports the result once: the next GENERATE needs a new VERIFY. */
  consumeVerification(): boolean {
    const verified = this.verified;
    this.verified = false;
    return verified;
  }

  /** A fresh challenge for the next VERIFY (SELECT's or GET CHALLENGE's); it replaces any unused one. */
  issueChallenge(): Uint8Array {
    this.challenge = this.random(pinChallengeBytes);
    return this.challenge.slice();
  }

  /** Checks a sealed PIN against the challenge issued; the challenge is spent whatever the outcome. */
  verify(envelope: Uint8Array): PinVerifyOutcome {
    const challenge = this.challenge;
    this.challenge = null;
    if (this.triesLeft === 0) return 'blocked';
    if (!challenge) return 'no_challenge';
    const pin = openPin(envelope, this.secretKey, challenge);
    if (pin === null) return 'envelope_refused';
    if (equalBytes(pinCheckValue(this.cardKey, pin), this.checkValue)) {
      if (this.triesLeft !== maxPinTries) this.setTries(maxPinTries);
      this.verified = true;
      return 'verified';
    }
    this.verified = false;
    this.setTries(this.triesLeft - 1);
    return this.triesLeft === 0 ? 'blocked' : 'wrong';
  }

  private setTries(triesLeft: number): void {
    this.triesLeft = triesLeft;
    this.onTriesChanged?.(triesLeft);
  }
}
