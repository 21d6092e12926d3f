// `npm run bench -- tap`: the card tap's latency, three ways. Prints one JSON object.
//   offline_p50_ms / offline_p99_ms: the offline decision with 100,000 reserve tokens held, from
//     card data parsed to durable post: approveOffline (token re-read, central's signature checked
//     again through the Merkle proof, commitment, PAN/CVV, limits, then the payment, the spent
//     token and the audit entry in one durable unit). offline_flow_*: the same plus the payment
//     flow's checks before it (session token, early spent check). Sequential taps, one counter.
//     Tokens: 12,500 cards × 8 ATCs, in signed batches of 256 ingested durably beforehand.
//   pcsc_p50_ms / pcsc_p99_ms: the full tap through nfc-pcsc → pcscd → vsmartcard-vpcd → a
//     DevpayCard over vpcd's socket, card staying in the field: SELECT + GENERATE + the offline
//     decision. pcsc_read_*: the two APDU exchanges alone. Null with pcsc_skipped when pcscd or
//     vpcd is missing.
//   online_p50_ms / online_p99_ms: CardSync.authorize round trip through Debian's mosquitto to
//     `devpay central` in its own process (cryptogram checked, ATC claimed durably, signed
//     answer). online_flow_*: plus recording the approval in the terminal's ledger.
//   rss_mb: the terminal's RSS with the 100,000 tokens held: its ledger and reserve store opened
//     in a fresh process (terminal_open_ms); bench_process_rss_mb is this process's own.
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { toHex } from '../core/clock.js';
import type { CurrencyCode } from '../core/currency.js';
import { encodeTerminalData } from '../core/card/terminal-data.js';
import { readDevpayCard } from '../device/devpay-card-reading.js';
import { DevpayCard } from '../drivers/sim/devpay-card.js';
import { SimCardReader } from '../drivers/sim/sim-card-reader.js';
import { systemClock, systemRandom } from '../runtime/system-clock.js';
import { openOfflineTerminal, type OfflineTerminal } from './tap/offline-terminal.js';
import { runOnlinePhase } from './tap/online-phase.js';
import { runPcscPhase } from './tap/pcsc-phase.js';
import { benchKeys, benchMasterHex, benchTerminalId, Cleanup, rssMb, signBatches, summary, terminalDataFor, tokenFor, type BenchKeys, type TokenPlan } from './tap/shared.js';

const reserveCards = 12_500;
const atcsPerCard = 8;
const offlineWarmupTaps = 20;
const offlineTaps = 2000;
const pcscWarmupTaps = 5;
const pcscTaps = 300;
const onlineWarmup = 20;
const onlineAuthorizations = 1000;
const simCards = 5;
/** Reserve cards' ids are the simulator's ids from this index on, clear of central's sim cards. */
const reserveCardBase = 1000;
/** The card served through vpcd: its own 305 tokens, so it can stay in the field for every tap. */
const pcscCardIndex = 900_000;
const currency: CurrencyCode = 'EUR';
/** Coprime with reserveCards, so the taps visit distinct cards spread over the whole set. */
const tapStride = 7919;

function tokenPlan(): TokenPlan {
  return { currency, capMinor: '100000', expiresAtMs: systemClock.nowMs() + 7 * 24 * 60 * 60 * 1000 };
}

async function ingestReserve(terminal: OfflineTerminal, keys: BenchKeys): Promise<Record<string, number>> {
  const plan = tokenPlan();
  const started = performance.now();
  const tokens = [];
  for (let card = 0; card < reserveCards; card += 1) {
    const cardId = keys.cardId(reserveCardBase + card);
    for (let atc = 1; atc <= atcsPerCard; atc += 1) tokens.push(tokenFor(keys, cardId, atc, plan));
  }
  const batches = signBatches(keys, benchTerminalId, 'tapbench', tokens, systemClock.nowMs());
  const issueS = (performance.now() - started) / 1000;
  const ingestStarted = performance.now();
  const inserted = await terminal.ingest(batches);
  const ingestS = (performance.now() - ingestStarted) / 1000;
  if (inserted !== reserveCards * atcsPerCard || terminal.reserve.totalAvailable() !== inserted) {
    throw new Error(`ingested ${inserted} tokens, ${terminal.reserve.totalAvailable()} available; expected ${reserveCards * atcsPerCard}`);
  }
  return { reserve_batches: batches.length, reserve_issue_s: Number(issueS.toFixed(3)), reserve_ingest_s: Number(ingestS.toFixed(3)), reserve_ingest_tokens_per_s: Math.round(inserted / ingestS) };
}

async function runOfflinePhase(terminal: OfflineTerminal, keys: BenchKeys): Promise<Record<string, unknown>> {
  const reader = new SimCardReader({ random: systemRandom, minLatencyMs: 0, maxLatencyMs: 0, faultPerMille: 0 });
  const unit: number[] = [];
  const decision: number[] = [];
  const tokensHeld = terminal.reserve.totalAvailable();
  for (let index = 0; index < offlineWarmupTaps + offlineTaps; index += 1) {
    const cardIndex = reserveCardBase + ((index * tapStride) % reserveCards);
    const cardId = keys.cardId(cardIndex);
    const card = new DevpayCard(cardId, keys.cardKey(cardId));
    const amountMinor = BigInt(100 + (index % 900));
    const terminalData = terminalDataFor(benchTerminalId, amountMinor, currency, systemClock.nowMs());
    reader.tap(card);
    const tap = await readDevpayCard(reader, terminalData, { exchangeTimeoutMs: 1000 });
    reader.removeCard();
    // The clock starts here: the card's answer is parsed, nothing decided yet.
    const timed = await terminal.decide(tap, amountMinor, currency, encodeTerminalData(terminalData));
    if (index < offlineWarmupTaps) continue;
    unit.push(timed.unitMs);
    decision.push(timed.decisionMs);
  }
  await reader.close();
  const expectedLeft = tokensHeld - offlineWarmupTaps - offlineTaps;
  if (terminal.reserve.totalAvailable() !== expectedLeft) throw new Error(`${terminal.reserve.totalAvailable()} tokens left after the taps; expected ${expectedLeft}`);
  return { tokens_held: tokensHeld, offline_taps: unit.length, ...summary('offline', unit), ...summary('offline_flow', decision), tokens_left: expectedLeft };
}

/** Opens the terminal's ledger and reserve store in a fresh process (bundled by esbuild, as shipped). */
function openInFreshProcess(dataDir: string, dataKey: Uint8Array): { openMs: number; rssMb: number; tokens: number } {
  const bundle = join(import.meta.dirname, '..', 'dist', 'bench', 'ledger-open.mjs');
  buildSync({ entryPoints: [join(import.meta.dirname, 'ledger-open.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: bundle, logLevel: 'warning' });
  const child = spawnSync(process.execPath, [bundle, dataDir, '--data-key', toHex(dataKey), '--reserve'], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`opening the terminal ledger failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { openMs: number; rssMb: number; tokens: number };
}

export async function runTapBench(): Promise<Record<string, unknown>> {
  const started = performance.now();
  const keys = benchKeys();
  const cleanup = new Cleanup();
  try {
    const terminal = await openOfflineTerminal(keys, benchTerminalId);
    cleanup.add('terminal ledger', () => terminal.close());
    const reserve = await ingestReserve(terminal, keys);
    const offline = await runOfflinePhase(terminal, keys);
    const afterOffline = { rssMb: rssMb(), heapUsedMb: Number((process.memoryUsage().heapUsed / 1024 / 1024).toFixed(1)) };

    const pcscCardId = keys.cardId(pcscCardIndex);
    const pcscTokens = Array.from({ length: pcscWarmupTaps + pcscTaps }, (_, index) => tokenFor(keys, pcscCardId, index + 1, tokenPlan()));
    await terminal.ingest(signBatches(keys, benchTerminalId, 'tapbench-pcsc', pcscTokens, systemClock.nowMs()));
    const pcscCleanup = new Cleanup();
    let pcsc: Record<string, unknown>;
    try {
      pcsc = await runPcscPhase({ terminal, terminalId: benchTerminalId, card: new DevpayCard(pcscCardId, keys.cardKey(pcscCardId)), currency, warmupTaps: pcscWarmupTaps, taps: pcscTaps, cleanup: pcscCleanup });
    } finally {
      await pcscCleanup.run();
    }

    const online = await runOnlinePhase({ terminal, terminalId: benchTerminalId, keys, masterHex: benchMasterHex, simCards, warmupAuthorizations: onlineWarmup, authorizations: onlineAuthorizations, cleanup });
    await terminal.closeLedger();
    const reopened = openInFreshProcess(terminal.dataDir, terminal.dataKey);
    return {
      bench: 'tap',
      offline_p50_ms: offline.offline_p50_ms,
      offline_p99_ms: offline.offline_p99_ms,
      pcsc_p50_ms: pcsc.pcsc_p50_ms,
      pcsc_p99_ms: pcsc.pcsc_p99_ms,
      online_p50_ms: online.online_p50_ms,
      online_p99_ms: online.online_p99_ms,
      // The terminal's memory with the tokens held: its ledger opened in a fresh process running
      // the code as it ships. The bench process's own RSS (issuance garbage included) follows.
      rss_mb: reopened.rssMb,
      terminal_open_ms: Number(reopened.openMs.toFixed(1)),
      terminal_open_tokens: reopened.tokens,
      bench_process_rss_mb: afterOffline.rssMb,
      heap_used_mb: afterOffline.heapUsedMb,
      ...offline,
      ...reserve,
      ...pcsc,
      ...online,
      total_s: Number(((performance.now() - started) / 1000).toFixed(1)),
    };
  } finally {
    await cleanup.run();
  }
}
