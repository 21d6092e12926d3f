// The DevPay card application in software: SELECT by AID, then GENERATE, which advances the
// card's application transaction counter (ATC) and answers the card id, the ATC, a one-time PAN
// and CVV, a cryptogram over all of it and the terminal's data, and the ATC's one-time secret.
// Between the two, VERIFY checks the cardholder's PIN (devpay-card-pin.ts) under the challenge
// SELECT answered, or one from GET CHALLENGE for a retry; the CVM result goes into GENERATE's
// answer and under its cryptogram.
// The same object is tapped on the simulated reader and served to pcscd through vpcd. The card
// keeps its ATC for its lifetime; clone() makes a second card with the same key and counter, as
// a skimmer would, so tests can spend one ATC twice.
import { toHex } from '../../core/clock.js';
import {
  computeCryptogram,
  computeSessionToken,
  cryptogramInput,
  deriveAtcSecret,
  maxAtc,
  oneTimeCvv,
  oneTimePan,
  packDigits,
  atcBytes,
  cvmBytes,
} from '../../core/card/card-crypto.js';
import { cardProtocolVersion, cardStatusWords, devpayAid, tags } from '../../device/devpay-card-apdu.js';
import { pinEnvelopeBytes } from '../../core/card/pin-encipherment.js';
import { CardPin, type CardPinOptions } from './devpay-card-pin.js';
import { decodeTerminalData, terminalDataBytes } from '../../core/card/terminal-data.js';
import { devpayAtr, type VirtualCard } from './virtual-card.js';

function status(word: number): Uint8Array {
  return Uint8Array.from([word >> 8, word & 0xff]);
}

function withStatus(data: number[]): Uint8Array {
  return Uint8Array.from([...data, 0x90, 0x00]);
}

function field(tag: number, value: Uint8Array): number[] {
  return [tag, value.length, ...value];
}

export class DevpayCard implements VirtualCard {
  readonly atr = devpayAtr;
  private selected = false;
  /** Called as the counter moves, so a simulator can keep the card's ATC across restarts. */
  onAtcAdvanced: ((atc: number) => void) | null = null;
  readonly pin: CardPin;

  constructor(
    readonly cardId: Uint8Array,
    private readonly cardKey: Uint8Array,
    /** The ATC of the last GENERATE; the next one uses atc + 1. */
    public atc = 0,
    private readonly pinOptions: CardPinOptions = {},
  ) {
    this.pin = new CardPin(cardKey, pinOptions);
  }

  get cardIdHex(): string {
    return toHex(this.cardId);
  }

  clone(): DevpayCard {
    return new DevpayCard(this.cardId, this.cardKey, this.atc, { ...this.pinOptions, pinTriesLeft: this.pin.triesLeft });
  }

  reset(): void {
    this.selected = false;
    this.pin.newSelection();
  }

  respond(command: Uint8Array): Uint8Array {
    if (command.length < 4) return status(cardStatusWords.wrongLength);
    const [cla, ins] = [command[0]!, command[1]!];
    if (cla === 0x00 && ins === 0xa4) return this.select(command);
    if (cla === 0x80 && ins === 0xae) return this.generate(command);
    if (cla === 0x00 && ins === 0x84) return this.getChallenge(command);
    if (cla === 0x00 && ins === 0x20) return this.verify(command);
    if (cla !== 0x00 && cla !== 0x80) return status(cardStatusWords.claNotSupported);
    return status(cardStatusWords.insNotSupported);
  }

  private select(command: Uint8Array): Uint8Array {
    const length = command[4];
    if (command[2] !== 0x04 || command[3] !== 0x00) return status(cardStatusWords.incorrectData);
    if (length === undefined || command.length < 5 + length) return status(cardStatusWords.wrongLength);
    const aid = command.subarray(5, 5 + length);
    this.pin.newSelection();
    if (toHex(aid) !== toHex(devpayAid)) {
      this.selected = false;
      return status(cardStatusWords.applicationNotFound);
    }
    this.selected = true;
    // Every selection carries a fresh challenge, whether or not the terminal will ask for the PIN
    // (the card cannot know the amount yet): the PIN's first try then needs no GET CHALLENGE.
    return withStatus([
      ...field(tags.version, Uint8Array.of(cardProtocolVersion)),
      ...field(tags.cardId, this.cardId),
      ...field(tags.pinKey, this.pin.publicKey),
      ...field(tags.pinTriesLeft, Uint8Array.of(this.pin.triesLeft)),
      ...field(tags.pinChallenge, this.pin.issueChallenge()),
    ]);
  }

  private getChallenge(command: Uint8Array): Uint8Array {
    if (command[2] !== 0x00 || command[3] !== 0x00) return status(cardStatusWords.incorrectData);
    if (command.length !== 5 || command[4] !== 0x08) return status(cardStatusWords.wrongLength);
    if (!this.selected) return status(cardStatusWords.conditionsNotSatisfied);
    return withStatus([...this.pin.issueChallenge()]);
  }

  private verify(command: Uint8Array): Uint8Array {
    if (command[2] !== 0x00 || command[3] !== 0x88) return status(cardStatusWords.incorrectData);
    if (command[4] !== pinEnvelopeBytes || command.length !== 5 + pinEnvelopeBytes) return status(cardStatusWords.wrongLength);
    if (!this.selected) return status(cardStatusWords.conditionsNotSatisfied);
    switch (this.pin.verify(command.slice(5))) {
      case 'verified':
        return status(cardStatusWords.ok);
      case 'wrong':
        return status(cardStatusWords.pinWrong | this.pin.triesLeft);
      case 'blocked':
        return status(cardStatusWords.pinBlocked);
      case 'no_challenge':
        return status(cardStatusWords.conditionsNotSatisfied);
      case 'envelope_refused':
        return status(cardStatusWords.incorrectData);
    }
  }

  private generate(command: Uint8Array): Uint8Array {
    if (!this.selected) return status(cardStatusWords.conditionsNotSatisfied);
    if (command[4] !== terminalDataBytes || command.length < 5 + terminalDataBytes) return status(cardStatusWords.wrongLength);
    const terminalData = command.slice(5, 5 + terminalDataBytes);
    if (!decodeTerminalData(terminalData)) return status(cardStatusWords.incorrectData);
    if (this.atc >= maxAtc) return status(cardStatusWords.cardExhausted);
    // The counter moves before anything is revealed, so no answer is ever given twice for one ATC.
    this.atc += 1;
    const atc = this.atc;
    this.onAtcAdvanced?.(atc);
    const secret = deriveAtcSecret(this.cardKey, atc);
    const pan = oneTimePan(secret);
    const cvv = oneTimeCvv(secret);
    // The PIN verified in this selection counts for this GENERATE only.
    const cvm = this.pin.consumeVerification() ? 'card_pin' : 'none';
    const input = cryptogramInput(this.cardId, atc, pan, cvv, terminalData, cvm);
    const cryptogram = computeCryptogram(this.cardKey, input);
    return withStatus([
      ...field(tags.cardId, this.cardId),
      ...field(tags.atc, atcBytes(atc)),
      ...field(tags.pan, packDigits(pan, 8)),
      ...field(tags.cvv, packDigits(cvv, 2)),
      ...field(tags.cryptogram, cryptogram),
      ...field(tags.atcSecret, secret),
      // The session token stays the last field, as in version 1.
      ...field(tags.cvm, Uint8Array.of(cvmBytes[cvm])),
      ...field(tags.sessionToken, computeSessionToken(secret, input, cryptogram)),
    ]);
  }
}

/**
 * A card that answers every command with the next of a recorded list of responses, whatever was
 * asked: an attacker replaying a sniffed tap. The terminal must decline what it says.
 */
export function replayingCard(responses: Uint8Array[]): VirtualCard {
  let next = 0;
  return {
    atr: devpayAtr,
    respond() {
      const response = responses[Math.min(next, responses.length - 1)];
      next += 1;
      return response ?? status(cardStatusWords.insNotSupported);
    },
    reset() {
      next = 0;
    },
  };
}
