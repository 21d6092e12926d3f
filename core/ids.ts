// Ids made on the terminal: ULIDs (48-bit time, 80 bits of randomness, Crockford base32), so
// they sort by creation time and serve as idempotency keys end to end. Time and randomness come
// from the Clock and Random passed in.
import type { Clock, Random } from './clock.js';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ulidPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function createUlidFactory(clock: Clock, random: Random): () => string {
  let lastTimeMs = -1;
  let lastRandom: number[] = [];
  return () => {
    const timeMs = Math.max(clock.nowMs(), lastTimeMs);
    let randomDigits: number[];
    if (timeMs === lastTimeMs) {
      // Same millisecond: increment the previous randomness so ids stay strictly increasing.
      randomDigits = lastRandom.slice();
      let index = randomDigits.length - 1;
      while (index >= 0 && randomDigits[index] === 31) randomDigits[index--] = 0;
      if (index < 0) throw new Error('ULID randomness overflow within one millisecond');
      randomDigits[index]! += 1;
    } else {
      randomDigits = Array.from(random.bytes(16), (byte) => byte & 31);
    }
    lastTimeMs = timeMs;
    lastRandom = randomDigits;
    let timePart = '';
    let remaining = timeMs;
    for (let index = 0; index < 10; index += 1) {
      timePart = alphabet[remaining % 32]! + timePart;
      remaining = Math.floor(remaining / 32);
    }
    return timePart + randomDigits.map((digit) => alphabet[digit]).join('');
  };
}
