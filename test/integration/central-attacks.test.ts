// The threat model's stolen-terminal rows (docs/threat-model.md), through Debian's mosquitto with
// ACLs and a real `devpay central` process: an attacker holding one terminal's broker password
// and genuine sync key pushes, in every currency, every transaction kind between every pair of
// account kinds in every state, forged and inflated card proofs, refunds past their original and
// amounts past the signed 64-bit range, and the corrections of issue 12: refunds claimed online
// that central never approved, refunds past the remainder, of a voided payment or in another
// currency, voids after a refund or to the wrong account, card funding pushed as if it were the
// terminal's. Each is rejected by its own name, the rest of each batch is answered, and central's
// books end holding exactly the genuine payments, refunds and void that ran beside the attacks,
// with each card's funds moved by them alone: no money the terminal could not prove.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { createUlidFactory } from '../../core/ids.js';
import { fromHex } from '../../core/clock.js';
import { currencyCodes, type CurrencyCode } from '../../core/currency.js';
import { accountId, accountKinds } from '../../core/ledger/accounts.js';
import { transactionKinds, transactionStates } from '../../core/ledger/transaction.js';
import { verdictReasons, type VerdictReason } from '../../core/wire/sync-messages.js';
import { authorizeResultSchema } from '../../core/wire/card-messages.js';
import { refundAuthorizeResultSchema } from '../../core/wire/correction-messages.js';
import { openLedger } from '../../ledger/ledger.js';
import { verifyLedger } from '../../ledger/verifier.js';
import { loadMasterKey } from '../../central/central-node.js';
import { requireTools } from '../harness/require-tool.js';
import { centralBrokerUser, startMosquitto, terminalBrokerUser } from '../harness/mosquitto.js';
import { runDevpay, startDevpay } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { PushAttacker } from '../harness/push-attacker.js';
import { simCardsForEveryCurrency, VirtualCardPayments } from '../harness/virtual-card-payments.js';

const thief = 't-thief001';
const nextId = createUlidFactory(systemClock, systemRandom);
const wire = (transaction: Record<string, unknown>) => ({ createdAtMs: 1, ...transaction });

/** Every kind × every ordered pair of the thief's account kinds × every currency, states in turn. */
function matrix(): Array<Record<string, unknown>> {
  const attacks: Array<Record<string, unknown>> = [];
  let index = 0;
  for (const currency of currencyCodes) {
    for (const kind of transactionKinds) {
      for (const debit of accountKinds) {
        for (const credit of accountKinds) {
          if (debit === credit) continue;
          const state = transactionStates[index++ % transactionStates.length];
          const references = ['refund', 'reversal', 'settlement', 'void', 'card_funding'].includes(kind) ? { referencesId: nextId() } : {};
          attacks.push(wire({ id: nextId(), kind, state, ...references, postings: [{ accountId: accountId(debit, thief, currency), amountMinor: '-7000' }, { accountId: accountId(credit, thief, currency), amountMinor: '7000' }] }));
        }
      }
    }
  }
  return attacks;
}

test('a stolen terminal key cannot make central settle money it cannot prove', { timeout: 180_000 }, async (context) => {
  const tools = requireTools(context, ['mosquitto', 'mosquitto_passwd']);
  if (!tools) return;
  const broker = await startMosquitto(tools[0]!, freshDir('attack-mqtt'), [
    terminalBrokerUser(thief, 'pw-thief'),
    centralBrokerUser('pw-c'),
  ]);
  const centralDir = freshDir('attack-central');
  const key = fromHex((await runDevpay(['provision', '--data', centralDir, '--terminal', thief])).stdout.trim());
  const cards = new VirtualCardPayments(loadMasterKey(centralDir, systemRandom), systemClock, systemRandom);
  const central = await startDevpay(['central', '--data', centralDir, '--mqtt', `127.0.0.1:${broker.port}`, '--mqtt-user', 'central', '--sim-cards', String(simCardsForEveryCurrency)], {
    readyPattern: /(DevPay central is answering)/,
    env: { DEVPAY_MQTT_PASSWORD: 'pw-c' },
  });
  const attacker = await PushAttacker.connect(broker.url, thief, 'pw-thief', key);
  const reasons = new Map<VerdictReason, number>();
  const expectRejected = async (transactions: Array<Record<string, unknown>>): Promise<void> => {
    for (let start = 0; start < transactions.length; start += 200) {
      const batch = transactions.slice(start, start + 200);
      const results = await attacker.push(batch);
      assert.deepEqual(results.map((result) => result.id), batch.map((transaction) => transaction.id), 'every transaction of the batch is answered, in order');
      for (const result of results) {
        assert.equal(result.outcome, 'rejected', `${JSON.stringify(batch.find((transaction) => transaction.id === result.id))} was ${result.reason}`);
        reasons.set(result.reason, (reasons.get(result.reason) ?? 0) + 1);
      }
    }
  };
  const genuine = cards.offlinePayment(nextId(), thief, 'USD', 500n);
  try {
    const attacks = matrix();
    await expectRejected(attacks);

    // The holes as found: a merchant credited from the thief's own fx, test, test sink, a wallet it
    // topped up itself, and an FX payment, each answered by name.
    const named: Array<[string, Record<string, unknown>, VerdictReason]> = [];
    const credit = (from: (typeof accountKinds)[number], currency: CurrencyCode, kind = 'payment') => wire({ id: nextId(), kind, state: 'approved_offline', postings: [{ accountId: accountId(from, thief, currency), amountMinor: '-9000' }, { accountId: accountId('merchant', thief, currency), amountMinor: '9000' }] });
    for (const currency of currencyCodes) {
      named.push([`merchant from fx in ${currency}`, credit('fx', currency), 'shape_invalid']);
      named.push([`merchant from test in ${currency}`, credit('test', currency), 'shape_invalid']);
      named.push([`merchant from test_sink in ${currency}`, credit('test_sink', currency), 'shape_invalid']);
      named.push([`fx_payment in ${currency}`, credit('fx', currency, 'fx_payment'), 'kind_not_accepted']);
      named.push([`merchant from offline clearing without a card in ${currency}`, credit('offline_clearing', currency), 'card_details_missing']);
      named.push([`merchant from a wallet never funded in ${currency}`, credit('customer_wallet', currency), 'insufficient_funds']);
      named.push([`a top-up past the float in ${currency}`, wire({ id: nextId(), kind: 'wallet_top_up', state: 'approved_offline', postings: [{ accountId: accountId('agent_float', thief, currency), amountMinor: '-9000' }, { accountId: accountId('customer_wallet', thief, currency), amountMinor: '9000' }] }), 'float_exceeded']);
      named.push([`a wallet topped up from central's account in ${currency}`, wire({ id: nextId(), kind: 'transfer', state: 'posted', postings: [{ accountId: accountId('central', thief, currency), amountMinor: '-9000' }, { accountId: accountId('customer_wallet', thief, currency), amountMinor: '9000' }] }), 'kind_not_accepted']);
    }
    const forgedCard = { ...cards.tap(thief, 'EUR', 100n), cryptogram: '00'.repeat(16) };
    named.push(['a card payment with a forged cryptogram', wire({ ...cards.offlinePayment(nextId(), thief, 'EUR', 100n), card: forgedCard }), 'cryptogram_invalid']);
    named.push(['a genuine tap pushed for ten times its amount', wire({ ...cards.offlinePayment(nextId(), thief, 'TRY', 1000n), card: cards.tap(thief, 'TRY', 100n) }), 'cryptogram_invalid']);
    named.push(['a card nobody issued', wire({ ...cards.offlinePayment(nextId(), thief, 'IRR', 100n), card: { ...cards.tap(thief, 'IRR', 100n), cardId: '00'.repeat(8) } }), 'card_unknown']);
    named.push(['an online approval central never gave', wire({ ...cards.offlinePayment(nextId(), thief, 'USDT', 100n), state: 'approved_online', postings: [{ accountId: accountId('central', thief, 'USDT'), amountMinor: '-100' }, { accountId: accountId('merchant', thief, 'USDT'), amountMinor: '100' }], card: cards.tap(thief, 'USDT', 100n, 'online') }), 'not_authorized_online']);
    named.push(['an amount past the signed 64-bit range', credit('offline_clearing', 'USD'), 'amount_out_of_range']);
    (named.at(-1)![1].postings as Array<{ amountMinor: string }>).forEach((posting, index) => (posting.amountMinor = index === 0 ? '-99999999999999999999' : '99999999999999999999'));
    named.push(['a refund of a payment central never saw', wire({ id: nextId(), kind: 'refund', state: 'approved_offline', referencesId: nextId(), postings: [{ accountId: accountId('merchant', thief, 'USD'), amountMinor: '-10' }, { accountId: accountId('central', thief, 'USD'), amountMinor: '10' }] }), 'original_not_found']);
    // The genuine payment rides in the same batch as the attacks: it is answered, and settled.
    const answered = await attacker.push([...named.map(([, transaction]) => transaction), wire(genuine)]);
    assert.deepEqual(answered.map((result) => [result.id, result.reason]), [...named.map(([, transaction, reason]) => [transaction.id, reason]), [genuine.id, 'settled']]);
    for (const [, , reason] of named) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);

    // Refunds: no more than the settled original, only to the original's own source.
    const refund = (amountMinor: string, to = accountId('central', thief, 'USD')) => wire({ id: nextId(), kind: 'refund', state: 'approved_offline', referencesId: genuine.id, postings: [{ accountId: accountId('merchant', thief, 'USD'), amountMinor: `-${amountMinor}` }, { accountId: to, amountMinor }] });
    const refunds = [refund('501'), refund('10', accountId('customer_wallet', thief, 'USD')), refund('300'), refund('201')];
    assert.deepEqual((await attacker.push(refunds)).map((result) => result.reason), ['refund_exceeds_original', 'shape_invalid', 'settled', 'refund_exceeds_original']);
    for (const reason of ['refund_exceeds_original', 'shape_invalid', 'refund_exceeds_original'] as const) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);

    // Corrections (issue 12). Genuine: an online payment central authorized, an offline one and
    // its void, a refund central approved online; each attack beside them is rejected by name.
    const onlineCard = cards.tap(thief, 'USD', 400n, 'online');
    const onlineId = nextId();
    const online = wire({ id: onlineId, kind: 'payment', state: 'approved_online', card: onlineCard, postings: [{ accountId: accountId('central', thief, 'USD'), amountMinor: '-400' }, { accountId: accountId('merchant', thief, 'USD'), amountMinor: '400' }] });
    const authorized = await attacker.request('authorize', { paymentId: onlineId, amountMinor: '400', currency: 'USD', card: onlineCard }, authorizeResultSchema);
    assert.equal(authorized.outcome, 'approved');
    const voidable = wire(cards.offlinePayment(nextId(), thief, 'USD', 250n));
    const refundOf = (original: Record<string, unknown>, amountMinor: string, state = 'approved_offline', currency: CurrencyCode = 'USD', id = nextId()) =>
      wire({ id, kind: 'refund', state, referencesId: original.id, postings: [{ accountId: accountId('merchant', thief, currency), amountMinor: `-${amountMinor}` }, { accountId: accountId('central', thief, currency), amountMinor }] });
    const voidOf = (original: Record<string, unknown>, amountMinor: string, credit: 'offline_clearing' | 'central') =>
      wire({ id: nextId(), kind: 'void', state: 'approved_offline', referencesId: original.id, postings: [{ accountId: accountId('merchant', thief, 'USD'), amountMinor: `-${amountMinor}` }, { accountId: accountId(credit, thief, 'USD'), amountMinor }] });
    const approvedRefundId = nextId();
    const approval = await attacker.request('refund', { refundId: approvedRefundId, originalId: onlineId, amountMinor: '50', currency: 'USD' }, refundAuthorizeResultSchema).catch(() => null);
    // The online payment is not at central yet: central has nothing to approve a refund against.
    assert.deepEqual([approval?.outcome, approval?.reason], ['declined', 'original_not_found']);
    const funding = (owner: string) => wire({ id: nextId(), kind: 'card_funding', state: 'posted', referencesId: genuine.id, postings: [{ accountId: accountId('card_funds', owner, 'USD'), amountMinor: '9000' }, { accountId: accountId('issuer', owner === thief ? thief : 'central', 'USD'), amountMinor: '-9000' }] });
    const corrections: Array<[string, Record<string, unknown>, VerdictReason]> = [
      ['a genuine online payment', online, 'settled'],
      ['a genuine offline payment', voidable, 'settled'],
      ['its genuine void', voidOf(voidable, '250', 'offline_clearing'), 'settled'],
      ['a refund claimed approved online that central never approved', refundOf(genuine, '50', 'approved_online'), 'not_authorized_online'],
      ['a refund of the voided payment', refundOf(voidable, '10'), 'original_reversed'],
      ['a second void of the voided payment', voidOf(voidable, '250', 'central'), 'original_reversed'],
      ['a void of a payment already refunded', voidOf(genuine, '500', 'central'), 'void_after_refund'],
      ['a void of an online payment crediting offline clearing', voidOf(online, '400', 'offline_clearing'), 'shape_invalid'],
      ['a refund in another currency than its payment', refundOf(genuine, '10', 'approved_offline', 'EUR'), 'refund_currency_mismatch'],
      ['card funding of a real card\u2019s funds pushed by a terminal', funding(onlineCard.cardId), 'foreign_account'],
      ['card funding between its own accounts', funding(thief), 'kind_not_accepted'],
    ];
    assert.deepEqual(
      (await attacker.push(corrections.map(([, transaction]) => transaction))).map((result) => [result.id, result.reason]),
      corrections.map(([, transaction, reason]) => [transaction.id, reason]),
    );
    const approved = await attacker.request('refund', { refundId: approvedRefundId, originalId: onlineId, amountMinor: '50', currency: 'USD' }, refundAuthorizeResultSchema);
    assert.deepEqual([approved.outcome, approved.remainingMinor], ['approved', '350']);
    // Two refunds under two ids beyond what is left: the second is refused.
    const twice: Array<[Record<string, unknown>, VerdictReason]> = [
      [refundOf(online, '50', 'approved_online', 'USD', approvedRefundId), 'settled'],
      [refundOf(online, '300'), 'settled'],
      [refundOf(online, '51'), 'refund_exceeds_original'],
    ];
    assert.deepEqual((await attacker.push(twice.map(([transaction]) => transaction))).map((result) => result.reason), twice.map(([, reason]) => reason));
    for (const [, , reason] of [...corrections, ...twice.map(([transaction, reason]) => ['', transaction, reason] as const)]) if (reason !== 'settled') reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    context.diagnostic(`${attacks.length + named.length + refunds.length - 1 + corrections.length - 3 + 1} attacks rejected; reasons: ${JSON.stringify(Object.fromEntries(reasons))}`);
    assert.ok([...reasons.keys()].every((reason) => verdictReasons.includes(reason) && reason !== 'settled'));
  } finally {
    await attacker.close();
    await central.stop();
    await broker.stop();
  }
  // Central's books: the genuine 500 less the 300 refunded, and the online 400 less the 350
  // refunded, are all the thief's merchant is owed (the voided 250 nets to nothing); the USD card's
  // funds moved by exactly those, mirrored by the issuer.
  const cardFunds = accountId('card_funds', genuine.card!.cardId, 'USD');
  const books = await openLedger({ dataDir: centralDir, clock: systemClock, random: systemRandom, mustExist: true });
  try {
    const nonZero = [...books.engine.allBalances()].filter(([, balance]) => balance.balanceMinor !== 0n).map(([account, balance]): [string, string] => [account, balance.balanceMinor.toString()]);
    assert.deepEqual(
      new Map(nonZero),
      new Map([
        [accountId('merchant', thief, 'USD'), '250'],
        [accountId('central', thief, 'USD'), '-250'],
        [cardFunds, '-250'],
        [accountId('issuer', 'central', 'USD'), '250'],
      ]),
    );
    assert.deepEqual((await verifyLedger(books)).violations, []);
  } finally {
    await books.close();
  }
});
