// The socket protocol spoken between vsmartcard-vpcd (inside pcscd) and a virtual card: every
// message is a 2-byte big-endian length followed by that many bytes. A 1-byte payload from vpcd
// is a control code; anything longer is a command APDU. The card answers the ATR request and
// every APDU with a framed reply, and nothing for power and reset.

export const vpcdControl = {
  powerOff: 0x00,
  powerOn: 0x01,
  reset: 0x02,
  getAtr: 0x04,
} as const;

export type VpcdMessage =
  | { type: 'power_off' }
  | { type: 'power_on' }
  | { type: 'reset' }
  | { type: 'get_atr' }
  | { type: 'apdu'; apdu: Uint8Array };

export class VpcdFrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VpcdFrameError';
  }
}

export function encodeVpcdFrame(payload: Uint8Array): Uint8Array {
  if (payload.length > 0xffff) throw new VpcdFrameError(`payload of ${payload.length} bytes does not fit a frame`);
  const frame = new Uint8Array(payload.length + 2);
  frame[0] = payload.length >> 8;
  frame[1] = payload.length & 0xff;
  frame.set(payload, 2);
  return frame;
}

export function decodeVpcdMessage(payload: Uint8Array): VpcdMessage {
  if (payload.length === 0) throw new VpcdFrameError('empty vpcd payload');
  if (payload.length === 1) {
    switch (payload[0]) {
      case vpcdControl.powerOff:
        return { type: 'power_off' };
      case vpcdControl.powerOn:
        return { type: 'power_on' };
      case vpcdControl.reset:
        return { type: 'reset' };
      case vpcdControl.getAtr:
        return { type: 'get_atr' };
      default:
        throw new VpcdFrameError(`unknown vpcd control code 0x${payload[0]!.toString(16).padStart(2, '0')}`);
    }
  }
  if (payload.length < 4) throw new VpcdFrameError(`APDU of ${payload.length} bytes is shorter than a header`);
  return { type: 'apdu', apdu: payload };
}

/** Splits a byte stream into frame payloads, keeping an incomplete tail for the next chunk. */
export class VpcdFrameReader {
  private buffered: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): Uint8Array[] {
    const joined = new Uint8Array(this.buffered.length + chunk.length);
    joined.set(this.buffered, 0);
    joined.set(chunk, this.buffered.length);
    const payloads: Uint8Array[] = [];
    let offset = 0;
    while (joined.length - offset >= 2) {
      const length = (joined[offset]! << 8) | joined[offset + 1]!;
      if (joined.length - offset - 2 < length) break;
      payloads.push(joined.slice(offset + 2, offset + 2 + length));
      offset += 2 + length;
    }
    this.buffered = joined.slice(offset);
    return payloads;
  }
}
