// The full tap through the real PC/SC stack: nfc-pcsc → pcscd → vsmartcard-vpcd → a DevpayCard
// served over vpcd's socket by VpcdCardBridge. The card stays in the field; each tap is
// SELECT + GENERATE through the pcsc: reader, then the offline decision on the terminal's ledger.
// Without pcscd or vpcd the phase answers a reason instead of figures. vpcd's port is never
// probed (vpcd takes any connection on it for a card); PcscService is built only after pcscd's
// socket exists, which startPcscd waits for.
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { CurrencyCode } from '../../core/currency.js';
import { encodeTerminalData } from '../../core/card/terminal-data.js';
import type { CardReader } from '../../device/capabilities.js';
import { DeviceManager } from '../../device/device-manager.js';
import { readDevpayCard } from '../../device/devpay-card-reading.js';
import { PcscService } from '../../drivers/pcsc/pcsc-service.js';
import type { DevpayCard } from '../../drivers/sim/devpay-card.js';
import { VpcdCardBridge } from '../../drivers/sim/vpcd-card-bridge.js';
import { systemClock } from '../../runtime/system-clock.js';
import { startPcscd, vpcdDriverPath } from '../../test/harness/pcscd.js';
import { findExecutable } from '../../test/harness/require-tool.js';
import type { OfflineTerminal } from './offline-terminal.js';
import { summary, terminalDataFor, waitFor, type Cleanup } from './shared.js';

export interface PcscPhaseInput {
  terminal: OfflineTerminal;
  terminalId: string;
  card: DevpayCard;
  currency: CurrencyCode;
  warmupTaps: number;
  taps: number;
  cleanup: Cleanup;
}

export async function runPcscPhase(input: PcscPhaseInput): Promise<Record<string, unknown>> {
  const pcscdBinary = findExecutable('pcscd');
  if (!pcscdBinary) return { pcsc_p50_ms: null, pcsc_p99_ms: null, pcsc_skipped: 'pcscd not found (apt-get install pcscd)' };
  if (!existsSync(vpcdDriverPath)) return { pcsc_p50_ms: null, pcsc_p99_ms: null, pcsc_skipped: `vpcd driver ${vpcdDriverPath} not found (apt-get install vsmartcard-vpcd)` };

  let reader: CardReader;
  const warnings: string[] = [];
  const bridgeErrors: string[] = [];
  let pcscdStartedHere = false;
  try {
    const pcscd = await startPcscd(pcscdBinary);
    pcscdStartedHere = pcscd.startedHere;
    input.cleanup.add('pcscd', () => pcscd.stop());
    const devices = new DeviceManager();
    const service = new PcscService({ devices, onWarning: (message) => warnings.push(message) });
    input.cleanup.add('pcsc service', () => service.close());
    service.start();
    const bridge = new VpcdCardBridge(input.card, { port: pcscd.vpcdPort, onError: (error) => bridgeErrors.push(error.message) });
    input.cleanup.add('vpcd bridge', () => bridge.close());
    reader = await waitFor('the vpcd reader with the card in its field', 20_000, () =>
      devices.all().find((device): device is CardReader => device.info.kind === 'card_reader' && device.info.descriptor.startsWith('pcsc:Virtual') && (device as CardReader).hasCard?.() === true),
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`tap bench: the PC/SC path is unavailable: ${reason}\n`);
    return { pcsc_p50_ms: null, pcsc_p99_ms: null, pcsc_skipped: `PC/SC setup failed: ${reason}`, pcsc_warnings: warnings, pcsc_bridge_errors: bridgeErrors };
  }

  const full: number[] = [];
  const read: number[] = [];
  for (let index = 0; index < input.warmupTaps + input.taps; index += 1) {
    const amountMinor = BigInt(100 + (index % 900));
    const terminalData = terminalDataFor(input.terminalId, amountMinor, input.currency, systemClock.nowMs());
    const started = performance.now();
    const tap = await readDevpayCard(reader, terminalData, { exchangeTimeoutMs: 2000 });
    const readMs = performance.now() - started;
    await input.terminal.decide(tap, amountMinor, input.currency, encodeTerminalData(terminalData));
    const fullMs = performance.now() - started;
    if (index < input.warmupTaps) continue;
    full.push(fullMs);
    read.push(readMs);
  }
  if (input.card.atc !== input.warmupTaps + input.taps) throw new Error(`the card generated ${input.card.atc} times for ${input.warmupTaps + input.taps} taps`);
  return {
    pcsc_taps: full.length,
    ...summary('pcsc', full),
    ...summary('pcsc_read', read),
    pcsc_reader: reader.info.name,
    pcscd_started_here: pcscdStartedHere,
    ...(warnings.length > 0 ? { pcsc_warnings: warnings } : {}),
    ...(bridgeErrors.length > 0 ? { pcsc_bridge_errors: bridgeErrors } : {}),
  };
}
