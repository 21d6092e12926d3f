// 10,000 fuzzed card answers through the real payment flow, offline, with a real ledger and
// reserve tokens for every ATC the card could name: random bytes, and genuine answers with bytes
// flipped, cut short, extended or fields repeated. Each must end declined with a named reason,
// nothing may be posted and no token spent, and the flow must keep working: a genuine tap every
// hundred must still be approved. One seed drives it; a failure prints the seed and the bytes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualClock, seededRandom, toHex, type Random } from '../../core/clock.js';
import { createUlidFactory } from '../../core/ids.js';
import { declineReasonCodes } from '../../core/card/decline-reasons.js';
import type { PaymentUpdate } from '../../core/api/payment.js';
import { DeviceError, type CallOptions, type CardEvent, type CardReader } from '../../device/capabilities.js';
import { DeviceManager } from '../../device/device-manager.js';
import { DevpayCard } from '../../drivers/sim/devpay-card.js';
import { openTestLedger } from '../../ledger/test-ledger.js';
import { ReserveStore } from '../../ledger/reserve-store.js';
import { PaymentFlow } from '../../runtime/payment/payment-flow.js';
import { createLogger } from '../../runtime/logger.js';
import { issueTestReserve, testCardMaster, testReserveKeys, generousLimits } from './card-test-kit.js';

const seed = Number(process.env.DEVPAY_FUZZ_SEED ?? 5);
const tapCount = 10_000;

/** A reader whose card answers SELECT truthfully and GENERATE with whatever the fuzzer makes of the genuine answer. */
class FuzzReader implements CardReader {
  readonly info = { descriptor: 'sim:fuzz-reader', kind: 'card_reader', name: 'fuzz reader' } as const;
  present = false;
  mutate: (genuine: Uint8Array, isGenerate: boolean) => Uint8Array = (genuine) => genuine;
  constructor(private readonly card: DevpayCard) {}
  hasCard(): boolean {
    return this.present;
  }
  private readonly listeners = new Set<(event: CardEvent) => void>();
  onCard(listener: (event: CardEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  /** The card lifted and tapped again (the flow reads a card left in the field only once). */
  retap(): void {
    for (const listener of [...this.listeners]) listener({ type: 'card_removed' });
    for (const listener of [...this.listeners]) listener({ type: 'card_present', atr: new Uint8Array() });
  }
  async transmit(command: Uint8Array, options: CallOptions): Promise<Uint8Array> {
    void options;
    if (!this.present) throw new DeviceError('not_present', 'no card');
    return this.mutate(this.card.respond(command), command[1] === 0xae);
  }
  health() {
    return { health: 'ok' as const, detail: 'fuzz' };
  }
  async close(): Promise<void> {}
}

function nextInt(random: Random, bound: number): number {
  if (bound <= 0) return 0;
  const [a, b, c] = random.bytes(3);
  return ((a! << 16) | (b! << 8) | c!) % bound;
}

function mutation(random: Random, genuine: Uint8Array): Uint8Array {
  const pick = nextInt(random, 6);
  const bytes = new Uint8Array(genuine);
  if (pick === 0) return random.bytes(nextInt(random, 300));
  if (pick === 1 || pick === 2) {
    const flips = 1 + nextInt(random, 3);
    for (let index = 0; index < flips; index += 1) bytes[nextInt(random, bytes.length)]! ^= 1 + nextInt(random, 255);
    return bytes;
  }
  if (pick === 3) return bytes.slice(0, nextInt(random, bytes.length));
  if (pick === 4) return Uint8Array.from([...bytes.slice(0, -2), ...random.bytes(1 + nextInt(random, 8)), ...bytes.slice(-2)]);
  // A field repeated: the first field's header and value again before the status word.
  return Uint8Array.from([...bytes.slice(0, -2), ...bytes.slice(0, 2 + (bytes[1] ?? 0)), ...bytes.slice(-2)]);
}

test(`${tapCount} fuzzed card answers are each declined by name and post nothing (seed ${seed})`, { timeout: 300_000 }, async () => {
  const { ledger } = await openTestLedger(seed);
  const clock = manualClock(1_795_000_000_000);
  const random = seededRandom(seed);
  // The card's PIN challenges (in every SELECT answer) come from the seed too, so a seed replays exactly.
  const cardRandom = seededRandom(seed + 3);
  const card = new DevpayCard(Uint8Array.from([9, 8, 7, 6, 5, 4, 3, 2]), testCardMaster.cardKeyOf(Uint8Array.from([9, 8, 7, 6, 5, 4, 3, 2])), 0, {
    randomBytes: (length) => cardRandom.bytes(length),
  });
  const reserve = new ReserveStore(ledger, testReserveKeys.publicKey);
  await reserve.load();
  // Tokens for every ATC the fuzzing can reach, so a decline is never just a missing token.
  await issueTestReserve(reserve, ledger.owner, card, tapCount + 10, clock.nowMs());
  const devices = new DeviceManager();
  const reader = new FuzzReader(card);
  devices.add(reader);
  let last: PaymentUpdate | null = null;
  const flow = new PaymentFlow({
    terminalId: ledger.owner,
    devices,
    ledger,
    reserve,
    cardSync: null,
    clock,
    random: seededRandom(seed + 1),
    nextId: createUlidFactory(clock, seededRandom(seed + 2)),
    logger: createLogger({ level: 'silent' }),
    limits: () => generousLimits,
    isRevoked: () => false,
    lastCentralContactMs: () => clock.nowMs(),
    centralReachable: () => false,
    publish: (update) => (last = update),
    currentOperatorId: () => null,
  });
  const run = async (): Promise<PaymentUpdate> => {
    flow.start(1000n, 'USD');
    reader.retap();
    while (flow.inProgress()) await new Promise((resolve) => setImmediate(resolve));
    return last!;
  };
  reader.present = true;
  const availableBefore = reserve.totalAvailable();
  let approvals = 0;
  const reasons = new Map<string, number>();
  for (let index = 0; index < tapCount; index += 1) {
    const genuineTap = index % 100 === 99;
    let sent: Uint8Array = new Uint8Array();
    reader.mutate = (genuine, isGenerate) => {
      if (genuineTap || (!isGenerate && nextInt(random, 4) !== 0)) return genuine;
      sent = mutation(random, genuine);
      return sent;
    };
    const update = await run();
    if (genuineTap) {
      assert.equal(update.state, 'approved', `genuine tap ${index} approved (seed ${seed}): ${update.reason}`);
      approvals += 1;
      continue;
    }
    assert.equal(update.state, 'declined', `fuzzed answer ${toHex(sent)} was not declined (seed ${seed}, tap ${index})`);
    assert.ok(update.reason && (declineReasonCodes as readonly string[]).includes(update.reason), `named reason for ${toHex(sent)}`);
    reasons.set(update.reason, (reasons.get(update.reason) ?? 0) + 1);
  }
  const transactions = await ledger.transactions.count();
  assert.equal(transactions, approvals, 'only the genuine taps were posted');
  assert.equal(reserve.totalAvailable(), availableBefore - approvals, 'only the genuine taps spent tokens');
  assert.ok((reasons.get('card_protocol_error') ?? 0) > 1000 && (reasons.get('session_token_invalid') ?? 0) > 100, `a spread of reasons: ${JSON.stringify([...reasons])}`);
  await ledger.close();
});
