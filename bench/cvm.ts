// The cost of the cardholder's PIN at the counter, through the real PC/SC stack: nfc-pcsc →
// pcscd → vsmartcard-vpcd → a DevpayCard served over vpcd's socket. Taps alternate, same amount
// and path, without the PIN (SELECT, GENERATE) and with it (SELECT, the PIN pad's sealing under
// the challenge SELECT answered, VERIFY, GENERATE: the payment flow's first try), each followed by
// what the payment flow does with the answer (the session token and the CVM check). Human entry
// time is not measured: the bench seals the PIN as the PIN pad would the moment SELECT answers.
// cvm_tap_p99_ms is the p99 with the PIN minus the p99 without (cvm_tap_p50_ms the same at p50);
// cvm_exchanges_* time the added part alone (sealing and VERIFY), and cvm_tap_codec_* the same
// difference with the card answered in process, without PC/SC. Through vpcd each exchange costs
// tens of milliseconds (Debian's vpcd sends a command's length and body in two writes, and the
// body waits for our delayed ACK), so the PIN's one added exchange is most of the PC/SC figure and
// the codec figure is the PIN's own work.
// Standalone: node --import tsx bench/cvm.ts [taps]
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sessionTokenValid } from '../core/card/offline-checks.js';
import { sealPin } from '../core/card/pin-encipherment.js';
import { encodeTerminalData } from '../core/card/terminal-data.js';
import type { CardReader } from '../device/capabilities.js';
import { DeviceManager } from '../device/device-manager.js';
import { generateOnCard, selectDevpayCard, verifyPin } from '../device/devpay-card-reading.js';
import { generateCommand, parseGenerateResponse, parseSelectResponse, selectCommand } from '../device/devpay-card-apdu.js';
import { parseVerifyResponse, verifyCommand } from '../device/devpay-card-verify.js';
import { PcscService } from '../drivers/pcsc/pcsc-service.js';
import { DevpayCard } from '../drivers/sim/devpay-card.js';
import { simCardPin } from '../drivers/sim/devpay-card-pin.js';
import { VpcdCardBridge } from '../drivers/sim/vpcd-card-bridge.js';
import { systemClock, systemRandom } from '../runtime/system-clock.js';
import { startPcscd, vpcdDriverPath } from '../test/harness/pcscd.js';
import { findExecutable } from '../test/harness/require-tool.js';
import { benchKeys, benchTerminalId, Cleanup, percentileMs, summary, terminalDataFor, waitFor } from './tap/shared.js';

export interface CvmBenchResult {
  cvm_tap_p99_ms: number;
  cvm_tap_p50_ms: number;
  tap_p50_ms: number;
  tap_p99_ms: number;
  tap_with_pin_p50_ms: number;
  tap_with_pin_p99_ms: number;
  cvm_exchanges_p50_ms: number;
  cvm_exchanges_p99_ms: number;
  /** The same difference with the card answered in process (no PC/SC): the card's and the PIN pad's own work. */
  cvm_tap_codec_p50_ms: number;
  cvm_tap_codec_p99_ms: number;
  taps_each: number;
  pcsc_reader: string;
  pcscd_started_here: boolean;
}

const options = { exchangeTimeoutMs: 2000 };

export async function benchCvmTap(tapsEach = 300, warmupTaps = 20): Promise<CvmBenchResult> {
  const pcscdBinary = findExecutable('pcscd');
  if (!pcscdBinary) throw new Error('pcscd not found (apt-get install pcscd)');
  if (!existsSync(vpcdDriverPath)) throw new Error(`vpcd driver ${vpcdDriverPath} not found (apt-get install vsmartcard-vpcd)`);
  const cleanup = new Cleanup();
  try {
    const keys = benchKeys();
    const cardId = keys.cardId(0);
    const cardKey = keys.cardKey(cardId);
    const card = new DevpayCard(cardId, cardKey);
    const pin = simCardPin(cardKey);
    const pcscd = await startPcscd(pcscdBinary);
    cleanup.add('pcscd', () => pcscd.stop());
    const devices = new DeviceManager();
    const service = new PcscService({ devices, onWarning: () => undefined });
    cleanup.add('pcsc service', () => service.close());
    service.start();
    const bridge = new VpcdCardBridge(card, { port: pcscd.vpcdPort, onError: () => undefined });
    cleanup.add('vpcd bridge', () => bridge.close());
    const reader = await waitFor('the vpcd reader with the card in its field', 20_000, () =>
      devices.all().find((device): device is CardReader => device.info.kind === 'card_reader' && device.info.descriptor.startsWith('pcsc:Virtual') && (device as CardReader).hasCard?.() === true),
    );

    const without: number[] = [];
    const withPin: number[] = [];
    const exchanges: number[] = [];
    for (let index = 0; index < 2 * (warmupTaps + tapsEach); index += 1) {
      const pinned = index % 2 === 1;
      // The same amount for both kinds of tap, above the USD online CVM limit.
      const terminalData = terminalDataFor(benchTerminalId, 15_000n, 'USD', systemClock.nowMs());
      const started = performance.now();
      const selection = await selectDevpayCard(reader, options);
      let exchangeMs = 0;
      if (pinned) {
        const exchangeStarted = performance.now();
        const envelope = sealPin(pin, selection.pinKey, selection.pinChallenge, (length) => systemRandom.bytes(length));
        const verified = await verifyPin(reader, envelope, options);
        if (verified.result !== 'verified') throw new Error(`tap ${index}: VERIFY answered ${verified.result}`);
        exchangeMs = performance.now() - exchangeStarted;
      }
      const tap = await generateOnCard(reader, selection, terminalData, options);
      if (!sessionTokenValid(tap, encodeTerminalData(terminalData))) throw new Error(`tap ${index}: session token invalid`);
      if (tap.cvm !== (pinned ? 'card_pin' : 'none')) throw new Error(`tap ${index}: the card reported ${tap.cvm}`);
      const elapsedMs = performance.now() - started;
      if (index < 2 * warmupTaps) continue;
      if (pinned) {
        withPin.push(elapsedMs);
        exchanges.push(exchangeMs);
      } else {
        without.push(elapsedMs);
      }
    }
    if (card.pin.triesLeft !== 3) throw new Error('the bench entered a wrong PIN');
    const codec = codecDifference(new DevpayCard(cardId, cardKey), pin, tapsEach, warmupTaps);
    const plain = summary('tap', without);
    const pinnedSummary = summary('tap_with_pin', withPin);
    const exchangeSummary = summary('cvm_exchanges', exchanges);
    const tapP50 = plain.tap_p50_ms!;
    const tapP99 = plain.tap_p99_ms!;
    const pinP50 = pinnedSummary.tap_with_pin_p50_ms!;
    const pinP99 = pinnedSummary.tap_with_pin_p99_ms!;
    return {
      cvm_tap_p99_ms: Number((pinP99 - tapP99).toFixed(3)),
      cvm_tap_p50_ms: Number((pinP50 - tapP50).toFixed(3)),
      tap_p50_ms: tapP50,
      tap_p99_ms: tapP99,
      tap_with_pin_p50_ms: pinP50,
      tap_with_pin_p99_ms: pinP99,
      cvm_exchanges_p50_ms: percentileMs(exchanges, 0.5)!,
      cvm_exchanges_p99_ms: exchangeSummary.cvm_exchanges_p99_ms!,
      cvm_tap_codec_p50_ms: codec.p50Ms,
      cvm_tap_codec_p99_ms: codec.p99Ms,
      taps_each: without.length,
      pcsc_reader: reader.info.name,
      pcscd_started_here: pcscd.startedHere,
    };
  } finally {
    await cleanup.run();
  }
}

/** The PIN's added cost with the card answered in process: sealing and VERIFY (opening included). */
function codecDifference(card: DevpayCard, pin: string, tapsEach: number, warmupTaps: number): { p50Ms: number; p99Ms: number } {
  const samples = { without: [] as number[], with: [] as number[] };
  for (let index = 0; index < 2 * (warmupTaps + tapsEach); index += 1) {
    const pinned = index % 2 === 1;
    const terminalData = terminalDataFor(benchTerminalId, 15_000n, 'USD', systemClock.nowMs());
    const started = performance.now();
    const selection = parseSelectResponse(card.respond(selectCommand()));
    if (pinned) {
      const envelope = sealPin(pin, selection.pinKey, selection.pinChallenge, (length) => systemRandom.bytes(length));
      if (parseVerifyResponse(card.respond(verifyCommand(envelope))).result !== 'verified') throw new Error('codec VERIFY failed');
    }
    const tap = parseGenerateResponse(card.respond(generateCommand(terminalData)), selection.cardId);
    if (!sessionTokenValid(tap, encodeTerminalData(terminalData))) throw new Error('codec session token invalid');
    if (index >= 2 * warmupTaps) (pinned ? samples.with : samples.without).push(performance.now() - started);
  }
  const difference = (fraction: number): number => Number((percentileMs(samples.with, fraction)! - percentileMs(samples.without, fraction)!).toFixed(3));
  return { p50Ms: difference(0.5), p99Ms: difference(0.99) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const taps = Number(process.argv[2] ?? 300);
  process.stdout.write(`${JSON.stringify(await benchCvmTap(taps), null, 2)}\n`);
  process.exit(0);
}
