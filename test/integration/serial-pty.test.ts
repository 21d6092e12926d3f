// serialport through a real pseudo-terminal pair made by socat: the driver's line exchanges
// framed bytes with a device simulator on the other end, times out on a silent device, and
// names the error for a port that does not exist.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openSync, readSync, writeSync, closeSync, constants } from 'node:fs';
import { SerialLine } from '../../drivers/serial/serial-line.js';
import { requireNativeModules, requireTools } from '../harness/require-tool.js';
import { startPtyPair } from '../harness/socat.js';
import { freshDir } from '../harness/output-dir.js';
import { toHex } from '../../core/clock.js';

/** Replies are [length byte, ...payload]. */
const lengthPrefixed = (received: Uint8Array): number => (received.length === 0 ? -1 : received[0]! + 1);

test('serialport exchanges frames with a device on a socat pty pair', { timeout: 30_000 }, async (context) => {
  const tools = requireTools(context, ['socat']);
  if (!tools || !requireNativeModules(context, ['serialport'])) return;
  const pair = await startPtyPair(tools[0]!, freshDir('pty'));
  const device = openSync(pair.devicePath, constants.O_RDWR | constants.O_NOCTTY);
  const line = await SerialLine.open(pair.hostPath, 57600);
  try {
    // The device answers each request once it has read it: a 3-byte reply in two pieces.
    const answered = line.exchange(Uint8Array.of(0xef, 0x01), lengthPrefixed, { timeoutMs: 5000 });
    const request = Buffer.alloc(2);
    let read = 0;
    while (read < 2) read += readSync(device, request, read, 2 - read, null);
    assert.equal(toHex(request), 'ef01');
    writeSync(device, Buffer.from([0x02, 0xaa]));
    await new Promise((resolve) => setTimeout(resolve, 30));
    writeSync(device, Buffer.from([0xbb]));
    assert.equal(toHex(await answered), '02aabb');

    // A silent device: a named timeout, and the line stays usable.
    await assert.rejects(line.exchange(Uint8Array.of(0x01), lengthPrefixed, { timeoutMs: 200 }), { name: 'DeviceError', code: 'timeout' });
    const again = line.exchange(Uint8Array.of(0x02), lengthPrefixed, { timeoutMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    writeSync(device, Buffer.from([0x01, 0x7f]));
    assert.equal(toHex(await again), '017f');
  } finally {
    await line.close();
    closeSync(device);
    await pair.stop();
  }
});

test('opening a serial port that does not exist is a named error', async (context) => {
  if (!requireNativeModules(context, ['serialport'])) return;
  await assert.rejects(SerialLine.open('/dev/devpay-no-such-port', 9600), { name: 'DeviceError', code: 'not_present' });
});

test('SerialPort.list() answers (needs udev)', async (context) => {
  if (!requireNativeModules(context, ['serialport'])) return;
  // Loaded here, not at the top, so a missing module skips by name instead of failing the file.
  const { SerialPort } = await import('serialport');
  const ports = await SerialPort.list();
  assert.ok(Array.isArray(ports));
});
