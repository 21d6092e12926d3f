// Latency and fault injection for simulated devices, drawn from a seeded Random so a simulated
// session replays identically from its seed.
import type { Random } from '../../core/clock.js';

export interface SimBehaviour {
  random: Random;
  /** Latency range of each operation, in milliseconds. */
  minLatencyMs: number;
  maxLatencyMs: number;
  /** Probability, in parts per thousand, that an operation fails with a transport fault. */
  faultPerMille: number;
}

export const quietSim = (random: Random): SimBehaviour => ({ random, minLatencyMs: 1, maxLatencyMs: 5, faultPerMille: 0 });

export function drawLatencyMs(behaviour: SimBehaviour): number {
  const bytes = behaviour.random.bytes(2);
  const span = Math.max(0, behaviour.maxLatencyMs - behaviour.minLatencyMs);
  return behaviour.minLatencyMs + (((bytes[0]! << 8) | bytes[1]!) % (span + 1));
}

export function drawFault(behaviour: SimBehaviour): boolean {
  if (behaviour.faultPerMille <= 0) return false;
  const bytes = behaviour.random.bytes(2);
  return ((bytes[0]! << 8) | bytes[1]!) % 1000 < behaviour.faultPerMille;
}

export function sleep(durationMs: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, durationMs));
}
