// Online authorization through Debian's mosquitto (passwords and ACLs as in the tests) and
// central as its own `devpay central` process, issuing the simulator's five cards from the
// bench's master key. Each tap: the card's GENERATE through the codec, then the timed round
// trip of CardSync.authorize (request → central checks the cryptogram and claims the ATC
// durably → signed answer), and, as the payment flow does next, the approval recorded in the
// terminal's ledger.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { toHex } from '../../core/clock.js';
import { silentLog } from '../../core/log-sink.js';
import { maskPan, sessionTokenValid } from '../../core/card/offline-checks.js';
import { encodeTerminalData } from '../../core/card/terminal-data.js';
import { simCardCurrency } from '../../central/central-node.js';
import { DevpayCard } from '../../drivers/sim/devpay-card.js';
import { recordOnlineApproval } from '../../ledger/card-payments.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { CardSync } from '../../sync/card-sync.js';
import { MqttLink } from '../../sync/mqtt-link.js';
import { startDevpay } from '../../test/harness/devpay-process.js';
import { centralBrokerUser, startMosquitto, terminalBrokerUser } from '../../test/harness/mosquitto.js';
import { findExecutable } from '../../test/harness/require-tool.js';
import type { OfflineTerminal } from './offline-terminal.js';
import { summary, tapThroughCodec, terminalDataFor, waitFor, type BenchKeys, type Cleanup } from './shared.js';

export interface OnlinePhaseInput {
  terminal: OfflineTerminal;
  terminalId: string;
  keys: BenchKeys;
  masterHex: string;
  simCards: number;
  warmupAuthorizations: number;
  authorizations: number;
  cleanup: Cleanup;
}

export async function runOnlinePhase(input: OnlinePhaseInput): Promise<Record<string, unknown>> {
  const binary = findExecutable('mosquitto');
  if (!binary) throw new Error('the tap benchmark needs Debian mosquitto (apt-get install mosquitto)');
  const { terminalId, cleanup } = input;
  const mqttDir = mkdtempSync(join(tmpdir(), 'devpay-bench-tap-mqtt-'));
  cleanup.add('mosquitto folder', () => rmSync(mqttDir, { recursive: true, force: true }));
  const broker = await startMosquitto(binary, mqttDir, [
    terminalBrokerUser(terminalId, 'pw-terminal'),
    centralBrokerUser('pw-central'),
  ]);
  cleanup.add('mosquitto', () => broker.stop());
  const centralDir = mkdtempSync(join(tmpdir(), 'devpay-bench-tap-central-'));
  cleanup.add('central folder', () => rmSync(centralDir, { recursive: true, force: true }));
  const central = await startDevpay(['central', '--data', centralDir, '--mqtt', `127.0.0.1:${broker.port}`, '--mqtt-user', 'central', '--sim-cards', String(input.simCards)], {
    readyPattern: /(DevPay central is answering)/,
    env: { DEVPAY_MQTT_PASSWORD: 'pw-central', DEVPAY_SYNC_MASTER_KEY: input.masterHex },
  });
  cleanup.add('central', () => central.stop());

  const link = new MqttLink({ brokerUrl: broker.url, protocolVersion: 5, username: terminalId, password: 'pw-terminal', terminalId, syncKey: input.keys.syncKey, clock: systemClock, random: systemRandom, log: silentLog });
  const cardSync = new CardSync({ link, terminalId, key: input.keys.syncKey, reserve: input.terminal.reserve, log: silentLog });
  cleanup.add('mqtt link', () => link.stop());
  link.start();
  await waitFor('central to be reachable over the link', 20_000, () => (link.status().centralReachable ? true : undefined));

  const cards = Array.from({ length: input.simCards }, (_, index) => {
    const cardId = input.keys.cardId(index);
    return { card: new DevpayCard(cardId, input.keys.cardKey(cardId)), currency: simCardCurrency(index) };
  });
  const authorize: number[] = [];
  const flow: number[] = [];
  for (let index = 0; index < input.warmupAuthorizations + input.authorizations; index += 1) {
    const { card, currency } = cards[index % cards.length]!;
    const amountMinor = BigInt(100 + (index % 900));
    const terminalData = terminalDataFor(terminalId, amountMinor, currency, systemClock.nowMs());
    const tap = tapThroughCodec(card, terminalData);
    const terminalDataBytes = encodeTerminalData(terminalData);
    if (!sessionTokenValid(tap, terminalDataBytes)) throw new Error(`online tap ${index}: session token invalid`);
    const paymentId = input.terminal.nextId();
    // As the payment flow's tryOnline builds the card details.
    const details = { cardId: toHex(tap.cardId), atc: tap.atc, panMasked: maskPan(tap.pan), cryptogram: toHex(tap.cryptogram), terminalData: toHex(terminalDataBytes), mode: 'online' as const };
    const started = performance.now();
    const answer = await cardSync.authorize({ paymentId, amountMinor, currency, card: details }, 5000);
    const answeredMs = performance.now() - started;
    if (answer.outcome !== 'approved') throw new Error(`online authorization of card ${details.cardId} ATC ${tap.atc} declined: ${answer.reason}`);
    const recorded = await recordOnlineApproval(input.terminal.ledger, input.terminal.reserve, { paymentId, tap, amountMinor, currency, terminalData: terminalDataBytes, nowMs: systemClock.nowMs() });
    const flowMs = performance.now() - started;
    if (recorded.outcome !== 'approved' || recorded.repeated) throw new Error(`online approval of card ${details.cardId} ATC ${tap.atc} not recorded: ${JSON.stringify(recorded.outcome === 'declined' ? recorded.reason : 'repeated')}`);
    if (index < input.warmupAuthorizations) continue;
    authorize.push(answeredMs);
    flow.push(flowMs);
  }
  return {
    online_authorizations: authorize.length,
    ...summary('online', authorize),
    ...summary('online_flow', flow),
  };
}
