// The threat model's cardholder verification rows (docs/threat-model.md), through Debian's
// mosquitto with ACLs and a real `devpay central`: an attacker holding one terminal's broker
// password and genuine sync key asks central to authorize, and pushes for settlement, taps of the
// simulator's USD card above the CVM limits. A tap without the card's verified PIN is declined
// online (pin_required) and rejected at settlement when it was approved offline (cvm_missing); the
// same tap claiming a PIN the card did not verify fails its cryptogram (cryptogram_invalid), since
// the card binds its CVM result into it. Genuine taps with the card-verified PIN pass both ways.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { createUlidFactory } from '../../core/ids.js';
import { fromHex, toHex } from '../../core/clock.js';
import { deriveCardKey, terminalIdHash } from '../../core/card/card-crypto.js';
import { maskPan } from '../../core/card/offline-checks.js';
import { sealPin } from '../../core/card/pin-encipherment.js';
import { encodeTerminalData, transactionDate } from '../../core/card/terminal-data.js';
import { accountId } from '../../core/ledger/accounts.js';
import type { CardDetails } from '../../core/ledger/transaction.js';
import { authorizeResultSchema } from '../../core/wire/card-messages.js';
import { generateCommand, parseGenerateResponse, parseSelectResponse, selectCommand } from '../../device/devpay-card-apdu.js';
import { parseVerifyResponse, verifyCommand } from '../../device/devpay-card-verify.js';
import { DevpayCard } from '../../drivers/sim/devpay-card.js';
import { simCardPin } from '../../drivers/sim/devpay-card-pin.js';
import { deriveCardMasterKey, simCardId } from '../../central/central-cards.js';
import { loadMasterKey, simCardCurrency } from '../../central/central-node.js';
import { requireTools } from '../harness/require-tool.js';
import { centralBrokerUser, startMosquitto, terminalBrokerUser } from '../harness/mosquitto.js';
import { runDevpay, startDevpay } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { PushAttacker } from '../harness/push-attacker.js';

const thief = 't-thief013';
const nextId = createUlidFactory(systemClock, systemRandom);

test('central sees through a PIN-less tap above the CVM limits and a PIN the card never verified', { timeout: 120_000 }, async (context) => {
  const tools = requireTools(context, ['mosquitto', 'mosquitto_passwd']);
  if (!tools) return;
  const broker = await startMosquitto(tools[0]!, freshDir('cvm-attack-mqtt'), [terminalBrokerUser(thief, 'pw-thief'), centralBrokerUser('pw-c')]);
  const centralDir = freshDir('cvm-attack-central');
  const key = fromHex((await runDevpay(['provision', '--data', centralDir, '--terminal', thief])).stdout.trim());
  const cardMaster = deriveCardMasterKey(loadMasterKey(centralDir, systemRandom));
  const usdIndex = [0, 1, 2, 3, 4].find((index) => simCardCurrency(index) === 'USD')!;
  const cardId = simCardId(cardMaster, usdIndex);
  const cardKey = deriveCardKey(cardMaster, cardId);
  const card = new DevpayCard(cardId, cardKey);
  const central = await startDevpay(['central', '--data', centralDir, '--mqtt', `127.0.0.1:${broker.port}`, '--mqtt-user', 'central', '--sim-cards', '5'], {
    readyPattern: /(DevPay central is answering)/,
    env: { DEVPAY_MQTT_PASSWORD: 'pw-c' },
  });
  const attacker = await PushAttacker.connect(broker.url, thief, 'pw-thief', key);

  /** A tap of the USD card at the thief's terminal, with the card's PIN verified first or not. */
  const tap = (amountMinor: bigint, mode: CardDetails['mode'], withPin: boolean): CardDetails => {
    const terminalData = { amountMinor, currency: 'USD', terminalIdHash: terminalIdHash(thief), unpredictableNumber: systemRandom.bytes(4), date: transactionDate(systemClock.nowMs()) };
    card.reset();
    const selected = parseSelectResponse(card.respond(selectCommand()));
    if (withPin) {
      // The PIN's first try is sealed under the challenge SELECT answered, as the terminal does.
      const envelope = sealPin(simCardPin(cardKey), selected.pinKey, selected.pinChallenge, (length) => systemRandom.bytes(length));
      assert.deepEqual(parseVerifyResponse(card.respond(verifyCommand(envelope))), { result: 'verified' });
    }
    const data = parseGenerateResponse(card.respond(generateCommand(terminalData)), selected.cardId);
    assert.equal(data.cvm, withPin ? 'card_pin' : 'none');
    return { cardId: toHex(cardId), atc: data.atc, panMasked: maskPan(data.pan), cryptogram: toHex(data.cryptogram), terminalData: toHex(encodeTerminalData(terminalData)), mode, cvm: data.cvm };
  };
  const offlinePayment = (amountMinor: bigint, card: CardDetails): Record<string, unknown> => ({
    id: nextId(),
    kind: 'payment',
    state: 'approved_offline',
    createdAtMs: 1,
    postings: [
      { accountId: accountId('offline_clearing', thief, 'USD'), amountMinor: (-amountMinor).toString() },
      { accountId: accountId('merchant', thief, 'USD'), amountMinor: amountMinor.toString() },
    ],
    card,
  });
  const authorize = async (amountMinor: bigint, card: CardDetails): Promise<[string, string | null]> => {
    const answer = await attacker.request('authorize', { paymentId: nextId(), amountMinor: amountMinor.toString(), currency: 'USD', card }, authorizeResultSchema);
    return [answer.outcome, answer.reason];
  };
  try {
    // Online, above the USD online CVM limit (100.00): the card's PIN is what central asks for.
    await context.test('online: a PIN-less tap above the limit is declined pin_required', async () => {
      assert.deepEqual(await authorize(15_000n, tap(15_000n, 'online', false)), ['declined', 'pin_required']);
    });
    await context.test('online: the same tap claiming the card verified a PIN fails its cryptogram', async () => {
      assert.deepEqual(await authorize(15_000n, { ...tap(15_000n, 'online', false), cvm: 'card_pin' }), ['declined', 'cryptogram_invalid']);
    });
    await context.test('online: a PIN-verified tap claimed as PIN-less fails its cryptogram too', async () => {
      assert.deepEqual(await authorize(500n, { ...tap(500n, 'online', true), cvm: 'none' }), ['declined', 'cryptogram_invalid']);
    });
    await context.test('online: with the card-verified PIN, and below the limit without one, approved', async () => {
      assert.deepEqual(await authorize(15_000n, tap(15_000n, 'online', true)), ['approved', null]);
      assert.deepEqual(await authorize(9_000n, tap(9_000n, 'online', false)), ['approved', null]);
    });

    // Offline, above the USD offline CVM limit (30.00).
    await context.test('settlement: offline payments above the offline limit need the card-verified PIN', async () => {
      const pinLess = offlinePayment(4_000n, tap(4_000n, 'offline', false));
      const falseClaim = offlinePayment(4_000n, { ...tap(4_000n, 'offline', false), cvm: 'card_pin' });
      const genuine = offlinePayment(4_000n, tap(4_000n, 'offline', true));
      const small = offlinePayment(2_500n, tap(2_500n, 'offline', false));
      const results = await attacker.push([pinLess, falseClaim, genuine, small]);
      assert.deepEqual(results.map((result) => [result.id, result.reason]), [
        [pinLess.id, 'cvm_missing'],
        [falseClaim.id, 'cryptogram_invalid'],
        [genuine.id, 'settled'],
        [small.id, 'settled'],
      ]);
      // Pushed again, the PIN-less payment is still refused: its ATC stays claimed by it alone.
      const again = await attacker.push([pinLess]);
      assert.equal(again[0]?.outcome, 'rejected');
    });
  } finally {
    await attacker.close();
    await central.stop();
    await broker.stop();
  }
});
