// One finger capture on a HID fingerprint reader, and the wait for the finger to lift between
// an enrolment's two captures. A capture starts with CAPTURE_START under a fresh capture id and
// ends with the template's last chunk, or the reader's ERROR for that id; reports about other
// capture ids are the tails of earlier captures and are skipped. When the call's deadline or
// abort interrupts a capture, it is cancelled on the reader, so the reader does not hold a
// capture nobody waits for. `progress` tells the caller whether a finger had touched the sensor,
// which decides whether a deadline means "no finger" or "the reader stalled".
import { DeviceError } from '../../device/capabilities.js';
import type { ReaderError } from '../../device/fingerprint/hid-report-codec.js';
import { HidReportError } from '../../device/fingerprint/hid-report-codec.js';
import { TemplateAssembler, type AssembledTemplate } from '../../device/fingerprint/hid-template-chunks.js';
import { matchThreshold } from '../../device/fingerprint/minutiae-matcher.js';
import type { HidReportLink } from './hid-report-link.js';

export type CaptureOutcome = ({ type: 'captured' } & AssembledTemplate) | { type: 'no_finger' } | { type: 'poor_image' };

/** Shared with the caller so a deadline can be told apart: no finger yet, or a stalled reader. */
export interface CaptureProgress {
  waitingForFinger: boolean;
}

function readerFault(error: ReaderError, captureId: number): DeviceError {
  if (error === 'cancelled') return new DeviceError('aborted', `the reader cancelled capture ${captureId}`);
  return new DeviceError('device_fault', `the fingerprint reader answered ${error} to capture ${captureId}`);
}

function codecFault(error: HidReportError): DeviceError {
  return new DeviceError('malformed_response', `the fingerprint reader's template did not reassemble: ${error.message}`, { cause: error });
}

export async function captureFinger(link: HidReportLink, captureId: number, signal: AbortSignal, progress: CaptureProgress): Promise<CaptureOutcome> {
  const assembler = new TemplateAssembler(captureId);
  let finished = false;
  progress.waitingForFinger = true;
  link.send({ type: 'capture_start', captureId });
  try {
    for (;;) {
      const report = await link.receive(signal);
      if (report.type === 'info' || report.captureId !== captureId) continue;
      if (report.type === 'finger_status') {
        if (report.placed) progress.waitingForFinger = false;
        // A finger lifted before the last chunk means the reader stopped sending this template.
        else assembler.assertNotCutShort();
        continue;
      }
      if (report.type === 'error') {
        finished = true;
        assembler.assertNotCutShort();
        if (report.error === 'no_finger' || report.error === 'poor_image') return { type: report.error };
        throw readerFault(report.error, captureId);
      }
      progress.waitingForFinger = false;
      // The reader is done with a capture once it has sent the last chunk, whatever it held.
      if (report.chunkIndex === report.chunkCount - 1) finished = true;
      const assembled = assembler.add(report);
      if (!assembled) continue;
      // A template with fewer minutiae than the match threshold could never match anything.
      if (assembled.template.minutiae.length < matchThreshold) return { type: 'poor_image' };
      return { type: 'captured', ...assembled };
    }
  } catch (error) {
    // The reader stops sending a capture at its last chunk or its error; anything before that
    // (a deadline, an abort, a bad report) leaves it capturing, so tell it to stop.
    if (!finished && !link.ended) {
      try {
        link.send({ type: 'capture_cancel', captureId });
      } catch {
        // The link ended while cancelling; the call fails with the original error below.
      }
    }
    throw error instanceof HidReportError ? codecFault(error) : error;
  } finally {
    progress.waitingForFinger = false;
  }
}

/**
 * Waits for the reader to report the finger lifted after capture `captureId`. A deadline here
 * is a plain timeout, since a finger was on the sensor.
 */
export async function waitForLift(link: HidReportLink, captureId: number, signal: AbortSignal): Promise<void> {
  for (;;) {
    const report = await link.receive(signal);
    if (report.type === 'finger_status' && !report.placed && (report.captureId === captureId || report.captureId === 0)) return;
  }
}
