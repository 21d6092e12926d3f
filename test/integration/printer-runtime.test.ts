// Receipts through a real `devpay serve --sim --printer tcp:…` against the simulated ESC/POS
// printer on a loopback port: an approved payment prints the merchant's copy and, with the
// preference on, the customer's; with the paper out the payment is still approved, receipt.printed
// names printer_paper_out and the status bar shows the problem; once the paper is back,
// receipt.print reprints it whole. The X report prints too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PaymentUpdate } from '../../core/api/payment.js';
import type { TerminalStatus } from '../../core/api/status.js';
import { SimEscPosPrinter } from '../../drivers/sim/sim-escpos-printer.js';
import { openApiSession, type ApiSession } from '../harness/api-session.js';
import { startDevpay } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { until } from '../harness/until.js';
import { reauthenticate, setUpAdmin, signIn } from '../harness/operator-sign-in.js';

type Printed = { transactionId: string; copy: string; printed: boolean; failure: string | null };
const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

async function pay(api: ApiSession, amountMinor: string): Promise<PaymentUpdate> {
  const [card] = await api.call<Array<{ cardIndex: number; currency: string }>>('sim.cards');
  const started = await api.call<PaymentUpdate>('payment.start', { amountMinor, currency: card!.currency });
  await api.call('sim.tap', { cardIndex: card!.cardIndex });
  return api.nextEvent<PaymentUpdate>('payment.updated', (update) => update.attemptId === started.attemptId && ['approved', 'declined', 'cancelled'].includes(update.state), 20_000);
}

test('devpay serve --printer tcp: receipts after approval, paper out never fails the payment, reprint', { timeout: 120_000 }, async () => {
  const printer = await SimEscPosPrinter.start();
  const server = await startDevpay(['serve', '--sim', '--no-pcsc', '--data', freshDir('printer-runtime'), '--port', '0', '--printer', `tcp:127.0.0.1:${printer.port}`]);
  const api = await openApiSession(server.url);
  try {
    await signIn(api);
    await until('central reachable', 20_000, async () => (await api.call<TerminalStatus>('status.get')).link.centralReachable);
    const descriptor = `tcp:127.0.0.1:${printer.port}`;
    await until('printer ready on the status bar', 10_000, async () =>
      (await api.call<TerminalStatus>('status.get')).devices.some((device) => device.descriptor === descriptor && device.health === 'ok' && device.problem === null));

    // Both copies, by default.
    const first = await pay(api, '1250');
    assert.equal(first.state, 'approved', `approved: ${first.reason}`);
    const merchant = await api.nextEvent<Printed>('receipt.printed', (event) => event.transactionId === first.paymentId && event.copy === 'merchant', 15_000);
    const customer = await api.nextEvent<Printed>('receipt.printed', (event) => event.transactionId === first.paymentId && event.copy === 'customer', 15_000);
    assert.deepEqual([merchant.printed, merchant.failure, customer.printed, customer.failure], [true, null, true, null]);
    const [merchantCopy, customerCopy] = await printer.waitForReceipts(2, 5000);
    assert.match(latin1(merchantCopy!), /MERCHANT COPY/);
    assert.match(latin1(customerCopy!), /CUSTOMER COPY/);
    assert.ok(latin1(merchantCopy!).includes(first.paymentId!), 'the payment id is printed');
    assert.ok(!latin1(merchantCopy!).includes(first.receipt!.panMasked), 'never more of the card than its last four');

    // The merchant turns the customer's copy off: one receipt.
    await reauthenticate(api);
    await api.call('preferences.set', { printCustomerCopy: false });
    const second = await pay(api, '300');
    assert.equal(second.state, 'approved');
    await api.nextEvent<Printed>('receipt.printed', (event) => event.transactionId === second.paymentId && event.copy === 'merchant' && event.printed, 15_000);
    await printer.waitForReceipts(3, 5000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(printer.receipts.length, 3, 'no customer copy');

    // Paper out: approved all the same, the failure named, the status bar shows it.
    printer.faults.paperOut = true;
    const third = await pay(api, '700');
    assert.equal(third.state, 'approved', 'a printer problem never declines a payment');
    const failed = await api.nextEvent<Printed>('receipt.printed', (event) => event.transactionId === third.paymentId, 15_000);
    assert.deepEqual([failed.printed, failed.failure], [false, 'printer_paper_out']);
    const status = await api.call<TerminalStatus>('status.get');
    assert.equal(status.devices.find((device) => device.descriptor === descriptor)?.problem, 'paper_out');

    // Paper back: the reprint arrives whole.
    printer.faults.paperOut = false;
    const reprint = await api.call<{ printed: boolean; failure: string | null }>('receipt.print', { transactionId: third.paymentId, copy: 'merchant' });
    assert.deepEqual([reprint.printed, reprint.failure], [true, null]);
    const receipts = await printer.waitForReceipts(4, 5000);
    assert.ok(latin1(receipts[3]!).includes(third.paymentId!));
    assert.equal(receipts[3]!.at(-4), 0x1d, 'ends with its cut');

    // Both copies on request, and a day report.
    assert.equal((await api.call<{ printed: boolean }>('receipt.print', { transactionId: first.paymentId, copy: 'both' })).printed, true);
    await printer.waitForReceipts(6, 5000);
    assert.equal((await api.call<{ printed: boolean }>('report.print', {})).printed, true);
    assert.match(latin1((await printer.waitForReceipts(7, 10_000))[6]!), /X REPORT/);

    // An unknown transaction is a named refusal.
    await assert.rejects(api.call('receipt.print', { transactionId: '01HZZZZZZZZZZZZZZZZZZZZZZZ', copy: 'merchant' }), /transaction_not_found/);
  } finally {
    await api.close();
    await server.stop();
    await printer.close();
  }
});

test('devpay serve without a printer answers printer_not_configured', { timeout: 60_000 }, async () => {
  // Provisioned (a sync key, no broker), so its first admin can be created to print.
  const syncKeyHex = '3c'.repeat(32);
  const server = await startDevpay(['serve', '--no-pcsc', '--data', freshDir('printer-none'), '--port', '0'], { env: { DEVPAY_SYNC_KEY: syncKeyHex } });
  const api = await openApiSession(server.url);
  try {
    await setUpAdmin(api, { syncKey: syncKeyHex, pin: '4718290' });
    const status = await api.call<TerminalStatus>('status.get');
    assert.equal(status.devices.filter((device) => device.kind === 'receipt_printer').length, 0);
    assert.deepEqual(await api.call('report.print', {}), { printed: false, failure: 'printer_not_configured', unmappableCount: 0 });
  } finally {
    await api.close();
    await server.stop();
  }
});
