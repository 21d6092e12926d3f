// The real clock and the operating system's CSPRNG; only the runtime reads them, and passes
// them down to the layers that must stay deterministic under test.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Clock, Random } from '../core/clock.js';

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  monotonicMs: () => performance.now(),
};

export const systemRandom: Random = {
  bytes: (length) => new Uint8Array(randomBytes(length)),
};
