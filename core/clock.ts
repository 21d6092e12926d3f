// Time and randomness are passed in, never read from globals, so that core, device, ledger and
// sync stay deterministic under test and under the seeded simulation.

/** A source of wall-clock and monotonic time. */
export interface Clock {
  /** Milliseconds since the Unix epoch, as the terminal believes it. */
  nowMs(): number;
  /** A monotonic reading in milliseconds, for measuring durations only. */
  monotonicMs(): number;
}

/** A source of random bytes; production passes a CSPRNG, tests pass a seeded generator. */
export interface Random {
  bytes(length: number): Uint8Array;
}

/** A small deterministic generator (xorshift32) for tests and simulations. Not for secrets. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0 || 0x9e3779b9;
  return {
    bytes(length: number): Uint8Array {
      const out = new Uint8Array(length);
      for (let index = 0; index < length; index += 1) {
        state ^= state << 13;
        state >>>= 0;
        state ^= state >>> 17;
        state ^= state << 5;
        state >>>= 0;
        out[index] = state & 0xff;
      }
      return out;
    },
  };
}

/** A clock that only moves when told to, for tests. */
export function manualClock(startMs: number): Clock & { advance(deltaMs: number): void } {
  let currentMs = startMs;
  let monotonic = 0;
  return {
    nowMs: () => currentMs,
    monotonicMs: () => monotonic,
    advance(deltaMs: number) {
      currentMs += deltaMs;
      monotonic += deltaMs;
    },
  };
}

const hexDigits = '0123456789abcdef';

/** Lower-case hex of some bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += hexDigits[byte >> 4]! + hexDigits[byte & 0x0f]!;
  return out;
}

/** Parses lower- or upper-case hex; throws on odd length or a non-hex digit. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new RangeError(`not a hex string: ${JSON.stringify(hex.slice(0, 16))}`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let index = 0; index < out.length; index += 1) {
    out[index] = Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  }
  return out;
}
