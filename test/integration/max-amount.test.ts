// The largest charge central allows per currency, through a real `devpay serve --sim`: central's
// default limits name it for every currency, an amount above it (an 18-digit IRR amount, a
// typing slip away from ruin) is declined amount_above_maximum before any card is read, and one
// just under it waits for a card as usual.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PaymentUpdate } from '../../core/api/payment.js';
import type { TerminalStatus } from '../../core/api/status.js';
import { currencyCodes } from '../../core/currency.js';
import { defaultMaxPaymentMinor } from '../../core/ledger/limits.js';
import { declineReasons } from '../../core/card/decline-reasons.js';
import { startDevpay } from '../harness/devpay-process.js';
import { openApiSession } from '../harness/api-session.js';
import { signIn } from '../harness/operator-sign-in.js';
import { freshDir } from '../harness/output-dir.js';
import { until } from '../harness/until.js';
import { openLedger } from '../../ledger/ledger.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';

test('devpay serve --sim: a charge above central maximum is declined by name before any card is read', { timeout: 90_000 }, async () => {
  const dataDir = freshDir('max-amount');
  const server = await startDevpay(['serve', '--sim', '--no-pcsc', '--data', dataDir, '--port', '0']);
  const api = await openApiSession(server.url);
  try {
    await signIn(api);
    await until("central's limits", 20_000, async () => (await api.call<TerminalStatus>('status.get')).sync.offlineLimits !== null);
    const limits = (await api.call<TerminalStatus>('status.get')).sync.offlineLimits!;
    for (const currency of currencyCodes) assert.equal(limits.currencies[currency]?.maxPaymentMinor, defaultMaxPaymentMinor[currency], `central names the ${currency} maximum`);

    const cards = await api.call<Array<{ cardIndex: number; currency: string; atc: number }>>('sim.cards');
    const irrCard = cards.find((card) => card.currency === 'IRR');
    assert.ok(irrCard, 'the simulator has an IRR card');

    const huge = await api.call<PaymentUpdate>('payment.start', { amountMinor: '100000000000000000', currency: 'IRR' });
    assert.deepEqual([huge.state, huge.reason, huge.message, huge.paymentId], ['declined', 'amount_above_maximum', declineReasons.amount_above_maximum, null]);
    assert.equal(await api.call('payment.current'), null, 'no charge left open');
    const pushed = await api.nextEvent<PaymentUpdate>('payment.updated', (update) => update.attemptId === huge.attemptId, 5_000);
    assert.equal(pushed.reason, 'amount_above_maximum', 'the screen hears it as an update too');
    // No charge waits: a tap now is ignored and the card is never read.
    await api.call('sim.tap', { cardIndex: irrCard.cardIndex });
    await api.nextEvent('reader.cardIgnored', () => true, 5_000);
    assert.equal((await api.call<Array<{ atc: number; currency: string }>>('sim.cards')).find((card) => card.currency === 'IRR')?.atc, irrCard.atc, 'no card read');

    const over = await api.call<PaymentUpdate>('payment.start', { amountMinor: (BigInt(defaultMaxPaymentMinor.IRR) + 1n).toString(), currency: 'IRR' });
    assert.equal(over.reason, 'amount_above_maximum', 'one rial over is over');
    const atMaximum = await api.call<PaymentUpdate>('payment.start', { amountMinor: defaultMaxPaymentMinor.IRR, currency: 'IRR' });
    assert.equal(atMaximum.state, 'waiting_for_card', 'the maximum itself is allowed');
    assert.deepEqual(await api.call('payment.cancel', { attemptId: atMaximum.attemptId }), { cancelled: true });
    await api.nextEvent<PaymentUpdate>('payment.updated', (update) => update.attemptId === atMaximum.attemptId && update.state === 'cancelled', 5_000);
    const underMaximum = await api.call<PaymentUpdate>('payment.start', { amountMinor: (BigInt(defaultMaxPaymentMinor.IRR) - 1n).toString(), currency: 'IRR' });
    assert.equal(underMaximum.state, 'waiting_for_card', 'just under the maximum waits for a card');
    assert.deepEqual(await api.call('payment.cancel', { attemptId: underMaximum.attemptId }), { cancelled: true });
    assert.doesNotMatch(server.output(), /unhandled|TypeError/);
  } finally {
    await api.close();
    await server.stop();
  }
  // Audited like every other decline.
  const ledger = await openLedger({ dataDir, clock: systemClock, random: systemRandom, mustExist: true });
  try {
    const declines = (await ledger.audit.all()).filter((entry) => entry.kind === 'card_payment_declined').map((entry) => entry.payload as { reason: string; paymentId: string | null });
    assert.deepEqual(declines.map((decline) => [decline.reason, decline.paymentId]), [['amount_above_maximum', null], ['amount_above_maximum', null]]);
  } finally {
    await ledger.close();
  }
});
