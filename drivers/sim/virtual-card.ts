// A contactless card in software: an ATR and an APDU handler. The same object is tapped on the
// simulated reader in-process and served to pcscd through vsmartcard-vpcd, so the two paths
// exercise one card. The DevPay application that runs on it arrives with the card protocol.
import { fromHex } from '../../core/clock.js';

export interface VirtualCard {
  readonly atr: Uint8Array;
  /** Answers one command APDU with a response APDU (data followed by SW1 SW2). */
  respond(commandApdu: Uint8Array): Uint8Array;
  /** Called on power-on and reset so the card can drop its selected application. */
  reset(): void;
}

/** ISO 14443-4 ATR of a contactless card as PC/SC readers report it (historical bytes "DEVPAY"). */
export const devpayAtr = fromHex('3b868001444556504159cc');

export const statusWords = {
  ok: fromHex('9000'),
  insNotSupported: fromHex('6d00'),
  claNotSupported: fromHex('6e00'),
  wrongLength: fromHex('6700'),
  fileNotFound: fromHex('6a82'),
} as const;

/** A card with no application: it answers every well-formed command "instruction not supported". */
export function blankCard(atr: Uint8Array = devpayAtr): VirtualCard {
  return {
    atr,
    respond(commandApdu) {
      if (commandApdu.length < 4) return statusWords.wrongLength;
      if (commandApdu[0] === 0xff) return statusWords.claNotSupported;
      return statusWords.insNotSupported;
    },
    reset() {},
  };
}
