// Card payments end to end through the real PC/SC stack: the terminal runtime in this process
// reads DevPay cards through nfc-pcsc → pcscd → vsmartcard-vpcd → our virtual card on vpcd's
// socket, and talks to `devpay central` through mosquitto with ACLs and a loopback proxy that
// takes it off the link. A second, simulated terminal (also in this process) holds a clone of
// the card. Each step asserts the attempt's final state and reason: an online approval, a card
// placed while no charge is open (ignored, and not read by the next charge), a wrong
// currency, a replayed tap, a card pulled mid-exchange (nothing posted), an offline approval,
// over the card's offline cap, an expired token (the terminal's clock moved 8 days on), and a
// card revoked after its ATC turned out to be spent twice (online at the clone's terminal,
// offline here: central rejects this one at sync, reverses it, and blocks the card).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromHex, toHex, type Clock } from '../../core/clock.js';
import { sealPin } from '../../core/card/pin-encipherment.js';
import { simCardPin } from '../../drivers/sim/devpay-card-pin.js';
import type { CurrencyCode } from '../../core/currency.js';
import type { PaymentUpdate } from '../../core/api/payment.js';
import type { AlertRecord } from '../../core/api/alerts.js';
import { accountId } from '../../core/ledger/accounts.js';
import type { CardReader } from '../../device/capabilities.js';
import { DevpayCard, replayingCard } from '../../drivers/sim/devpay-card.js';
import { devpayAtr, type VirtualCard } from '../../drivers/sim/virtual-card.js';
import { computeSessionToken, cryptogramInput, sessionTokenBytes } from '../../core/card/card-crypto.js';
import { terminalDataBytes } from '../../core/card/terminal-data.js';
import { parseGenerateResponse, parseSelectResponse } from '../../device/devpay-card-apdu.js';
import { VpcdCardBridge } from '../../drivers/sim/vpcd-card-bridge.js';
import { openLedger, type Ledger } from '../../ledger/ledger.js';
import { createLogger } from '../../runtime/logger.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { TerminalRuntime } from '../../runtime/terminal-runtime.js';
import { attachApiSession, type ApiSession } from '../harness/api-session.js';
import { assertLedgerVerifies, cardKeys, Cleanup, relink, startCardBroker, startCardCentral, startProxy, terminalPassword, unlink, waitFor } from '../harness/card-rig.js';
import { freshDir } from '../harness/output-dir.js';
import { startPcscd, vpcdDriverPath } from '../harness/pcscd.js';
import { requireNativeModules, requireTools } from '../harness/require-tool.js';
import type { TcpProxy } from '../harness/tcp-proxy.js';
import type { MosquittoBroker } from '../harness/mosquitto.js';

const keys = cardKeys('a7'.repeat(16) + '3e'.repeat(16));
const card0 = keys.cardIdHex(0);
const dayMs = 24 * 60 * 60 * 1000;
const finalStates = new Set(['approved', 'declined', 'cancelled']);

/** The system clock moved by an offset the test sets (the terminal's clock going wrong, or time passing). */
function offsetClock(): Clock & { offsetMs: number } {
  const clock = {
    offsetMs: 0,
    nowMs: () => systemClock.nowMs() + clock.offsetMs,
    monotonicMs: () => systemClock.monotonicMs(),
  };
  return clock;
}

interface InProcessTerminal {
  id: string;
  dir: string;
  dataKey: Uint8Array;
  ledger: Ledger;
  runtime: TerminalRuntime;
  api: ApiSession;
  proxy: TcpProxy;
  /** Stops the runtime, then closes its ledger. */
  stop(): Promise<void>;
}

async function startTerminal(id: string, broker: MosquittoBroker, clock: Clock, options: { pcsc: boolean; simulator: boolean }, cleanup: Cleanup): Promise<InProcessTerminal> {
  const dir = freshDir(`card-pcsc-${id}`);
  const dataKey = systemRandom.bytes(32);
  const ledger = await openLedger({ dataDir: dir, owner: id, clock, random: systemRandom, dataKey });
  const closeLedger = cleanup.add(`ledger ${id}`, () => ledger.close());
  const proxy = await startProxy(broker.port, cleanup);
  const runtime = new TerminalRuntime({
    dataDir: dir,
    mode: 'counter',
    simulator: options.simulator,
    pcsc: options.pcsc,
    broker: { url: `mqtt://127.0.0.1:${proxy.port}`, protocolVersion: 5, username: id, password: terminalPassword(id) },
    clock,
    random: systemRandom,
    logger: createLogger({ level: 'warn' }),
    heartbeatIntervalMs: 500,
    ledger,
    terminalId: id,
    syncKey: Buffer.from(keys.syncKeyHex(id), 'hex'),
    centralPublicKey: Buffer.from(keys.centralPublicKeyHex, 'hex'),
  });
  const api = attachApiSession(runtime.api);
  await runtime.start();
  const stopRuntime = cleanup.add(`runtime ${id}`, () => runtime.stop());
  return {
    id, dir, dataKey, ledger, runtime, api, proxy,
    async stop() {
      await stopRuntime();
      await closeLedger();
    },
  };
}

/**
 * A replay of a recorded tap that re-computes the session token for the terminal data it is sent:
 * the recorded GENERATE answer reveals the ATC's secret, which is the session token's key. The
 * rest (cryptogram included) is the recorded tap's, so only central could tell from the cryptogram.
 */
function resealingReplay(selectResponse: Uint8Array, generateResponse: Uint8Array): VirtualCard {
  const tap = parseGenerateResponse(generateResponse, parseSelectResponse(selectResponse).cardId);
  return {
    atr: devpayAtr,
    respond(command) {
      if (command[1] === 0xa4) return selectResponse;
      const terminalData = command.slice(5, 5 + terminalDataBytes);
      const token = computeSessionToken(tap.atcSecret, cryptogramInput(tap.cardId, tap.atc, tap.pan, tap.cvv, terminalData), tap.cryptogram);
      const resealed = generateResponse.slice();
      // The session token is the answer's last field, before the status word.
      resealed.set(token, resealed.length - 2 - sessionTokenBytes);
      return resealed;
    },
    reset() {},
  };
}

async function finalUpdate(terminal: InProcessTerminal, attemptId: string): Promise<PaymentUpdate> {
  return terminal.api.nextEvent<PaymentUpdate>('payment.updated', (update) => update.attemptId === attemptId && finalStates.has(update.state), 20_000);
}

async function waitReady(terminal: InProcessTerminal): Promise<void> {
  await waitFor(`${terminal.id} to reach central, hold its limits and card 0's reserve tokens`, 20_000, () => {
    const status = terminal.runtime.status();
    return status.link.centralReachable && status.sync.offlineLimits?.currencies.USD !== undefined && terminal.runtime.reserve.availableFor(card0) >= 8;
  }, () => ({ link: terminal.runtime.status().link, limits: terminal.runtime.status().sync.offlineLimits, tokens: terminal.runtime.reserve.availableFor(card0) }));
}

async function waitReachable(terminal: InProcessTerminal, reachable: boolean): Promise<void> {
  await waitFor(`${terminal.id} to see central ${reachable ? 'reachable' : 'unreachable'}`, 20_000, () => terminal.runtime.status().link.centralReachable === reachable, () => terminal.runtime.status().link);
}

async function waitDrained(terminal: InProcessTerminal): Promise<void> {
  await waitFor(`${terminal.id}'s outbox to drain`, 30_000, () => terminal.runtime.status().sync.unsyncedCount === 0, () => terminal.runtime.status().sync);
}

function usdMerchant(terminal: InProcessTerminal): bigint {
  return terminal.ledger.engine.balanceOf(accountId('merchant', terminal.id, 'USD'));
}

function usdClearing(terminal: InProcessTerminal): bigint {
  return terminal.ledger.engine.balanceOf(accountId('offline_clearing', terminal.id, 'USD'));
}

test('card payments end to end through real pcscd + vpcd', { timeout: 120_000 }, async (context) => {
  const tools = requireTools(context, ['mosquitto', 'mosquitto_passwd', 'pcscd', vpcdDriverPath]);
  if (!tools || !requireNativeModules(context, ['nfc-pcsc'])) return;
  const cleanup = new Cleanup();
  const bridgeErrors: string[] = [];
  try {
    const ids = ['t-pcsc-counter', 't-pcsc-clone'];
    const broker = await startCardBroker(tools[0]!, freshDir('card-pcsc-mqtt'), ids, cleanup);
    const centralDir = freshDir('card-pcsc-central');
    const central = await startCardCentral(centralDir, broker.port, keys, cleanup);
    const pcscd = await startPcscd(tools[2]!);
    cleanup.add('pcscd', () => pcscd.stop());
    const bridge = new VpcdCardBridge(null, { port: pcscd.vpcdPort, onError: (error) => bridgeErrors.push(error.message) });
    cleanup.add('vpcd bridge', () => bridge.close());

    const clock = offsetClock();
    const counter = await startTerminal(ids[0]!, broker, clock, { pcsc: true, simulator: false }, cleanup);
    const cloneTerminal = await startTerminal(ids[1]!, broker, systemClock, { pcsc: false, simulator: true }, cleanup);

    const reader = await new Promise<CardReader>((resolve, reject) => {
      const find = (): CardReader | undefined => counter.runtime.devices.all().find((device): device is CardReader => device.info.descriptor.startsWith('pcsc:Virtual%20PCD') && 'transmit' in device);
      waitFor('the vpcd reader through pcscd', 15_000, () => find() !== undefined).then(() => resolve(find()!), reject);
    });
    assert.equal(reader.hasCard?.(), false, 'no card in the field yet');
    await Promise.all([waitReady(counter), waitReady(cloneTerminal)]);

    /** A charge at the counter: started, then the card brought into the field, then taken away. */
    const charge = async (amountMinor: bigint, currency: CurrencyCode, card: VirtualCard): Promise<PaymentUpdate> => {
      assert.equal(reader.hasCard?.(), false, 'the field is empty before a charge');
      const started = counter.runtime.payments.start(amountMinor, currency);
      assert.equal(started.state, 'waiting_for_card');
      bridge.insert(card);
      try {
        return await finalUpdate(counter, started.attemptId);
      } finally {
        bridge.remove();
        await waitFor('the card to leave the field', 15_000, () => reader.hasCard?.() === false);
      }
    };
    const transactionCount = (): Promise<number> => counter.ledger.transactions.count();
    const declined = (update: PaymentUpdate, reason: string, step: string): void => {
      assert.equal(update.state, 'declined', `${step}: ${JSON.stringify(update)}`);
      assert.equal(update.reason, reason, `${step}: ${JSON.stringify(update)}`);
      assert.equal(update.receipt, null, `${step}: no receipt`);
    };

    const card = new DevpayCard(keys.cardId(0), keys.cardKey(0));
    // A card that remembers what it answered, for the replay.
    const recorded: Uint8Array[] = [];
    const recording: VirtualCard = {
      atr: card.atr,
      respond(command) {
        const response = card.respond(command);
        recorded.push(response);
        return response;
      },
      reset: () => card.reset(),
    };

    // Each step is a subtest: a failing step is reported by name and the later ones still run.
    let online: PaymentUpdate | undefined;
    let offline: PaymentUpdate | undefined;

    await context.test('(a) online: central approves', async () => {
      online = await charge(1250n, 'USD', recording);
      assert.equal(online.state, 'approved', JSON.stringify(online));
      assert.equal(online.mode, 'online');
      assert.equal(online.reason, null);
      assert.ok(online.receipt, 'a receipt');
      assert.match(online.receipt.panMasked, /^899100\*{6}\d{4}$/, 'the receipt shows the BIN and last four only');
      assert.equal(online.receipt.atc, 1);
      assert.equal(online.receipt.amountMinor, '1250');
      assert.equal(online.receipt.terminalId, counter.id);
      assert.equal(recorded.length, 2, 'the card saw exactly SELECT and GENERATE');
      assert.equal(usdMerchant(counter), 1250n);
    });

    await context.test('(a2) a card placed while no charge is open: ignored by name, and not read by the next charge', async () => {
      const atcBefore = card.atc;
      bridge.insert(card);
      try {
        assert.deepEqual(Object.keys(await counter.api.nextEvent<{ atMs: number }>('reader.cardIgnored', () => true, 15_000)), ['atMs']);
        const started = counter.runtime.payments.start(300n, 'USD');
        await new Promise((resolve) => setTimeout(resolve, 1500));
        assert.equal(counter.runtime.payments.current()?.state, 'waiting_for_card', 'the card lying on the reader is not read');
        assert.equal(card.atc, atcBefore, 'not one GENERATE reached it');
        assert.equal(counter.runtime.payments.cancel(started.attemptId), true);
        assert.equal((await finalUpdate(counter, started.attemptId)).state, 'cancelled');
      } finally {
        bridge.remove();
        await waitFor('the card to leave the field', 15_000, () => reader.hasCard?.() === false);
      }
      assert.equal(usdMerchant(counter), 1250n, 'nothing posted');
    });

    await context.test('(b) the USD card charged in TRY: wrong_currency', async () => {
      declined(await charge(10000n, 'TRY', card), 'wrong_currency', '(b)');
    });

    await context.test('(c) the tap of (a) replayed: declined, nothing posted', async () => {
      const before = await transactionCount();
      // Byte for byte, its session token covers (a)'s terminal data, not this tap's.
      declined(await charge(1250n, 'USD', replayingCard(recorded.slice())), 'session_token_invalid', '(c) verbatim replay');
      // Re-sealed for this tap's terminal data (the answer reveals the ATC's secret, the session
      // token's key), it passes the session token; the used-ATC record stops it.
      declined(await charge(1250n, 'USD', resealingReplay(recorded[0]!, recorded[1]!)), 'token_already_used', '(c) re-sealed replay');
      assert.equal(await transactionCount(), before, 'nothing posted');
    });

    await context.test('(d) the card pulled during GENERATE: card_removed, nothing posted', async () => {
      const before = await transactionCount();
      let generateSeen = false;
      const fleeing: VirtualCard = {
        atr: card.atr,
        respond(command) {
          if (command[0] === 0x80 && command[1] === 0xae) {
            generateSeen = true;
            // The card leaves before it answers: vpcd loses its connection mid-exchange.
            bridge.remove();
            return Uint8Array.of(0x6f, 0x00);
          }
          return card.respond(command);
        },
        reset: () => card.reset(),
      };
      const update = await charge(1250n, 'USD', fleeing);
      assert.ok(generateSeen, 'the card was pulled during GENERATE');
      assert.equal(await transactionCount(), before, 'nothing posted');
      assert.equal(usdMerchant(counter), 1250n);
      declined(update, 'card_removed', '(d)');
    });

    await context.test('(e) central out of reach: approved offline', async () => {
      unlink(counter.proxy);
      await waitReachable(counter, false);
      offline = await charge(2000n, 'USD', card);
      assert.equal(offline.state, 'approved', JSON.stringify(offline));
      assert.equal(offline.mode, 'offline');
      assert.equal(offline.receipt?.mode, 'offline');
      assert.equal(offline.receipt?.atc, card.atc);
      assert.equal(usdMerchant(counter), 3250n);
      assert.equal(usdClearing(counter), -2000n);
    });

    await context.test('meanwhile a clone of the card pays the same ATC online at the other terminal', async () => {
      const offlineAtc = offline!.receipt!.atc;
      const clone = new DevpayCard(keys.cardId(0), keys.cardKey(0), offlineAtc - 1);
      const attempt = cloneTerminal.runtime.payments.start(900n, 'USD');
      cloneTerminal.runtime.simCardReader!.tap(clone);
      const cloned = await finalUpdate(cloneTerminal, attempt.attemptId);
      assert.equal(cloned.state, 'approved', JSON.stringify(cloned));
      assert.equal(cloned.mode, 'online');
      assert.equal(cloned.receipt?.atc, offlineAtc, 'the clone spent the same ATC');
    });

    await context.test("(f) offline over the card's cap (USD 40.00, under the per-payment USD 50.00): over_token_cap", async () => {
      assert.equal(counter.runtime.status().link.centralReachable, false);
      // Above the offline CVM limit (USD 30.00) the cardholder's PIN comes first; the card verifies
      // it (the test is the PIN pad), and the reserve token's cap declines the charge all the same.
      const started = counter.runtime.payments.start(4500n, 'USD');
      bridge.insert(card);
      try {
        const asking = await counter.api.nextEvent<PaymentUpdate>('payment.updated', (update) => update.attemptId === started.attemptId && update.state === 'waiting_for_pin', 20_000);
        const { cardPinKey, challenge } = asking.pinRequest!;
        const envelope = toHex(sealPin(simCardPin(keys.cardKey(0)), fromHex(cardPinKey), fromHex(challenge), (length) => systemRandom.bytes(length)));
        assert.deepEqual(await counter.api.call('cvm.submitPin', { attemptId: started.attemptId, envelope }), { accepted: true });
        declined(await finalUpdate(counter, started.attemptId), 'over_token_cap', '(f)');
      } finally {
        bridge.remove();
        await waitFor('the card to leave the field', 15_000, () => reader.hasCard?.() === false);
      }
    });

    await context.test('(g) offline 8 days later (tokens are valid 7): token_expired', async () => {
      clock.offsetMs = 8 * dayMs;
      try {
        declined(await charge(1000n, 'USD', card), 'token_expired', '(g)');
      } finally {
        clock.offsetMs = 0;
      }
      assert.equal(usdMerchant(counter), 3250n, 'nothing posted');
    });

    await context.test('(h) the double spend found at sync: reversed, the card revoked, then declined offline as card_revoked', async () => {
      relink(counter.proxy);
      const rejected = await counter.api.nextEvent<AlertRecord>('alert', (alert) => alert.kind === 'payment_rejected', 20_000);
      assert.deepEqual([rejected.transactionId, rejected.reason, rejected.amountMinor, rejected.currency, rejected.panMasked], [offline!.paymentId, 'double_spend', offline!.amountMinor, offline!.currency, offline!.receipt?.panMasked]);
      for (const terminal of [counter, cloneTerminal]) {
        const revoked = await terminal.api.nextEvent<AlertRecord>('alert', (alert) => alert.kind === 'card_revoked', 20_000);
        assert.equal(revoked.reason, 'double_spend', `${terminal.id} hears of the revocation`);
        assert.doesNotMatch(JSON.stringify(revoked), new RegExp(card0), 'named by a masked PAN, never the card id');
      }
      await waitDrained(counter);
      assert.equal(usdMerchant(counter), 1250n, 'the offline payment is reversed');
      assert.equal(usdClearing(counter), 0n);
      assert.equal((await counter.ledger.transactions.get(offline!.paymentId!))?.state, 'rejected');

      unlink(counter.proxy);
      await waitReachable(counter, false);
      const before = await transactionCount();
      declined(await charge(1000n, 'USD', card), 'card_revoked', '(h)');
      assert.equal(await transactionCount(), before, 'nothing posted');
    });

    await context.test('relinked, everything drains; every ledger verifies', async () => {
      relink(counter.proxy);
      await waitReachable(counter, true);
      await Promise.all([waitDrained(counter), waitDrained(cloneTerminal)]);
      assert.equal(usdMerchant(counter), 1250n);
      assert.equal(usdMerchant(cloneTerminal), 900n);
      const declines = (await counter.ledger.audit.all()).filter((entry) => entry.kind === 'card_payment_declined').map((entry) => entry.payload.reason);

      await counter.stop();
      await cloneTerminal.stop();
      assert.equal(await central.stop(), 0, central.output());
      await assertLedgerVerifies(counter.dir, { DEVPAY_DATA_KEY: toHex(counter.dataKey) });
      await assertLedgerVerifies(cloneTerminal.dir, { DEVPAY_DATA_KEY: toHex(cloneTerminal.dataKey) });
      await assertLedgerVerifies(centralDir);
      assert.deepEqual(declines, ['wrong_currency', 'session_token_invalid', 'token_already_used', 'card_removed', 'over_token_cap', 'token_expired', 'card_revoked'], 'every decline is audited, with its reason');
    });
  } finally {
    await cleanup.run();
  }
  assert.deepEqual(bridgeErrors.filter((message) => !/ERR_STREAM_DESTROYED|write after end|EPIPE|ECONNRESET/.test(message)), [], 'the vpcd bridge had no unexpected errors');
});
