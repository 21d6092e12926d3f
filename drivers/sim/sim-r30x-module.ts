// A simulated R30x/ZFM fingerprint module that speaks the real bytes: command packets in, ack
// packets out, through the same codec the driver uses. Like a real module it keeps templates in
// its own library of pages, has an image buffer and two character buffers, and answers GenImg
// with no_finger until a finger is placed. A finger is an index (0..63) whose features are
// derived deterministically from it; each capture adds seeded noise, so two captures of one
// finger are close and captures of different fingers are far apart. Timing is zero, or drawn
// from the datasheets' ranges (GenImg 150-450 ms, Img2Tz 100-200 ms, Search 50-300 ms) with the
// seeded Random. Faults are switched at run time: silence, corrupted checksums, poor images.
import type { Random } from '../../core/clock.js';
import { defaultR30xAddress, R30xCodecError } from '../../device/fingerprint/r30x-codec.js';
import { decodeCommand, encodeAck, type R30xCommand, type R30xInstruction } from '../../device/fingerprint/r30x-commands.js';
import { R30xConfirmation } from '../../device/fingerprint/r30x-confirmation-codes.js';
import { R30xPacketReader } from '../../device/fingerprint/r30x-packet-stream.js';
import { encodeSearchResult, encodeSystemParameters, encodeTemplateCount } from '../../device/fingerprint/r30x-replies.js';
import { simFingerFeatures, captureOf, featureDistance, matchScoreFor } from './sim-finger-model.js';
import { drawLatencyMs } from './seeded-latency.js';

export interface SimR30xOptions {
  random: Random;
  /** Pages in the template library; an R307 has 1000, many clones 200. */
  libraryCapacity?: number;
  realisticTiming?: boolean;
  address?: number;
  password?: number;
}

export interface SimR30xFaults {
  /** Reads commands and answers nothing, like a module whose logic has hung. */
  silent: boolean;
  /** The next this-many replies leave with a corrupted checksum. */
  badChecksumReplies: number;
  /** Img2Tz answers too_few_feature_points, as for a dry or smudged finger. */
  poorImage: boolean;
}

/** Datasheet-like ranges per instruction, in milliseconds; GenImg without a finger returns sooner. */
const realisticRangesMs: Record<R30xInstruction, [number, number]> = {
  gen_img: [150, 450],
  img2tz: [100, 200],
  search: [50, 300],
  reg_model: [100, 200],
  store: [30, 80],
  delete_char: [30, 80],
  read_sys_para: [2, 10],
  verify_password: [2, 10],
  template_num: [2, 10],
  handshake: [2, 10],
};
const noFingerRangeMs: [number, number] = [40, 80];

interface Reply {
  instruction: R30xInstruction;
  code: number;
  data?: Uint8Array;
}

export class SimR30xModule {
  readonly faults: SimR30xFaults = { silent: false, badChecksumReplies: 0, poorImage: false };
  readonly libraryCapacity: number;
  readonly address: number;
  /** Datasheet-like timing or none; switchable, so a bench can enrol quickly and then measure. */
  realisticTiming: boolean;
  private readonly library: Array<Uint8Array | null>;
  private image: Uint8Array | null = null;
  private readonly charBuffers: [Uint8Array | null, Uint8Array | null] = [null, null];
  private finger: number | null = null;
  private passwordVerified = false;

  constructor(private readonly options: SimR30xOptions) {
    this.libraryCapacity = options.libraryCapacity ?? 200;
    this.address = options.address ?? defaultR30xAddress;
    this.realisticTiming = options.realisticTiming ?? false;
    this.library = Array.from({ length: this.libraryCapacity }, () => null);
  }

  placeFinger(fingerIndex: number | null): void {
    if (fingerIndex !== null) simFingerFeatures(fingerIndex);
    this.finger = fingerIndex;
  }

  get placedFinger(): number | null {
    return this.finger;
  }

  /** Pages that hold a template, for tests to see what enrolment left behind. */
  storedPages(): number[] {
    return this.library.flatMap((template, page) => (template ? [page] : []));
  }

  /**
   * A parser for one open port or in-memory link: chunks of the host's bytes in, each ack sent
   * through `send` after the instruction's time, in order, as a module answers one at a time.
   */
  stream(send: (bytes: Uint8Array) => void): (chunk: Uint8Array) => void {
    const reader = new R30xPacketReader(this.address);
    let queue: Promise<void> = Promise.resolve();
    return (chunk) => {
      for (const item of reader.push(chunk)) {
        // A packet for another address is not this module's to answer; a corrupt one gets 0x01.
        if (item.type === 'error' && item.error.code === 'wrong_address') continue;
        const reply = item.type === 'packet' ? this.answerPacket(item.packet) : { instruction: 'gen_img' as const, code: R30xConfirmation.packet_receive_error };
        const delayMs = this.durationMs(reply);
        queue = queue.then(() => new Promise<void>((resolve) => {
          const deliver = (): void => {
            const bytes = this.faults.silent ? null : this.encodeReply(reply);
            if (bytes) send(bytes);
            resolve();
          };
          if (delayMs > 0) setTimeout(deliver, delayMs);
          else setImmediate(deliver);
        }));
      }
    };
  }

  private answerPacket(packet: Parameters<typeof decodeCommand>[0]): Reply {
    try {
      return this.answer(decodeCommand(packet));
    } catch (error) {
      if (!(error instanceof R30xCodecError)) throw error;
      return { instruction: 'gen_img', code: R30xConfirmation.packet_receive_error };
    }
  }

  private encodeReply(reply: Reply): Uint8Array {
    const bytes = encodeAck(reply.instruction, reply.code, reply.data ?? new Uint8Array(0), this.address);
    if (this.faults.badChecksumReplies > 0) {
      this.faults.badChecksumReplies -= 1;
      bytes[bytes.length - 1]! ^= 0x5a;
    }
    return bytes;
  }

  private durationMs(reply: Reply): number {
    if (!this.realisticTiming) return 0;
    const noFinger = reply.instruction === 'gen_img' && reply.code === R30xConfirmation.no_finger;
    const [minLatencyMs, maxLatencyMs] = noFinger ? noFingerRangeMs : realisticRangesMs[reply.instruction];
    return drawLatencyMs({ random: this.options.random, minLatencyMs, maxLatencyMs, faultPerMille: 0 });
  }

  /** What the module does with one command. */
  answer(command: R30xCommand): Reply {
    const instruction = command.type;
    const ok = (data?: Uint8Array): Reply => ({ instruction, code: R30xConfirmation.ok, data });
    const fail = (code: number): Reply => ({ instruction, code });
    switch (command.type) {
      case 'handshake':
        return ok();
      case 'verify_password':
        this.passwordVerified = command.password === (this.options.password ?? 0);
        return this.passwordVerified ? ok() : fail(R30xConfirmation.wrong_password);
      case 'read_sys_para':
        return ok(encodeSystemParameters({
          statusRegister: this.passwordVerified ? 0x0004 : 0,
          systemId: 0x0009,
          libraryCapacity: this.libraryCapacity,
          securityLevel: 3,
          address: this.address,
          packetSizeBytes: 128,
          baudRate: 57600,
        }));
      case 'template_num':
        return ok(encodeTemplateCount(this.storedPages().length));
      case 'gen_img':
        if (this.finger === null) return fail(R30xConfirmation.no_finger);
        this.image = captureOf(this.finger, this.options.random);
        return ok();
      case 'img2tz':
        if (!this.image) return fail(R30xConfirmation.no_valid_image);
        if (this.faults.poorImage) return fail(R30xConfirmation.too_few_feature_points);
        this.charBuffers[command.bufferId - 1] = this.image;
        return ok();
      case 'reg_model': {
        const [first, second] = this.charBuffers;
        if (!first || !second || matchScoreFor(featureDistance(first, second)) === null) return fail(R30xConfirmation.merge_failed);
        // The merged template replaces both buffers, as a real module's RegModel does.
        this.charBuffers[1] = first;
        return ok();
      }
      case 'store': {
        const features = this.charBuffers[command.bufferId - 1];
        if (command.pageId >= this.libraryCapacity) return fail(R30xConfirmation.page_out_of_range);
        if (!features) return fail(R30xConfirmation.packet_receive_error);
        this.library[command.pageId] = features;
        return ok();
      }
      case 'delete_char':
        if (command.pageId + command.count > this.libraryCapacity) return fail(R30xConfirmation.delete_failed);
        for (let page = command.pageId; page < command.pageId + command.count; page += 1) this.library[page] = null;
        return ok();
      case 'search':
        return this.search(command.bufferId, command.startPage, command.pageCount);
    }
  }

  private search(bufferId: 1 | 2, startPage: number, pageCount: number): Reply {
    const probe = this.charBuffers[bufferId - 1];
    if (!probe) return { instruction: 'search', code: R30xConfirmation.no_valid_image };
    let best: { pageId: number; matchScore: number } | null = null;
    const endPage = Math.min(this.libraryCapacity, startPage + pageCount);
    for (let page = startPage; page < endPage; page += 1) {
      const template = this.library[page];
      const score = template ? matchScoreFor(featureDistance(probe, template)) : null;
      if (score !== null && (!best || score > best.matchScore)) best = { pageId: page, matchScore: score };
    }
    if (!best) return { instruction: 'search', code: R30xConfirmation.finger_not_found, data: new Uint8Array(4) };
    return { instruction: 'search', code: R30xConfirmation.ok, data: encodeSearchResult(best) };
  }
}
