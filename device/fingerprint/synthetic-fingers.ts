// Synthetic fingers for simulated readers and tests: a finger is a seeded set of minutiae, and
// each touch of it on the sensor is an impression that is shifted, slightly rotated, jittered,
// misses some minutiae and picks up a few spurious ones, as two real captures of one finger
// differ. Everything is drawn from a Random passed in, so a seed reproduces a capture byte for
// byte (which the recorded HID fixtures rely on). Not a model of real ridge structure.
import type { Random } from '../../core/clock.js';
import { maxMinutiae, type Minutia, type MinutiaeTemplate } from './minutiae-template.js';

export const sensorWidthPixels = 256;
export const sensorHeightPixels = 360;

/** A uniformly drawn integer in min..max (inclusive) from four random bytes. */
export function randomInteger(random: Random, min: number, max: number): number {
  const bytes = random.bytes(4);
  const value = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  return min + (value % (max - min + 1));
}

/** One minutia somewhere on the sensor, away from its edges. */
function randomMinutia(random: Random): Minutia {
  return {
    x: randomInteger(random, 24, sensorWidthPixels - 25),
    y: randomInteger(random, 24, sensorHeightPixels - 25),
    angle: randomInteger(random, 0, 255),
    kind: randomInteger(random, 0, 1) === 0 ? 'ending' : 'bifurcation',
  };
}

/** A finger: 40 minutiae spread over the sensor. */
export function syntheticFinger(random: Random): Minutia[] {
  return Array.from({ length: maxMinutiae }, () => randomMinutia(random));
}

export interface ImpressionNoise {
  /** Largest shift of the whole print, in pixels each way. */
  shiftPixels: number;
  /** Largest rotation of the whole print, in 1/256ths of a turn. */
  rotationUnits: number;
  /** Largest per-minutia position jitter, in pixels each way. */
  jitterPixels: number;
  /** Largest per-minutia angle jitter, in 1/256ths of a turn. */
  angleJitterUnits: number;
  /** Out of 100, how many minutiae the sensor misses. */
  dropPercent: number;
  spuriousCount: number;
}

export const ordinaryNoise: ImpressionNoise = { shiftPixels: 20, rotationUnits: 10, jitterPixels: 3, angleJitterUnits: 4, dropPercent: 15, spuriousCount: 3 };

/** One touch of `finger` on the sensor, as the reader's template would describe it. */
export function impression(finger: readonly Minutia[], random: Random, quality: number, noise: ImpressionNoise = ordinaryNoise): MinutiaeTemplate {
  const turn = (randomInteger(random, -noise.rotationUnits, noise.rotationUnits) * 2 * Math.PI) / 256;
  const rotationUnits = Math.round((turn * 256) / (2 * Math.PI));
  const dx = randomInteger(random, -noise.shiftPixels, noise.shiftPixels);
  const dy = randomInteger(random, -noise.shiftPixels, noise.shiftPixels);
  const centreX = sensorWidthPixels / 2;
  const centreY = sensorHeightPixels / 2;
  const minutiae: Minutia[] = [];
  for (const minutia of finger) {
    // Every minutia draws the same number of random values, kept or not, so one seed's later
    // draws do not depend on which minutiae fell off the sensor.
    const dropped = randomInteger(random, 0, 99) < noise.dropPercent;
    const jitterX = randomInteger(random, -noise.jitterPixels, noise.jitterPixels);
    const jitterY = randomInteger(random, -noise.jitterPixels, noise.jitterPixels);
    const jitterAngle = randomInteger(random, -noise.angleJitterUnits, noise.angleJitterUnits);
    const x = Math.round(centreX + (minutia.x - centreX) * Math.cos(turn) - (minutia.y - centreY) * Math.sin(turn) + dx + jitterX);
    const y = Math.round(centreY + (minutia.x - centreX) * Math.sin(turn) + (minutia.y - centreY) * Math.cos(turn) + dy + jitterY);
    if (dropped || x < 0 || y < 0 || x >= sensorWidthPixels || y >= sensorHeightPixels) continue;
    minutiae.push({ x, y, angle: (minutia.angle + rotationUnits + jitterAngle + 512) % 256, kind: minutia.kind });
  }
  for (let index = 0; index < noise.spuriousCount && minutiae.length < maxMinutiae; index += 1) {
    minutiae.push(randomMinutia(random));
  }
  return { quality, widthPixels: sensorWidthPixels, heightPixels: sensorHeightPixels, minutiae: minutiae.slice(0, maxMinutiae) };
}
