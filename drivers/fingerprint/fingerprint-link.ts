// The byte link a fingerprint module's driver talks over: one request out, one reply back,
// complete when the protocol's ReplyLength says so. The R30x/ZFM protocol is strictly
// request/reply (the module never speaks first), so this is the whole transport a driver needs,
// and it is exactly the shape of serial-line.ts's SerialLine: the serial path reuses that class
// unchanged, and the simulator plugs in an in-memory link (drivers/sim/sim-r30x-link.ts).
// Opening a link whose device is gone is a DeviceError not_present; a link that fails during an
// exchange answers transport_failed and the driver opens a new one.
import type { CallOptions } from '../../device/capabilities.js';
import { SerialLine, type ReplyLength } from '../serial/serial-line.js';

export interface FingerprintLink {
  exchange(request: Uint8Array, replyLength: ReplyLength, options: CallOptions): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Opens a fresh link to the device; called again after the device was lost. */
export type OpenFingerprintLink = () => Promise<FingerprintLink>;

/** R30x modules ship at 57600 baud (N = 6 in ReadSysPara's baud field). */
export const defaultFingerprintBaudRate = 57600;

export function serialFingerprintLink(path: string, baudRate: number = defaultFingerprintBaudRate): OpenFingerprintLink {
  return () => SerialLine.open(path, baudRate);
}
