// Printer faults through the real drivers: the serial driver on a socat pseudo-terminal pair
// with the simulated printer on the other end, and the network driver on loopback TCP. Paper
// running out partway through a receipt is named and the reprint arrives whole; an open cover
// refuses with nothing sent; a silent printer times out; a printer that goes away (the pty pair
// removed, the TCP printer closed) is a named error, never a hang or a crash.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { encodeReceipt } from '../../device/escpos/receipt.js';
import { NetworkPrinter } from '../../drivers/printer/network-printer.js';
import { PrinterError, type PrinterErrorCode } from '../../drivers/printer/printer-error.js';
import { SerialPrinter } from '../../drivers/printer/serial-printer.js';
import { SimEscPosPrinter } from '../../drivers/sim/sim-escpos-printer.js';
import { SimEscPosPtyPrinter } from '../../drivers/sim/sim-escpos-pty.js';
import { freshDir } from '../harness/output-dir.js';
import { requireNativeModules, requireTools } from '../harness/require-tool.js';
import { startPtyPair, type PtyPair } from '../harness/socat.js';

const receipt = encodeReceipt({
  blocks: [
    { type: 'text', text: 'DevPay', align: 'center', bold: true },
    { type: 'text', text: 'Çay x2   24,00 TRY' },
    { type: 'raster', image: { widthDots: 64, heightDots: 24, data: new Uint8Array(8 * 24).fill(0x5a) } },
    { type: 'qr', data: '01JQ4ZK8V7Q2N8M4R6T1W5Y0AB' },
    { type: 'cut' },
  ],
}).bytes;
const named = (code: PrinterErrorCode) => (error: unknown): boolean => error instanceof PrinterError && error.code === code;

async function withPty(context: TestContext, body: (rig: { pair: PtyPair; sim: SimEscPosPtyPrinter; printer: SerialPrinter }) => Promise<void>): Promise<void> {
  const tools = requireTools(context, ['socat']);
  if (!tools || !requireNativeModules(context, ['serialport'])) return;
  const pair = await startPtyPair(tools[0]!, freshDir('printer-pty'));
  const sim = await SimEscPosPtyPrinter.open(pair.devicePath);
  const printer = new SerialPrinter({ path: pair.hostPath, timeoutMs: 1500 });
  try {
    await body({ pair, sim, printer });
  } finally {
    await printer.close();
    await sim.close();
    await pair.stop();
  }
}

test('pty: paper out mid-receipt is printer_paper_out, and the reprint arrives whole', { timeout: 30_000 }, (context) => withPty(context, async ({ sim, printer }) => {
  sim.engine.faults.paperOutAfterBytes = 40;
  await assert.rejects(printer.print(receipt), (error: unknown) => named('printer_paper_out')(error) && /incomplete/.test((error as Error).message));
  assert.equal(sim.engine.receipts.length, 0, 'nothing counts as printed');
  assert.equal(sim.engine.incompleteReceipts[0]?.length, 40);
  assert.equal((await printer.status()).paperOut, true);
  await assert.rejects(printer.print(receipt), named('printer_paper_out'), 'refused before sending while out');
  sim.engine.faults.paperOut = false;
  await printer.print(receipt);
  assert.deepEqual((await sim.engine.waitForReceipts(1, 2000))[0], receipt);
}));

test('pty: cover open refuses with nothing sent; near end still prints', { timeout: 30_000 }, (context) => withPty(context, async ({ sim, printer }) => {
  sim.engine.faults.coverOpen = true;
  assert.equal((await printer.status()).coverOpen, true);
  await assert.rejects(printer.print(receipt), named('printer_cover_open'));
  assert.equal(sim.engine.printBytesReceived, 0);
  sim.engine.faults.coverOpen = false;
  sim.engine.faults.paperNearEnd = true;
  await printer.print(receipt);
  assert.equal((await sim.engine.waitForReceipts(1, 2000)).length, 1);
}));

test('pty: a silent printer is printer_timeout, malformed status printer_status_invalid, and the port recovers', { timeout: 30_000 }, (context) => withPty(context, async ({ sim, printer }) => {
  sim.engine.faults.offline = true;
  await assert.rejects(printer.status(), named('printer_timeout'));
  sim.engine.faults.offline = false;
  sim.engine.faults.malformed = true;
  await assert.rejects(printer.print(receipt), named('printer_status_invalid'));
  sim.engine.faults.malformed = false;
  await printer.print(receipt);
  assert.deepEqual((await sim.engine.waitForReceipts(1, 2000))[0], receipt);
}));

test('pty: the printer going away is a named error, and so is every call while it is gone', { timeout: 30_000 }, (context) => withPty(context, async ({ pair, printer }) => {
  await printer.status();
  await pair.stop();
  await assert.rejects(printer.print(receipt), (error: unknown) => error instanceof PrinterError && ['printer_offline', 'printer_unreachable', 'printer_timeout'].includes(error.code));
  await assert.rejects(printer.status(), named('printer_unreachable'), 'the port is gone: it cannot be reopened');
}));

test('tcp: the printer closed is printer_unreachable', { timeout: 30_000 }, async () => {
  const sim = await SimEscPosPrinter.start();
  const printer = new NetworkPrinter({ host: '127.0.0.1', port: sim.port, timeoutMs: 1500 });
  await printer.print(receipt);
  await sim.close();
  await assert.rejects(printer.print(receipt), named('printer_unreachable'));
  await assert.rejects(printer.status(), named('printer_unreachable'));
});
