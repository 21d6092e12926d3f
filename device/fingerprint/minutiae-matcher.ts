// The host-side matcher for host-storage fingerprint readers: compares a fresh capture with an
// enrolled template (both in the format of minutiae-template.ts) and answers how many minutiae
// pair up under the best alignment. Two impressions of one finger differ by a shift, a small
// rotation, jitter and minutiae the sensor missed, so the matcher tries the alignments that
// would carry one minutia of the probe onto one of the candidate (a rotation from their angle
// difference, within maxRotationUnits, and the translation that follows) and, under each,
// pairs minutiae one-to-one within a distance and an angle tolerance. The score is the largest
// number of pairs; scores at or above matchThreshold are the same finger. Deterministic: the
// same probe and candidate always give the same score (no randomness, a fixed search order).
import { decodeTemplate, type Minutia, type MinutiaeTemplate } from './minutiae-template.js';

/**
 * Paired minutiae needed to call two templates the same finger. Twelve is the old forensic
 * "twelve-point" rule; with 40-minutia templates on a 256x360 image, unrelated fingers pair
 * about five under their best alignment, and impressions of one finger twenty or more.
 */
export const matchThreshold = 12;
/** Two minutiae pair when, after alignment, they lie this close (Euclidean, in pixels). */
export const pairDistancePixels = 12;
/** ...and their ridge directions differ by at most this many 1/256ths of a turn (about 17 degrees). */
export const pairAngleUnits = 12;
/** Rotations between impressions beyond this (in 1/256ths of a turn, about 42 degrees) are not tried. */
export const maxRotationUnits = 30;

const unitsToRadians = (2 * Math.PI) / 256;

/** The signed difference b - a of two angles in 1/256ths of a turn, in -128..127. */
function angleDifference(a: number, b: number): number {
  return ((((b - a) % 256) + 256 + 128) % 256) - 128;
}

interface Alignment {
  rotationUnits: number;
  dx: number;
  dy: number;
}

/** Maps probe minutiae into the candidate's frame under one alignment. */
function transform(minutiae: readonly Minutia[], alignment: Alignment): Minutia[] {
  const cos = Math.cos(alignment.rotationUnits * unitsToRadians);
  const sin = Math.sin(alignment.rotationUnits * unitsToRadians);
  return minutiae.map((minutia) => ({
    x: minutia.x * cos - minutia.y * sin + alignment.dx,
    y: minutia.x * sin + minutia.y * cos + alignment.dy,
    angle: (minutia.angle + alignment.rotationUnits + 256) % 256,
    kind: minutia.kind,
  }));
}

/** Greedy one-to-one pairing: each probe minutia takes the nearest free candidate within tolerance. */
function pairCount(probe: readonly Minutia[], candidate: readonly Minutia[]): number {
  const taken = new Uint8Array(candidate.length);
  let pairs = 0;
  for (const minutia of probe) {
    let best = -1;
    let bestDistanceSquared = pairDistancePixels * pairDistancePixels;
    for (const [index, other] of candidate.entries()) {
      if (taken[index]) continue;
      const distanceSquared = (minutia.x - other.x) ** 2 + (minutia.y - other.y) ** 2;
      if (distanceSquared > bestDistanceSquared) continue;
      if (Math.abs(angleDifference(minutia.angle, other.angle)) > pairAngleUnits) continue;
      best = index;
      bestDistanceSquared = distanceSquared;
    }
    if (best >= 0) {
      taken[best] = 1;
      pairs += 1;
    }
  }
  return pairs;
}

/** The alignments that carry a probe minutia onto a candidate minutia, deduplicated on a coarse grid. */
function candidateAlignments(probe: readonly Minutia[], candidate: readonly Minutia[]): Alignment[] {
  const seen = new Set<string>();
  const alignments: Alignment[] = [];
  for (const from of probe) {
    for (const to of candidate) {
      const rotationUnits = angleDifference(from.angle, to.angle);
      if (Math.abs(rotationUnits) > maxRotationUnits) continue;
      const cos = Math.cos(rotationUnits * unitsToRadians);
      const sin = Math.sin(rotationUnits * unitsToRadians);
      const dx = to.x - (from.x * cos - from.y * sin);
      const dy = to.y - (from.x * sin + from.y * cos);
      const key = `${Math.round(rotationUnits / 2)}:${Math.round(dx / 4)}:${Math.round(dy / 4)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      alignments.push({ rotationUnits, dx, dy });
    }
  }
  return alignments;
}

/** The most minutiae that pair under any tried alignment of `probe` onto `candidate`. */
export function matchScore(probe: MinutiaeTemplate, candidate: MinutiaeTemplate): number {
  let best = 0;
  for (const alignment of candidateAlignments(probe.minutiae, candidate.minutiae)) {
    best = Math.max(best, pairCount(transform(probe.minutiae, alignment), candidate.minutiae));
  }
  return best;
}

export interface TemplateMatch {
  score: number;
  matched: boolean;
}

/**
 * Compares two templates given as bytes. A malformed template (bad magic, length, CRC, field)
 * throws the TemplateFormatError of decodeTemplate rather than scoring zero, so a corrupted
 * enrolment is told apart from a different finger.
 */
export function matchTemplates(probe: Uint8Array, candidate: Uint8Array): TemplateMatch {
  const score = matchScore(decodeTemplate(probe), decodeTemplate(candidate));
  return { score, matched: score >= matchThreshold };
}
