// The simulated fingers: 64 of them, each a 256-bit feature vector derived from its index, so a
// finger is the same finger in every run. A capture flips a few seeded bits (pressure, angle,
// moisture); two captures of one finger differ in at most 16 bits, two fingers in about 128, so
// the match threshold of 48 bits separates them with a wide margin. Scores run from 200 (the
// same bits) down to 50 at the threshold, the range an R30x reports for a genuine match.
import { seededRandom, type Random } from '../../core/clock.js';

export const simFingerCount = 64;
const featureBytes = 32;
const maxNoiseBits = 8;
const matchThresholdBits = 48;

export function simFingerFeatures(fingerIndex: number): Uint8Array {
  if (!Number.isInteger(fingerIndex) || fingerIndex < 0 || fingerIndex >= simFingerCount) {
    throw new RangeError(`finger ${fingerIndex} is not one of the ${simFingerCount} simulated fingers`);
  }
  return seededRandom(0x0f1a6e00 + fingerIndex * 7919).bytes(featureBytes);
}

/** One capture of the finger: its features with up to 8 bits flipped by the seeded Random. */
export function captureOf(fingerIndex: number, random: Random): Uint8Array {
  const features = simFingerFeatures(fingerIndex);
  const [count, ...positions] = random.bytes(1 + maxNoiseBits);
  for (const position of positions.slice(0, count! % (maxNoiseBits + 1))) features[position >> 3]! ^= 1 << (position & 7);
  return features;
}

export function featureDistance(left: Uint8Array, right: Uint8Array): number {
  let bits = 0;
  for (let index = 0; index < featureBytes; index += 1) {
    let differing = (left[index] ?? 0) ^ (right[index] ?? 0);
    while (differing) {
      bits += differing & 1;
      differing >>= 1;
    }
  }
  return bits;
}

/** The module's score for two feature sets this far apart, or null when they are different fingers. */
export function matchScoreFor(distanceBits: number): number | null {
  if (distanceBits > matchThresholdBits) return null;
  return Math.round(200 - (distanceBits * 150) / matchThresholdBits);
}
