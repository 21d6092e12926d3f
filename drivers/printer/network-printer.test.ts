// The network driver against the simulated ESC/POS printer over real TCP on 127.0.0.1.
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { encodeReceipt } from '../../device/escpos/receipt.js';
import { SimEscPosPrinter } from '../sim/sim-escpos-printer.js';
import { NetworkPrinter, PrinterError, type PrinterErrorCode } from './network-printer.js';

const timeoutMs = 300;
const testOptions = { timeout: 5000 };

const receipt = encodeReceipt({
  blocks: [
    { type: 'text', text: 'DevPay Kafe', align: 'center', bold: true, doubleSize: true },
    { type: 'text', text: 'Çay x2   24,00 TRY' },
    { type: 'qr', data: '01HZX3K9V7Q2N8M4R6T1W5Y0AB' },
    { type: 'cut', feedUnits: 3 },
  ],
}).bytes;

const named = (code: PrinterErrorCode) => (error: unknown): boolean => error instanceof PrinterError && error.code === code;

async function withSim(body: (sim: SimEscPosPrinter, printer: NetworkPrinter) => Promise<void>): Promise<void> {
  const sim = await SimEscPosPrinter.start();
  try {
    await body(sim, new NetworkPrinter({ host: '127.0.0.1', port: sim.port, timeoutMs }));
  } finally {
    await sim.close();
  }
}

test('a receipt prints and reads back byte for byte', testOptions, () => withSim(async (sim, printer) => {
  await printer.print(receipt);
  const [printed] = await sim.waitForReceipts(1, 1000);
  assert.deepEqual(printed, receipt);
  await printer.print(receipt);
  assert.equal((await sim.waitForReceipts(2, 1000)).length, 2);
  assert.equal(sim.statusRequestsAnswered, 16, 'each print asks DLE EOT 1–4 before and after the receipt');
}));

test('status of a ready printer', testOptions, () => withSim(async (sim, printer) => {
  const status = await printer.status();
  assert.deepEqual(status, {
    online: true, coverOpen: false, paperOut: false, paperNearEnd: false,
    errors: { any: false, mechanical: false, autocutter: false, unrecoverable: false, autoRecoverable: false },
  });
  sim.faults.paperNearEnd = true;
  assert.equal((await printer.status()).paperNearEnd, true);
  // Near end still prints: the roll has paper left.
  await printer.print(receipt);
  await sim.waitForReceipts(1, 1000);
}));

test('paper out: status says so and print is refused with nothing sent', testOptions, () => withSim(async (sim, printer) => {
  sim.faults.paperOut = true;
  const status = await printer.status();
  assert.equal(status.paperOut, true);
  assert.equal(status.online, false);
  await assert.rejects(printer.print(receipt), named('printer_paper_out'));
  assert.equal(sim.printBytesReceived, 0);
  assert.equal(sim.receipts.length, 0);
}));

test('cover open: status says so and print is refused with nothing sent', testOptions, () => withSim(async (sim, printer) => {
  sim.faults.coverOpen = true;
  const status = await printer.status();
  assert.equal(status.coverOpen, true);
  assert.equal(status.paperOut, false);
  await assert.rejects(printer.print(receipt), named('printer_cover_open'));
  assert.equal(sim.printBytesReceived, 0);
}));

test('a silent printer is printer_timeout within the timeout', testOptions, () => withSim(async (sim, printer) => {
  sim.faults.offline = true;
  const startedMs = performance.now();
  await assert.rejects(printer.status(), named('printer_timeout'));
  await assert.rejects(printer.print(receipt), named('printer_timeout'));
  const elapsedMs = performance.now() - startedMs;
  // It waited for its timeout and then stopped by itself: a generous upper bound, as a loaded CI machine is slow.
  assert.ok(elapsedMs >= 2 * timeoutMs - 20 && elapsedMs < 2 * timeoutMs + 3000, `took ${elapsedMs} ms`);
  assert.equal(sim.receipts.length, 0);
}));

test('nothing listening is printer_unreachable', testOptions, async () => {
  // A port that was free a moment ago: bind, note it, release it.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const printer = new NetworkPrinter({ host: '127.0.0.1', port, timeoutMs });
  await assert.rejects(printer.status(), named('printer_unreachable'));
  await assert.rejects(printer.print(receipt), named('printer_unreachable'));
});

test('a malformed status byte is a named error and the driver recovers', testOptions, () => withSim(async (sim, printer) => {
  sim.faults.malformed = true;
  await assert.rejects(printer.status(), (error: unknown) =>
    named('printer_status_invalid')(error) && (error as PrinterError).cause instanceof Error && ((error as PrinterError).cause as { code?: string }).code === 'escpos_status_invalid');
  await assert.rejects(printer.print(receipt), named('printer_status_invalid'));
  assert.equal(sim.printBytesReceived, 0);
  sim.faults.malformed = false;
  await printer.print(receipt);
  assert.deepEqual((await sim.waitForReceipts(1, 1000))[0], receipt);
}));

test('the simulator frames QR and raster payloads, so data bytes are not read as commands', testOptions, async () => {
  // A raster row of 0x1D 0x56 (GS V) and QR data holding DLE EOT 1 must stay inside one receipt.
  const withTraps = encodeReceipt({
    blocks: [
      { type: 'raster', image: { widthDots: 16, heightDots: 1, data: Uint8Array.of(0x1d, 0x56) } },
      { type: 'qr', data: '\u0010\u0004\u0001' },
      { type: 'cut' },
    ],
  }).bytes;
  await withSim(async (sim, printer) => {
    await printer.print(withTraps);
    assert.deepEqual((await sim.waitForReceipts(1, 1000))[0], withTraps);
    assert.equal(sim.receipts.length, 1);
    assert.equal(sim.statusRequestsAnswered, 8);
  });
});

test('paper running out mid-receipt is printer_paper_out, and the reprint arrives whole', testOptions, () => withSim(async (sim, printer) => {
  sim.faults.paperOutAfterBytes = 20;
  await assert.rejects(printer.print(receipt), (error: unknown) => named('printer_paper_out')(error) && /incomplete/.test((error as Error).message));
  assert.equal(sim.receipts.length, 0);
  assert.equal(sim.engine.incompleteReceipts[0]?.length, 20);
  assert.equal((await printer.status()).paperOut, true);
  sim.faults.paperOut = false;
  await printer.print(receipt);
  assert.deepEqual((await sim.waitForReceipts(1, 1000))[0], receipt);
}));
