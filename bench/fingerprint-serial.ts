// Fingerprint sign-in through the serial path: the R30x driver on serialport, a socat pty pair,
// and the simulated module on the other end with 20 fingers enrolled. One sign-in is one
// identify() with the finger already on the sensor: GenImg, Img2Tz, Search over the library.
//   fingerprint_signin_p50_ms / fingerprint_signin_p99_ms: with the module's own timing simulated
//     from its datasheet (GenImg 150-450 ms, Img2Tz 100-200 ms, Search 50-300 ms), 50 runs
//   fingerprint_signin_codec_p50_ms / fingerprint_signin_codec_p99_ms: the module answering at
//     once, 200 runs: what the codec, driver, serialport and the pty add on their own
// Not registered in bench/run.ts (the operators bench composes it); standalone:
//   node --import tsx bench/fingerprint-serial.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { seededRandom } from '../core/clock.js';
import type { EnrolStep } from '../device/capabilities.js';
import { serialFingerprintLink } from '../drivers/fingerprint/fingerprint-link.js';
import { R30xFingerprintReader } from '../drivers/fingerprint/r30x-fingerprint-reader.js';
import { SimR30xModule } from '../drivers/sim/sim-r30x-module.js';
import { SimR30xPtyModule } from '../drivers/sim/sim-r30x-pty.js';
import { findExecutable } from '../test/harness/require-tool.js';
import { startPtyPair } from '../test/harness/socat.js';

const enrolledFingers = 20;
const realisticRuns = 50;
const codecRuns = 200;
const call = { timeoutMs: 5000 };

function percentileMs(samples: number[], fraction: number): number {
  const sorted = [...samples].sort((left, right) => left - right);
  const value = sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
  return Math.round(value * 100) / 100;
}

async function measureIdentify(reader: R30xFingerprintReader, module: SimR30xModule, runs: number): Promise<number[]> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const fingerIndex = run % enrolledFingers;
    module.placeFinger(fingerIndex);
    const startedMs = performance.now();
    const match = await reader.identify([], call);
    samples.push(performance.now() - startedMs);
    if (match.type !== 'matched' || match.slot !== fingerIndex) throw new Error(`finger ${fingerIndex} was not recognised: ${JSON.stringify(match)}`);
  }
  return samples;
}

export async function benchFingerprintSignIn(): Promise<{
  fingerprint_signin_p99_ms: number;
  fingerprint_signin_p50_ms: number;
  fingerprint_signin_codec_p99_ms: number;
  fingerprint_signin_codec_p50_ms: number;
  fingerprint_signin_runs: number;
  fingerprint_signin_codec_runs: number;
  fingerprint_enrolled_templates: number;
}> {
  const socat = findExecutable('socat');
  if (!socat) throw new Error('the fingerprint bench needs socat (apt-get install -y socat)');
  const dir = mkdtempSync(join(tmpdir(), 'devpay-bench-fingerprint-'));
  const pair = await startPtyPair(socat, dir);
  const module = new SimR30xModule({ random: seededRandom(2026) });
  const attached = await SimR30xPtyModule.open(pair.devicePath, module);
  const reader = new R30xFingerprintReader({ descriptor: `serial:${pair.hostPath}`, openLink: serialFingerprintLink(pair.hostPath) });
  try {
    for (let fingerIndex = 0; fingerIndex < enrolledFingers; fingerIndex += 1) {
      module.placeFinger(fingerIndex);
      const onStep = (step: EnrolStep): void => {
        if (step === 'remove_finger') module.placeFinger(null);
        if (step === 'place_again') module.placeFinger(fingerIndex);
      };
      const enrolled = await reader.enrol(fingerIndex, { ...call, onStep });
      if (enrolled.type !== 'enrolled') throw new Error(`enrolling finger ${fingerIndex}: ${enrolled.type}`);
    }
    const codec = await measureIdentify(reader, module, codecRuns);
    module.realisticTiming = true;
    const realistic = await measureIdentify(reader, module, realisticRuns);
    return {
      fingerprint_signin_p99_ms: percentileMs(realistic, 0.99),
      fingerprint_signin_p50_ms: percentileMs(realistic, 0.5),
      fingerprint_signin_codec_p99_ms: percentileMs(codec, 0.99),
      fingerprint_signin_codec_p50_ms: percentileMs(codec, 0.5),
      fingerprint_signin_runs: realisticRuns,
      fingerprint_signin_codec_runs: codecRuns,
      fingerprint_enrolled_templates: enrolledFingers,
    };
  } finally {
    await reader.close();
    await attached.close();
    await pair.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${JSON.stringify({ bench: 'fingerprint-serial', ...(await benchFingerprintSignIn()) })}\n`);
}
