// A template crosses the USB cable in CAPTURE_RESULT chunks (hid-report-codec.ts); this file
// splits one into chunks (the reader's side, and the simulator's) and reassembles them (the
// terminal's side). Reassembly is strict: chunks arrive in order 0..count-1, once each, with one
// count and one quality, and the joined bytes must be a template whose CRC-32 holds. Anything
// else is a HidReportError naming what went wrong, so a dropped or corrupted report is refused
// rather than matched.
import { chunkPayloadMax, HidReportError, type DeviceReport } from './hid-report-codec.js';
import { decodeTemplate, TemplateFormatError, type MinutiaeTemplate } from './minutiae-template.js';

export type CaptureChunk = Extract<DeviceReport, { type: 'capture_chunk' }>;

/** The CAPTURE_RESULT reports that carry `template` (its bytes, CRC included) for one capture. */
export function chunkTemplate(captureId: number, quality: number, template: Uint8Array): CaptureChunk[] {
  if (template.length === 0) throw new HidReportError('bad_field', 'an empty template has no chunks');
  const chunkCount = Math.ceil(template.length / chunkPayloadMax);
  const chunks: CaptureChunk[] = [];
  for (let chunkIndex = 0; chunkIndex < chunkCount; chunkIndex += 1) {
    const payload = template.slice(chunkIndex * chunkPayloadMax, (chunkIndex + 1) * chunkPayloadMax);
    chunks.push({ type: 'capture_chunk', captureId, chunkIndex, chunkCount, quality, payload });
  }
  return chunks;
}

export interface AssembledTemplate {
  /** The template's bytes as the reader sent them, CRC included: what the terminal seals and keeps. */
  bytes: Uint8Array;
  template: MinutiaeTemplate;
}

export class TemplateAssembler {
  private readonly payloads: Uint8Array[] = [];
  private chunkCount = 0;
  private quality = -1;
  private done = false;

  constructor(readonly captureId: number) {}

  /** Whether at least one chunk arrived and the template is not complete yet. */
  get inProgress(): boolean {
    return this.payloads.length > 0 && !this.done;
  }

  /** Takes the next chunk; answers the template once the last chunk arrives, else null. */
  add(chunk: CaptureChunk): AssembledTemplate | null {
    if (this.done) throw new HidReportError('chunk_duplicated', `capture ${this.captureId} is already complete, but chunk ${chunk.chunkIndex} arrived`);
    if (chunk.captureId !== this.captureId) {
      throw new HidReportError('chunk_inconsistent', `a chunk of capture ${chunk.captureId} arrived during capture ${this.captureId}`);
    }
    const expected = this.payloads.length;
    if (expected === 0) {
      this.chunkCount = chunk.chunkCount;
      this.quality = chunk.quality;
    } else if (chunk.chunkCount !== this.chunkCount || chunk.quality !== this.quality) {
      throw new HidReportError('chunk_inconsistent', `chunk ${chunk.chunkIndex} says ${chunk.chunkCount} chunks at quality ${chunk.quality}; chunk 0 said ${this.chunkCount} at ${this.quality}`);
    }
    if (chunk.chunkIndex < expected) throw new HidReportError('chunk_duplicated', `chunk ${chunk.chunkIndex} of capture ${this.captureId} arrived twice`);
    if (chunk.chunkIndex > expected) {
      throw new HidReportError('chunk_out_of_order', `chunk ${chunk.chunkIndex} of capture ${this.captureId} arrived before chunk ${expected}`);
    }
    this.payloads.push(chunk.payload);
    if (this.payloads.length < this.chunkCount) return null;
    this.done = true;
    const bytes = new Uint8Array(this.payloads.reduce((total, payload) => total + payload.length, 0));
    let offset = 0;
    for (const payload of this.payloads) {
      bytes.set(payload, offset);
      offset += payload.length;
    }
    const template = decodeAssembled(bytes);
    if (template.quality !== this.quality) {
      throw new HidReportError('chunk_inconsistent', `the chunks say quality ${this.quality}, the template ${template.quality}`);
    }
    return { bytes, template };
  }

  /** Throws chunk_missing when the capture ended (another report came) before its last chunk. */
  assertNotCutShort(): void {
    if (!this.inProgress) return;
    throw new HidReportError('chunk_missing', `capture ${this.captureId} ended after ${this.payloads.length} of ${this.chunkCount} chunks`);
  }
}

function decodeAssembled(bytes: Uint8Array): MinutiaeTemplate {
  try {
    return decodeTemplate(bytes);
  } catch (error) {
    if (error instanceof TemplateFormatError) throw new HidReportError(error.code, `reassembled template: ${error.message}`);
    throw error;
  }
}
