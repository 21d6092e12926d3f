// The simulator's fingerprint reader: the real R30x driver over an in-memory link to the
// simulated module, so simulator mode exercises the same codec and flows as a module on a
// serial port. The fingers list is what the simulator panel offers to place on the sensor.
import type { Random } from '../../core/clock.js';
import type { FingerprintReader } from '../../device/capabilities.js';
import { R30xFingerprintReader } from '../fingerprint/r30x-fingerprint-reader.js';
import { simFingerCount } from './sim-finger-model.js';
import { SimR30xLink } from './sim-r30x-link.js';
import { SimR30xModule } from './sim-r30x-module.js';

export interface SimFingerprintOptions {
  random: Random;
  /** Datasheet-like module timing instead of none (see sim-r30x-module.ts). */
  realisticTiming?: boolean;
}

export interface SimFingers {
  list(): Array<{ fingerIndex: number; label: string }>;
  /** Puts a finger on the sensor, or lifts it (null). */
  place(fingerIndex: number | null): void;
}

export function createSimFingerprintReader(options: SimFingerprintOptions): { reader: FingerprintReader; fingers: SimFingers; module: SimR30xModule } {
  const module = new SimR30xModule({ random: options.random, realisticTiming: options.realisticTiming });
  const reader = new R30xFingerprintReader({
    descriptor: 'sim:fingerprint/0',
    name: 'Simulated R30x fingerprint module',
    openLink: async () => new SimR30xLink(module),
  });
  const labels = Array.from({ length: simFingerCount }, (_, fingerIndex) => ({ fingerIndex, label: `Finger ${fingerIndex + 1}` }));
  return {
    reader,
    module,
    fingers: {
      list: () => labels.map((finger) => ({ ...finger })),
      place: (fingerIndex) => module.placeFinger(fingerIndex),
    },
  };
}
