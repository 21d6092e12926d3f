// `npm run bench -- operators`: the cost of proving who stands at the counter, one JSON object.
//   fingerprint_signin_p99_ms: a finger identified through the R30x driver over serialport on a
//     socat pty, the simulated module taking its datasheet time (bench/fingerprint-serial.ts);
//     fingerprint_signin_codec_p99_ms the same without the module's delay (codec, driver, pty)
//   pin_hash_ms: one scrypt PIN hash with the parameters in use (runtime/operators/pin-hash.ts)
//   cvm_tap_p99_ms: a tap with the card verifying the cardholder's PIN through pcscd + vpcd,
//     minus the same tap without it (bench/cvm.ts)
// Each part answers its own keys (percentiles, run counts, parameters); they are merged as they are.
import { benchFingerprintSignIn } from './fingerprint-serial.js';
import { benchCvmTap } from './cvm.js';
import { benchPinHash } from '../runtime/operators/pin-hash.js';

export async function runOperatorsBench(): Promise<Record<string, unknown>> {
  // One after another: each measures time, and two at once would measure each other.
  const fingerprint = await benchFingerprintSignIn();
  const pinHash = await benchPinHash();
  const cvm = await benchCvmTap();
  return { ...fingerprint, ...pinHash, ...cvm };
}
