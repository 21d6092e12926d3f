// A cloned card spending one ATC twice offline, at two terminals, with real processes: central
// (`devpay central`) issues the simulator's cards, two `devpay serve --sim` terminals A and B
// hold the same cards (B's card 0 a clone of A's at the same ATC), each behind its own loopback
// proxy to mosquitto with ACLs. Both approve the same ATC offline; A syncs first and settles;
// B's payment is rejected at sync as a double spend and reversed on B; central blocks the card
// and the revocation reaches both, so the card is declined offline at A and online at B.
// Every ledger verifies, and central holds the ATC's claim for A's payment only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PaymentUpdate } from '../../core/api/payment.js';
import type { AlertRecord } from '../../core/api/alerts.js';
import type { TerminalStatus } from '../../core/api/status.js';
import { openLedger } from '../../ledger/ledger.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { requireTools } from '../harness/require-tool.js';
import { startDevpay, type DevpayProcess } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { openApiSession, type ApiSession } from '../harness/api-session.js';
import { assertLedgerVerifies, cardKeys, Cleanup, relink, startCardBroker, startCardCentral, startProxy, terminalPassword, unlink, waitFor } from '../harness/card-rig.js';
import type { TcpProxy } from '../harness/tcp-proxy.js';
import { signIn } from '../harness/operator-sign-in.js';

const keys = cardKeys('5a'.repeat(16) + 'c3'.repeat(16));
const card0 = keys.cardIdHex(0);
/** Both copies of card 0 start here, so both next answer with ATC 4. */
const startAtc = 3;

interface Terminal {
  id: string;
  dir: string;
  proxy: TcpProxy;
  process: DevpayProcess;
  api: ApiSession;
}

interface LedgerSummary {
  transactionCount: number;
  currencies: Array<{ currency: string; merchantMinor: string; offlineClearingMinor: string }>;
}

const finalStates = new Set(['approved', 'declined', 'cancelled']);

async function status(terminal: Terminal): Promise<TerminalStatus> {
  return terminal.api.call<TerminalStatus>('status.get');
}

async function usd(terminal: Terminal): Promise<{ merchantMinor: string; offlineClearingMinor: string }> {
  const summary = await terminal.api.call<LedgerSummary>('ledger.summary');
  const row = summary.currencies.find((entry) => entry.currency === 'USD');
  assert.ok(row, 'the summary has a USD row');
  return row;
}

/** Starts a payment, taps the panel's card, and answers the attempt's final update. */
async function pay(terminal: Terminal, amountMinor: string, cardIndex: number): Promise<PaymentUpdate> {
  const started = await terminal.api.call<PaymentUpdate>('payment.start', { amountMinor, currency: 'USD' });
  assert.equal(started.state, 'waiting_for_card');
  assert.deepEqual(await terminal.api.call('sim.tap', { cardIndex }), { tapped: true });
  return terminal.api.nextEvent<PaymentUpdate>('payment.updated', (update) => update.attemptId === started.attemptId && finalStates.has(update.state), 15_000);
}

async function waitReachable(terminal: Terminal, reachable: boolean): Promise<void> {
  await waitFor(`${terminal.id} to see central ${reachable ? 'reachable' : 'unreachable'}`, 20_000, async () => (await status(terminal)).link.centralReachable === reachable, async () => (await status(terminal)).link);
}

async function waitDrained(terminal: Terminal): Promise<void> {
  await waitFor(`${terminal.id}'s outbox to drain`, 30_000, async () => (await status(terminal)).sync.unsyncedCount === 0, async () => (await status(terminal)).sync);
}

test('a cloned card spends one ATC offline at two terminals: the later is rejected, reversed, and the card revoked everywhere', { timeout: 120_000 }, async (context) => {
  const tools = requireTools(context, ['mosquitto', 'mosquitto_passwd']);
  if (!tools) return;
  const cleanup = new Cleanup();
  try {
    const ids = ['t-clone-a', 't-clone-b'];
    const broker = await startCardBroker(tools[0]!, freshDir('double-spend-mqtt'), ids, cleanup);
    const centralDir = freshDir('double-spend-central');
    const central = await startCardCentral(centralDir, broker.port, keys, cleanup);

    const startTerminal = async (id: string): Promise<Terminal> => {
      const dir = freshDir(`double-spend-${id}`);
      writeFileSync(join(dir, 'terminal.json'), JSON.stringify({ terminalId: id, createdAt: '2026-11-24T00:00:00.000Z' }));
      // B's card 0 is a clone of A's: the same key and the same counter.
      writeFileSync(join(dir, 'sim-cards.json'), JSON.stringify({ [card0]: startAtc }));
      const proxy = await startProxy(broker.port, cleanup);
      const child = await startDevpay(['serve', '--no-pcsc', '--sim', '--data', dir, '--port', '0', '--mqtt', `127.0.0.1:${proxy.port}`, '--mqtt-user', id], {
        env: {
          DEVPAY_MQTT_PASSWORD: terminalPassword(id),
          DEVPAY_SYNC_KEY: keys.syncKeyHex(id),
          DEVPAY_CENTRAL_PUBLIC_KEY: keys.centralPublicKeyHex,
          DEVPAY_SIM_CARD_MASTER_KEY: keys.cardMasterHex,
          // Info, to see "reserve tokens replenished" in the output.
          DEVPAY_LOG_LEVEL: 'info',
        },
      });
      cleanup.add(`terminal ${id}`, () => child.stop());
      const api = await openApiSession(child.url);
      cleanup.add(`api session ${id}`, () => api.close());
      await signIn(api);
      return { id, dir, proxy, process: child, api };
    };
    const [a, b] = await Promise.all(ids.map(startTerminal)) as [Terminal, Terminal];

    for (const terminal of [a, b]) {
      const cards = await terminal.api.call<Array<{ cardIndex: number; label: string; currency: string; atc: number; pin: string }>>('sim.cards');
      assert.equal(cards.length, 5, `${terminal.id} holds the five sim cards`);
      // The panel shows each card's PIN for its PIN pad (derived from the card's key).
      assert.match(cards[0]!.pin, /^\d{4,12}$/);
      assert.deepEqual(cards[0], { cardIndex: 0, label: cards[0]!.label, currency: 'USD', atc: startAtc, pin: cards[0]!.pin }, `${terminal.id}'s card 0 starts at ATC ${startAtc}`);
      assert.ok(cards[0]!.label.endsWith(card0.slice(-4)), `${terminal.id}'s card 0 is central's card ${card0}`);
      // Offline decisions need central's limits, a first contact and the reserve tokens.
      await waitFor(`${terminal.id} to hold limits and reserve tokens`, 20_000, async () => {
        const current = await status(terminal);
        return current.link.centralReachable && current.sync.offlineLimits?.currencies.USD !== undefined && /reserve tokens replenished/.test(terminal.process.output());
      }, async () => ({ status: await status(terminal), output: terminal.process.output().slice(-2000) }));
    }

    // Both terminals lose central.
    unlink(a.proxy);
    unlink(b.proxy);
    await Promise.all([waitReachable(a, false), waitReachable(b, false)]);

    const atA = await pay(a, '1000', 0);
    assert.equal(atA.state, 'approved', `A approves offline: ${JSON.stringify(atA)}`);
    assert.equal(atA.mode, 'offline');
    assert.equal(atA.receipt?.atc, startAtc + 1);
    const atB = await pay(b, '700', 0);
    assert.equal(atB.state, 'approved', `B approves the clone's tap offline (it holds a token for the ATC too): ${JSON.stringify(atB)}`);
    assert.equal(atB.mode, 'offline');
    assert.equal(atB.receipt?.atc, startAtc + 1, 'the clone answered with the same ATC');
    assert.deepEqual(await usd(b), { currency: 'USD', merchantMinor: '700', offlineClearingMinor: '-700' }, "B's books show its offline approval");

    // A syncs first: its payment claims the ATC and settles.
    relink(a.proxy);
    await waitReachable(a, true);
    await waitDrained(a);
    assert.equal((await usd(a)).merchantMinor, '1000', `A's payment stands: ${JSON.stringify({ alerts: a.api.events('alert'), output: a.process.output().slice(-3000) })}`);
    assert.equal(a.api.events('alert').filter((event) => (event.payload as { kind: string }).kind === 'payment_rejected').length, 0, 'A has no rejected payment');

    // Then B: the same ATC again is a double spend.
    relink(b.proxy);
    const rejected = await b.api.nextEvent<AlertRecord>('alert', (alert) => alert.kind === 'payment_rejected', 20_000);
    assert.deepEqual([rejected.transactionId, rejected.reason, rejected.amountMinor, rejected.currency, rejected.panMasked], [atB.paymentId, 'double_spend', '700', 'USD', atB.receipt?.panMasked]);
    await waitDrained(b);
    assert.deepEqual(await usd(b), { currency: 'USD', merchantMinor: '0', offlineClearingMinor: '0' }, "B's payment is reversed");

    // The card is revoked fleet-wide: both terminals hear it.
    for (const terminal of [a, b]) {
      const revoked = await terminal.api.nextEvent<AlertRecord>('alert', (alert) => alert.kind === 'card_revoked', 20_000);
      assert.equal(revoked.reason, 'double_spend', `${terminal.id} hears the revocation`);
      assert.equal(revoked.panMasked, (terminal === a ? atA : atB).receipt?.panMasked, "named by the masked PAN of the card's payment there");
      assert.doesNotMatch(JSON.stringify(revoked), new RegExp(card0), 'never by its card id');
    }

    // Offline at A the card is declined on the revocation list, whatever tokens A still holds.
    unlink(a.proxy);
    await waitReachable(a, false);
    const revokedTap = await pay(a, '500', 0);
    assert.equal(revokedTap.state, 'declined', JSON.stringify(revokedTap));
    assert.equal(revokedTap.reason, 'card_revoked');
    assert.equal(revokedTap.paymentId !== null, true, 'the decline names the payment it refused');

    // Online at B, central declines the blocked card.
    await waitReachable(b, true);
    const blockedTap = await pay(b, '500', 0);
    assert.equal(blockedTap.state, 'declined', JSON.stringify(blockedTap));
    assert.equal(blockedTap.reason, 'card_blocked');
    assert.equal(blockedTap.mode, null);

    relink(a.proxy);
    await waitReachable(a, true);
    await waitDrained(a);
    await waitDrained(b);
    assert.equal((await usd(a)).merchantMinor, '1000');
    assert.equal((await usd(b)).merchantMinor, '0');

    await a.api.close();
    await b.api.close();
    for (const child of [a.process, b.process, central]) assert.equal(await child.stop(), 0, `exit code; output:\n${child.output().slice(-3000)}`);
    for (const dir of [a.dir, b.dir, centralDir]) await assertLedgerVerifies(dir);

    const bBooks = await openLedger({ dataDir: b.dir, clock: systemClock, random: systemRandom, mustExist: true });
    try {
      assert.equal((await bBooks.transactions.get(atB.paymentId!))?.state, 'rejected', "B's payment is rejected on B");
      const reversals = (await bBooks.transactions.all()).filter((transaction) => transaction.kind === 'reversal');
      assert.deepEqual(reversals.map((transaction) => [transaction.referencesId, transaction.memo]), [[atB.paymentId, 'double_spend']], 'one reversal of it, naming the reason');
    } finally {
      await bBooks.close();
    }

    const books = await openLedger({ dataDir: centralDir, clock: systemClock, random: systemRandom, mustExist: true });
    try {
      const aPayment = await books.transactions.get(atA.paymentId!);
      assert.equal(aPayment?.state, 'settled', "central settled A's payment");
      assert.equal(aPayment?.card?.atc, startAtc + 1);
      assert.equal(await books.transactions.get(atB.paymentId!), null, "B's payment never entered central's books");
      const cardPayments = (await books.transactions.all()).filter((transaction) => transaction.card?.cardId === card0 && transaction.card.atc === startAtc + 1);
      assert.deepEqual(cardPayments.map((transaction) => transaction.id), [atA.paymentId], 'exactly one payment of the ATC at central');
      const claim = await books.database.collections.settings.findOne(`atc/${card0}/${startAtc + 1}`).exec();
      assert.equal(claim?.value, atA.paymentId, "the ATC's claim is A's payment");
      const card = JSON.parse((await books.database.collections.settings.findOne(`card/${card0}`).exec())!.value) as { state: string; blockedReason: string; usedThroughAtc: number };
      assert.equal(card.state, 'blocked');
      assert.equal(card.blockedReason, 'double_spend');
      const blocked = (await books.audit.all()).filter((entry) => entry.kind === 'card_blocked');
      assert.deepEqual(blocked.map((entry) => entry.payload), [{ cardId: card0, reason: 'double_spend' }], 'the card was blocked once');
    } finally {
      await books.close();
    }
  } finally {
    await cleanup.run();
  }
});
