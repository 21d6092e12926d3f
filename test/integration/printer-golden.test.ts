// Golden byte transcripts: a receipt in each language (en, tr, fa) printed through the real
// drivers, on a TCP socket (NetworkPrinter) and on a socat pseudo-terminal (SerialPrinter), must
// reach the simulated printer exactly as committed in test/fixtures/receipts/<locale>.hex. A
// change to the layout, the code page, the shaping or the font rasteriser shows up as a diff of
// those files. To accept an intended change, regenerate them and review the diff:
//   DEVPAY_UPDATE_GOLDEN=1 node --import tsx --test test/integration/printer-golden.test.ts
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { locales } from '../../core/api/preferences.js';
import { fromHex, toHex } from '../../core/clock.js';
import { NetworkPrinter } from '../../drivers/printer/network-printer.js';
import { SerialPrinter } from '../../drivers/printer/serial-printer.js';
import { SimEscPosPrinter } from '../../drivers/sim/sim-escpos-printer.js';
import { SimEscPosPtyPrinter } from '../../drivers/sim/sim-escpos-pty.js';
import { encodeTransactionReceipt } from '../../runtime/printing/receipt-rendering.js';
import { freshDir } from '../harness/output-dir.js';
import { receiptSamples } from '../harness/receipt-samples.js';
import { requireNativeModules, requireTools } from '../harness/require-tool.js';
import { startPtyPair } from '../harness/socat.js';

const fixtures = join(process.cwd(), 'test', 'fixtures', 'receipts');
const updating = process.env.DEVPAY_UPDATE_GOLDEN === '1';

/** Hex in lines of 64 bytes, so a diff of a fixture points at the bytes that moved. */
const toHexLines = (bytes: Uint8Array): string => (toHex(bytes).match(/.{1,128}/g) ?? []).join('\n') + '\n';
const fromHexLines = (text: string): Uint8Array => fromHex(text.replace(/\s+/g, ''));

function golden(locale: string, bytes: Uint8Array): Uint8Array {
  const path = join(fixtures, `${locale}.hex`);
  if (updating) writeFileSync(path, toHexLines(bytes));
  assert.ok(existsSync(path), `${path} is missing; regenerate with DEVPAY_UPDATE_GOLDEN=1`);
  return fromHexLines(readFileSync(path, 'utf8'));
}

for (const locale of locales) {
  test(`the ${locale} receipt encodes to its golden transcript`, () => {
    const encoded = encodeTransactionReceipt(receiptSamples[locale]);
    assert.equal(encoded.unmappable, 0, `every character printable: ${encoded.unmappableCharacters.join('')}`);
    assert.deepEqual(encoded.bytes, golden(locale, encoded.bytes));
  });
}

test('each golden receipt arrives byte for byte over TCP through the network driver', { timeout: 30_000 }, async () => {
  const sim = await SimEscPosPrinter.start();
  try {
    const printer = new NetworkPrinter({ host: '127.0.0.1', port: sim.port, timeoutMs: 5000 });
    for (const locale of locales) await printer.print(encodeTransactionReceipt(receiptSamples[locale]).bytes);
    const received = await sim.waitForReceipts(locales.length, 5000);
    locales.forEach((locale, index) => assert.deepEqual(received[index], golden(locale, received[index]!), `${locale} over TCP`));
  } finally {
    await sim.close();
  }
});

test('each golden receipt arrives byte for byte on a socat pty through the serial driver', { timeout: 60_000 }, async (context) => {
  const tools = requireTools(context, ['socat']);
  if (!tools || !requireNativeModules(context, ['serialport'])) return;
  const pair = await startPtyPair(tools[0]!, freshDir('printer-golden-pty'));
  const sim = await SimEscPosPtyPrinter.open(pair.devicePath);
  const printer = new SerialPrinter({ path: pair.hostPath, timeoutMs: 20_000 });
  try {
    for (const locale of locales) await printer.print(encodeTransactionReceipt(receiptSamples[locale]).bytes);
    const received = await sim.engine.waitForReceipts(locales.length, 5000);
    locales.forEach((locale, index) => assert.deepEqual(received[index], golden(locale, received[index]!), `${locale} on a pty`));
    assert.equal(sim.engine.statusRequestsAnswered, locales.length * 8, 'DLE EOT 1–4 before and after each receipt');
  } finally {
    await printer.close();
    await sim.close();
    await pair.stop();
  }
});
