// The cardholder's PIN on the DevPay card, as pure codecs: GET CHALLENGE (the card's fresh 8
// bytes, to which the PIN pad seals the PIN) and VERIFY (the sealed envelope; the card opens it
// and checks the PIN against its try counter). Answers are parsed strictly into named results:
// a VERIFY status word the protocol does not define, or data where none belongs, is a
// CardProtocolError like any other malformed answer. docs/card-protocol.md gives the bytes.
import { pinChallengeBytes, pinEnvelopeBytes } from '../core/card/pin-encipherment.js';
import { CardProtocolError, cardStatusWords, maxPinTries, splitStatus } from './devpay-card-apdu.js';

/** What a VERIFY answered, by name. */
export type VerifyResult =
  /** 9000: the PIN is right; the card reports card_pin in this selection's GENERATE. */
  | { result: 'verified' }
  /** 63Cx: the PIN is wrong; x tries are left before the card blocks it. */
  | { result: 'wrong'; triesLeft: number }
  /** 6983: the PIN is blocked (this was the last try, or it was blocked already). */
  | { result: 'blocked' }
  /** 6985: the card issued no challenge in this selection, or the challenge was used already. */
  | { result: 'no_challenge' }
  /** 6a80: the envelope does not open under the card's key and challenge (no try is counted). */
  | { result: 'envelope_refused' };

export function getChallengeCommand(): Uint8Array {
  return Uint8Array.of(0x00, 0x84, 0x00, 0x00, pinChallengeBytes);
}

/** VERIFY with P2 88 (enciphered PIN, as EMV names it) and the 80-byte envelope of sealPin. */
export function verifyCommand(envelope: Uint8Array): Uint8Array {
  if (envelope.length !== pinEnvelopeBytes) throw new RangeError(`a PIN envelope is ${pinEnvelopeBytes} bytes, not ${envelope.length}`);
  return Uint8Array.from([0x00, 0x20, 0x00, 0x88, pinEnvelopeBytes, ...envelope]);
}

export function parseChallengeResponse(response: Uint8Array): Uint8Array {
  const { data } = splitStatus(response);
  if (data.length !== pinChallengeBytes) throw new CardProtocolError('malformed_response', `a challenge is ${pinChallengeBytes} bytes, the card answered ${data.length}`);
  return data.slice();
}

function hexWord(word: number): string {
  return word.toString(16).padStart(4, '0').toUpperCase();
}

export function parseVerifyResponse(response: Uint8Array): VerifyResult {
  if (response.length !== 2) throw new CardProtocolError('malformed_response', `a VERIFY answer is a status word alone, the card answered ${response.length} bytes`);
  const word = (response[0]! << 8) | response[1]!;
  if (word === cardStatusWords.ok) return { result: 'verified' };
  if (word === cardStatusWords.pinBlocked) return { result: 'blocked' };
  if (word === cardStatusWords.conditionsNotSatisfied) return { result: 'no_challenge' };
  if (word === cardStatusWords.incorrectData) return { result: 'envelope_refused' };
  if ((word & 0xfff0) === cardStatusWords.pinWrong) {
    const triesLeft = word & 0x0f;
    // A wrong PIN that leaves no try is answered 6983, so 63C0 never comes from a DevPay card.
    if (triesLeft === 0 || triesLeft >= maxPinTries) throw new CardProtocolError('malformed_response', `VERIFY answered ${hexWord(word)}: tries left out of range`, word);
    return { result: 'wrong', triesLeft };
  }
  throw new CardProtocolError('card_status', `card answered status ${hexWord(word)}`, word);
}
