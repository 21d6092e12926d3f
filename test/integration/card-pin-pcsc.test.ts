// The cardholder's PIN end to end through the real PC/SC stack: the terminal runtime in this
// process reads the virtual DevPay card through nfc-pcsc → pcscd → vsmartcard-vpcd, and talks to
// a real `devpay central` through mosquitto. The test is the PIN pad: it seals the PIN to the
// card's key under the card's challenge from the payment update (sealPin, as the renderer's PIN
// screen does: the first try under SELECT's challenge, with no GET CHALLENGE, a retry under GET
// CHALLENGE's) and answers with cvm.submitPin or cvm.cancelPin over the runtime's API. Steps: the
// right PIN above the online CVM limit (approved, card_pin on the receipt and the transaction),
// wrong then right, a card that says yes to VERIFY but signs no PIN (cvm_failed), offline above
// the offline CVM limit (a PIN asked and approved; cancelled: pin_required), a charge predicted
// online that falls back offline without a PIN (pin_required), and three wrong PINs (pin_blocked,
// and blocked again on the next tap while a small charge still needs none). Central's own
// refusal of a PIN-less tap above the limit is test/integration/cvm-attacks.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toHex, fromHex } from '../../core/clock.js';
import type { CurrencyCode } from '../../core/currency.js';
import type { PaymentUpdate } from '../../core/api/payment.js';
import { sealPin } from '../../core/card/pin-encipherment.js';
import type { CardReader } from '../../device/capabilities.js';
import { DevpayCard } from '../../drivers/sim/devpay-card.js';
import { simCardPin } from '../../drivers/sim/devpay-card-pin.js';
import type { VirtualCard } from '../../drivers/sim/virtual-card.js';
import { VpcdCardBridge } from '../../drivers/sim/vpcd-card-bridge.js';
import { openLedger } from '../../ledger/ledger.js';
import { createLogger } from '../../runtime/logger.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { TerminalRuntime } from '../../runtime/terminal-runtime.js';
import { attachApiSession, type ApiSession } from '../harness/api-session.js';
import { assertLedgerVerifies, cardKeys, Cleanup, relink, startCardBroker, startCardCentral, startProxy, terminalPassword, unlink, waitFor } from '../harness/card-rig.js';
import { freshDir } from '../harness/output-dir.js';
import { startPcscd, vpcdDriverPath } from '../harness/pcscd.js';
import { requireNativeModules, requireTools } from '../harness/require-tool.js';

const keys = cardKeys('5d'.repeat(16) + 'c1'.repeat(16));
const card0 = keys.cardIdHex(0);
const terminalId = 't-pin-counter';
const finalStates = new Set(['approved', 'declined', 'cancelled']);
const pin = simCardPin(keys.cardKey(0));
const wrongPin = pin === '0000' ? '1111' : '0000';

/** What the PIN pad does for one charge: a PIN to seal and submit, or the cardholder's cancel. */
type PadAction = { pin: string } | 'cancel';

test('the cardholder PIN through real pcscd + vpcd: verified, wrong, blocked, required offline', { timeout: 180_000 }, async (context) => {
  const tools = requireTools(context, ['mosquitto', 'mosquitto_passwd', 'pcscd', vpcdDriverPath]);
  if (!tools || !requireNativeModules(context, ['nfc-pcsc'])) return;
  const cleanup = new Cleanup();
  const bridgeErrors: string[] = [];
  try {
    const broker = await startCardBroker(tools[0]!, freshDir('card-pin-mqtt'), [terminalId], cleanup);
    const centralDir = freshDir('card-pin-central');
    const central = await startCardCentral(centralDir, broker.port, keys, cleanup);
    const pcscd = await startPcscd(tools[2]!);
    cleanup.add('pcscd', () => pcscd.stop());
    const bridge = new VpcdCardBridge(null, { port: pcscd.vpcdPort, onError: (error) => bridgeErrors.push(error.message) });
    cleanup.add('vpcd bridge', () => bridge.close());

    const dir = freshDir('card-pin-terminal');
    const dataKey = systemRandom.bytes(32);
    const ledger = await openLedger({ dataDir: dir, owner: terminalId, clock: systemClock, random: systemRandom, dataKey });
    const closeLedger = cleanup.add('ledger', () => ledger.close());
    const proxy = await startProxy(broker.port, cleanup);
    const logLines: string[] = [];
    const runtime = new TerminalRuntime({
      dataDir: dir,
      mode: 'counter',
      simulator: false,
      pcsc: true,
      broker: { url: `mqtt://127.0.0.1:${proxy.port}`, protocolVersion: 5, username: terminalId, password: terminalPassword(terminalId) },
      clock: systemClock,
      random: systemRandom,
      logger: createLogger({ level: 'info', destination: { write: (line: string) => logLines.push(line) } }),
      heartbeatIntervalMs: 500,
      ledger,
      terminalId,
      syncKey: Buffer.from(keys.syncKeyHex(terminalId), 'hex'),
      centralPublicKey: Buffer.from(keys.centralPublicKeyHex, 'hex'),
    });
    const api: ApiSession = attachApiSession(runtime.api);
    await runtime.start();
    const stopRuntime = cleanup.add('runtime', () => runtime.stop());

    const reader = await new Promise<CardReader>((resolve, reject) => {
      const find = (): CardReader | undefined => runtime.devices.all().find((device): device is CardReader => device.info.descriptor.startsWith('pcsc:Virtual%20PCD') && 'transmit' in device);
      waitFor('the vpcd reader through pcscd', 15_000, () => find() !== undefined).then(() => resolve(find()!), reject);
    });
    await waitFor('the terminal to reach central, hold its limits and card 0’s reserve tokens', 20_000, () => {
      const status = runtime.status();
      return status.link.centralReachable && status.sync.offlineLimits?.currencies.USD !== undefined && runtime.reserve.availableFor(card0) >= 8;
    });

    const card = new DevpayCard(keys.cardId(0), keys.cardKey(0));
    /** The card as presented, noting each command's instruction byte as it reaches the card. */
    const instructions: number[] = [];
    const counted: VirtualCard = {
      atr: card.atr,
      respond: (command) => {
        instructions.push(command[1]!);
        return card.respond(command);
      },
      reset: () => card.reset(),
    };
    const [selectIns, getChallengeIns, verifyIns, generateIns] = [0xa4, 0x84, 0x20, 0xae];
    const envelopes: string[] = [];
    const pinRequests: PaymentUpdate[] = [];

    /**
     * A charge: started, the card brought into the field, the PIN pad answering each PIN request in
     * turn with `actions`, then the card taken away. Every request is checked against the card.
     */
    const charge = async (amountMinor: bigint, currency: CurrencyCode, presented: VirtualCard, actions: PadAction[]): Promise<PaymentUpdate> => {
      assert.equal(reader.hasCard?.(), false, 'the field is empty before a charge');
      const started = runtime.payments.start(amountMinor, currency);
      bridge.insert(presented);
      try {
        for (const action of actions) {
          const asking = await api.nextEvent<PaymentUpdate>('payment.updated', (update) => update.attemptId === started.attemptId && (update.state === 'waiting_for_pin' || finalStates.has(update.state)), 20_000);
          assert.equal(asking.state, 'waiting_for_pin', `a PIN is asked: ${JSON.stringify(asking)}`);
          const request = asking.pinRequest!;
          pinRequests.push(asking);
          assert.equal(request.cardPinKey, toHex(card.pin.publicKey), 'the card’s own PIN key, from its SELECT answer');
          if (action === 'cancel') {
            assert.deepEqual(await api.call('cvm.cancelPin', { attemptId: started.attemptId }), { cancelled: true });
            continue;
          }
          const envelope = toHex(sealPin(action.pin, fromHex(request.cardPinKey), fromHex(request.challenge), (length) => systemRandom.bytes(length)));
          envelopes.push(envelope);
          assert.deepEqual(await api.call('cvm.submitPin', { attemptId: started.attemptId, envelope }), { accepted: true });
          // The same envelope again is refused: nothing waits for it any more.
          assert.deepEqual(await api.call('cvm.submitPin', { attemptId: started.attemptId, envelope }), { accepted: false });
        }
        const final = await api.nextEvent<PaymentUpdate>('payment.updated', (update) => update.attemptId === started.attemptId && finalStates.has(update.state), 20_000);
        assert.equal(final.pinRequest, null, 'a finished charge asks for nothing');
        return final;
      } finally {
        bridge.remove();
        await waitFor('the card to leave the field', 15_000, () => reader.hasCard?.() === false);
      }
    };
    const declined = (update: PaymentUpdate, reason: string, step: string): void => {
      assert.deepEqual([update.state, update.reason, update.receipt], ['declined', reason, null], `${step}: ${JSON.stringify(update)}`);
    };

    await context.test('(a) online above the CVM limit: the right PIN, approved with card_pin', async () => {
      instructions.length = 0;
      const update = await charge(15_000n, 'USD', counted, [{ pin }]);
      assert.equal(update.state, 'approved', JSON.stringify(update));
      // The first try is sealed under SELECT's challenge: the PIN adds VERIFY alone, no GET CHALLENGE.
      assert.deepEqual(instructions, [selectIns, verifyIns, generateIns]);
      assert.equal(update.mode, 'online');
      assert.equal(update.receipt?.cvm, 'card_pin');
      const request = pinRequests.at(-1)!.pinRequest!;
      assert.deepEqual([request.triesLeft, request.previousWrong, request.reason], [3, false, 'above_cvm_limit']);
      assert.equal((await ledger.transactions.get(update.paymentId!))?.card?.cvm, 'card_pin');
    });

    await context.test('(a2) below the CVM limit: no PIN, cvm none', async () => {
      const update = await charge(900n, 'USD', card, []);
      assert.equal(update.state, 'approved', JSON.stringify(update));
      assert.equal(update.receipt?.cvm, 'none');
      assert.equal((await ledger.transactions.get(update.paymentId!))?.card?.cvm, 'none');
    });

    await context.test('(b) a wrong PIN, asked again with a fresh challenge, then the right one', async () => {
      instructions.length = 0;
      const update = await charge(12_000n, 'USD', counted, [{ pin: wrongPin }, { pin }]);
      assert.equal(update.state, 'approved', JSON.stringify(update));
      assert.deepEqual(instructions, [selectIns, verifyIns, getChallengeIns, verifyIns, generateIns], 'a retry asks GET CHALLENGE for a fresh challenge');
      assert.equal(update.receipt?.cvm, 'card_pin');
      const [first, second] = pinRequests.slice(-2).map((asking) => asking.pinRequest!);
      assert.deepEqual([first!.triesLeft, first!.previousWrong, second!.triesLeft, second!.previousWrong], [3, false, 2, true]);
      assert.notEqual(first!.challenge, second!.challenge, 'each try has its own challenge');
      assert.equal(card.pin.triesLeft, 3, 'the right PIN resets the card’s counter');
    });

    await context.test('(c) a card that says yes to VERIFY but signs no PIN: cvm_failed, nothing posted', async () => {
      const before = await ledger.transactions.count();
      const lying: VirtualCard = {
        atr: card.atr,
        respond: (command) => (command[1] === 0x20 ? Uint8Array.of(0x90, 0x00) : card.respond(command)),
        reset: () => card.reset(),
      };
      declined(await charge(15_000n, 'USD', lying, [{ pin: wrongPin }]), 'cvm_failed', '(c)');
      assert.equal(await ledger.transactions.count(), before);
    });

    await context.test('(d) offline above the offline CVM limit: the PIN is asked, approved offline; cancelled: pin_required', async () => {
      unlink(proxy);
      await waitFor('central out of reach', 20_000, () => !runtime.status().link.centralReachable);
      const update = await charge(4_000n, 'USD', card, [{ pin }]);
      assert.equal(update.state, 'approved', JSON.stringify(update));
      assert.equal(update.mode, 'offline');
      assert.equal(update.receipt?.cvm, 'card_pin');
      assert.equal(pinRequests.at(-1)!.pinRequest!.reason, 'offline_above_cvm_limit');
      assert.equal((await ledger.transactions.get(update.paymentId!))?.card?.cvm, 'card_pin');
      declined(await charge(3_500n, 'USD', card, ['cancel']), 'pin_required', '(d) cancelled');
      declined(await charge(3_500n, 'USD', card, [{ pin: wrongPin }, 'cancel']), 'pin_invalid', '(d) cancelled after a wrong PIN');
      // Offline at or below the offline limit: no PIN.
      const small = await charge(2_000n, 'USD', card, []);
      assert.deepEqual([small.state, small.mode, small.receipt?.cvm], ['approved', 'offline', 'none']);
    });

    await context.test('(e) predicted online, fallen back offline without a PIN above the offline limit: pin_required', async () => {
      relink(proxy);
      await waitFor('central reachable again', 20_000, () => runtime.status().link.centralReachable);
      // The link stalls: the terminal still believes central is reachable, asks no PIN for an
      // amount under the online limit, and falls back offline when central does not answer.
      proxy.stall();
      declined(await charge(3_500n, 'USD', card, []), 'pin_required', '(e)');
      relink(proxy);
      await waitFor('central reachable again', 20_000, () => runtime.status().link.centralReachable);
    });

    await context.test('(f) three wrong PINs in a row: pin_blocked, blocked on the next tap, a small charge still needs none', async () => {
      // The wrong PIN of (d) still counts: the counter is the card's, across taps, until a right PIN.
      assert.equal(card.pin.triesLeft, 2);
      declined(await charge(15_000n, 'USD', card, [{ pin: wrongPin }, { pin: wrongPin }]), 'pin_blocked', '(f)');
      assert.deepEqual(pinRequests.slice(-2).map((asking) => [asking.pinRequest!.triesLeft, asking.pinRequest!.previousWrong]), [[2, false], [1, true]]);
      assert.equal(card.pin.triesLeft, 0);
      const asked = pinRequests.length;
      declined(await charge(15_000n, 'USD', card, []), 'pin_blocked', '(f) the next tap');
      assert.equal(pinRequests.length, asked, 'a blocked card is not asked for a PIN');
      const small = await charge(900n, 'USD', card, []);
      assert.deepEqual([small.state, small.receipt?.cvm], ['approved', 'none']);
    });

    await context.test('the PIN is nowhere: not in the log, the audit journal, the ledger or its files', async () => {
      await waitFor('the outbox to drain', 30_000, () => runtime.status().sync.unsyncedCount === 0, () => runtime.status().sync);
      const declines = (await ledger.audit.all()).filter((entry) => entry.kind === 'card_payment_declined').map((entry) => entry.payload.reason);
      assert.deepEqual(declines, ['cvm_failed', 'pin_required', 'pin_invalid', 'pin_required', 'pin_blocked', 'pin_blocked']);
      const audit = JSON.stringify(await ledger.audit.all());
      const log = logLines.join('');
      for (const envelope of envelopes) {
        assert.ok(!log.includes(envelope) && !audit.includes(envelope), 'no sealed PIN is logged or audited');
      }
      assert.doesNotMatch(log, /cvm\.submitPin.*envelope|"pin"/i);
      await stopRuntime();
      await closeLedger();
      assert.equal(await central.stop(), 0, central.output());
      await assertLedgerVerifies(dir, { DEVPAY_DATA_KEY: toHex(dataKey) });
    });
  } finally {
    await cleanup.run();
  }
  assert.deepEqual(bridgeErrors.filter((message) => !/ERR_STREAM_DESTROYED|write after end|EPIPE|ECONNRESET/.test(message)), [], 'the vpcd bridge had no unexpected errors');
});
