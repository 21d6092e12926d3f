// Capturing an operator's finger on the reader for enrolment. A reader with its own library
// stores the template in the lowest slot no operator holds, after deleting whatever that slot
// held (a template orphaned by a crash between the module's Store and the ledger's commit is
// overwritten, never matched to anyone); a reader without one hands the template back, and the
// terminal seals it in its ledger. A failed capture is a named ApiError; the template is never
// logged.
import { ApiError } from '../../core/api/envelope.js';
import { toHex } from '../../core/clock.js';
import { DeviceError, type EnrolStep, type FingerprintReader } from '../../device/capabilities.js';
import type { OperatorRecord, StoredFingerprint } from '../../ledger/stores/operators-store.js';

/** How long each enrolment waits for the finger (both captures). */
export const enrolmentTimeoutMs = 30_000;
const readerCallTimeoutMs = 5_000;

export async function captureFingerprint(
  reader: FingerprintReader | null,
  operators: readonly OperatorRecord[],
  onStep: (step: EnrolStep) => void,
  timeoutMs = enrolmentTimeoutMs,
): Promise<StoredFingerprint> {
  if (!reader || reader.health().health === 'unavailable') throw new ApiError('runtime_unavailable', 'fingerprint_reader_unavailable: no fingerprint reader is ready; enrol with the PIN only, or connect the reader');
  try {
    if (reader.templateStorage === 'host') {
      const enrolled = await reader.enrol(0, { timeoutMs, onStep });
      if (enrolled.type !== 'enrolled') throw failedCapture(enrolled.type);
      if (!enrolled.template) throw new ApiError('handler_failed', 'fingerprint_enrol_failed: the reader returned no template');
      return { storage: 'host', template: toHex(enrolled.template) };
    }
    const info = await reader.readInfo({ timeoutMs: readerCallTimeoutMs });
    const held = new Set(operators.flatMap((operator) => (operator.fingerprint.storage === 'on_device' ? [operator.fingerprint.slot] : [])));
    let slot = 0;
    while (held.has(slot)) slot += 1;
    if (slot >= info.templateCapacity) throw new ApiError('invalid_params', `fingerprint_storage_full: all ${info.templateCapacity} slots of the reader hold an operator's finger; remove an operator first`);
    await reader.deleteTemplate(slot, { timeoutMs: readerCallTimeoutMs });
    const enrolled = await reader.enrol(slot, { timeoutMs, onStep });
    if (enrolled.type !== 'enrolled') throw failedCapture(enrolled.type);
    return { storage: 'on_device', slot: enrolled.slot ?? slot };
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (error instanceof DeviceError) throw deviceFailure(error);
    throw error;
  }
}

function failedCapture(type: 'no_finger' | 'poor_image' | 'mismatch'): ApiError {
  switch (type) {
    case 'no_finger':
      return new ApiError('timeout', 'fingerprint_no_finger: no finger was placed in time; start the enrolment again');
    case 'poor_image':
      return new ApiError('invalid_params', 'fingerprint_poor_image: the captures were too poor; clean the finger and the sensor and start again');
    case 'mismatch':
      return new ApiError('invalid_params', 'fingerprint_mismatch: the two captures were not of the same finger; start again');
  }
}

function deviceFailure(error: DeviceError): ApiError {
  if (error.code === 'timeout' || error.code === 'aborted') return new ApiError('timeout', `fingerprint_no_finger: ${error.message}`);
  if (error.code === 'storage_full') return new ApiError('invalid_params', `fingerprint_storage_full: ${error.message}`);
  return new ApiError('runtime_unavailable', `fingerprint_reader_${error.code}: ${error.message}`);
}
