// One R30x/ZFM instruction at a time over a FingerprintLink: encode the command, exchange it,
// decode the ack strictly and turn what went wrong into a named DeviceError (a garbled ack is
// malformed_response, a confirmation code the step cannot handle is device_fault naming it).
// The steps an enrolment and an identification are made of (wait for a finger, extract features)
// live here too, so the reader (r30x-fingerprint-reader.ts) reads as the flows themselves.
import { DeviceError } from '../../device/capabilities.js';
import { R30xCodecError } from '../../device/fingerprint/r30x-codec.js';
import { decodeAck, encodeCommand, type R30xAck, type R30xCharBuffer, type R30xCommand } from '../../device/fingerprint/r30x-commands.js';
import { confirmationName, R30xConfirmation } from '../../device/fingerprint/r30x-confirmation-codes.js';
import { firstFrameBytes, r30xReplyLength } from '../../device/fingerprint/r30x-packet-stream.js';
import type { FingerprintLink } from './fingerprint-link.js';

export interface ConversationTiming {
  /** Longest wait for one ack: the slowest instruction (GenImg, Search, about 0.5 s) plus the bytes' travel. */
  replyTimeoutMs: number;
  /** Pause between GenImg polls while no finger is there, so a polling loop never spins. */
  pollIntervalMs: number;
}

/** What waiting for a finger came to: it was captured, the deadline passed, or the image was unusable. */
export type Capture = 'captured' | 'no_finger' | 'poor_image';

const poorImageCodes: ReadonlySet<number> = new Set([
  R30xConfirmation.enroll_image_failed,
  R30xConfirmation.image_too_disordered,
  R30xConfirmation.too_few_feature_points,
  R30xConfirmation.no_valid_image,
]);

function sleep(durationMs: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, durationMs));
}

export class R30xConversation {
  constructor(
    private readonly link: FingerprintLink,
    private readonly address: number,
    private readonly timing: ConversationTiming,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Sends one command and returns its ack, whatever its confirmation code. */
  async send(command: R30xCommand): Promise<R30xAck> {
    if (this.signal?.aborted) throw new DeviceError('aborted', `${command.type} was aborted`);
    const reply = await this.link.exchange(encodeCommand(command, this.address), r30xReplyLength, {
      timeoutMs: this.timing.replyTimeoutMs,
      signal: this.signal,
    });
    try {
      return decodeAck(firstFrameBytes(reply), command.type, this.address);
    } catch (error) {
      if (!(error instanceof R30xCodecError)) throw error;
      throw new DeviceError('malformed_response', `fingerprint module's ${command.type} reply: ${error.code}: ${error.message}`, { cause: error });
    }
  }

  /** Sends a command that must succeed; any other code is a named device_fault (storage_full for a full library). */
  async expectOk(command: R30xCommand): Promise<Uint8Array> {
    const ack = await this.send(command);
    if (ack.code !== R30xConfirmation.ok) throw faultFor(command.type, ack.code);
    return ack.data;
  }

  /** Polls GenImg until a finger is imaged or the deadline (a performance.now() reading) passes. */
  async waitForFinger(deadlineMs: number): Promise<Capture> {
    for (;;) {
      const ack = await this.send({ type: 'gen_img' });
      if (ack.code === R30xConfirmation.ok) return 'captured';
      if (poorImageCodes.has(ack.code)) return 'poor_image';
      if (ack.code !== R30xConfirmation.no_finger) throw faultFor('gen_img', ack.code);
      if (performance.now() + this.timing.pollIntervalMs >= deadlineMs) return 'no_finger';
      await sleep(this.timing.pollIntervalMs);
    }
  }

  /** Polls GenImg until the module sees no finger; false if the finger is still there at the deadline. */
  async waitForLift(deadlineMs: number): Promise<boolean> {
    for (;;) {
      const ack = await this.send({ type: 'gen_img' });
      if (ack.code === R30xConfirmation.no_finger) return true;
      if (ack.code !== R30xConfirmation.ok && !poorImageCodes.has(ack.code)) throw faultFor('gen_img', ack.code);
      if (performance.now() + this.timing.pollIntervalMs >= deadlineMs) return false;
      await sleep(this.timing.pollIntervalMs);
    }
  }

  /** Img2Tz: the image's features into a character buffer; false for an image too poor to use. */
  async extractFeatures(bufferId: R30xCharBuffer): Promise<boolean> {
    const ack = await this.send({ type: 'img2tz', bufferId });
    if (ack.code === R30xConfirmation.ok) return true;
    if (poorImageCodes.has(ack.code)) return false;
    throw faultFor('img2tz', ack.code);
  }
}

/** The named error for a confirmation code a step did not expect. */
export function faultFor(instruction: R30xCommand['type'], code: number): DeviceError {
  const name = confirmationName(code);
  const message = `fingerprint module answered ${instruction} with ${name} (0x${code.toString(16).padStart(2, '0')})`;
  if (code === R30xConfirmation.library_full || (instruction === 'store' && code === R30xConfirmation.page_out_of_range)) {
    return new DeviceError('storage_full', message);
  }
  return new DeviceError('device_fault', message);
}
