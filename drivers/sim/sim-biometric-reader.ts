// A simulated fingerprint reader. A finger is placed by the simulator (or a test) with the
// template it should yield; without one, capture answers no_finger after its latency.
import { withDeadline, type BiometricCapture, type BiometricReader, type CallOptions, type HealthReport } from '../../device/capabilities.js';
import { drawLatencyMs, sleep, type SimBehaviour } from './seeded-latency.js';

export class SimBiometricReader implements BiometricReader {
  readonly info = { descriptor: 'sim:biometric/0', kind: 'biometric_reader', name: 'Simulated fingerprint reader' } as const;
  private finger: { template: Uint8Array; quality: number } | null = null;

  constructor(private readonly behaviour: SimBehaviour) {}

  placeFinger(template: Uint8Array, quality = 80): void {
    this.finger = { template, quality };
  }

  liftFinger(): void {
    this.finger = null;
  }

  health(): HealthReport {
    return { health: 'ok', detail: 'ready' };
  }

  capture(options: CallOptions): Promise<BiometricCapture> {
    const work = (async (): Promise<BiometricCapture> => {
      await sleep(drawLatencyMs(this.behaviour));
      const finger = this.finger;
      return finger ? { type: 'captured', template: finger.template, quality: finger.quality } : { type: 'no_finger' };
    })();
    return withDeadline(work, options, 'fingerprint capture');
  }

  async close(): Promise<void> {
    this.finger = null;
  }
}
