// The serial line through a real socat pseudo-terminal pair when the port fails: an 'error'
// from serialport fails the waiting exchange by name and the process carries on; a closed line
// refuses an exchange at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { SerialLine } from './serial-line.js';
import { nativeModuleMessage, nativeModuleProblems } from '../native-modules.js';

/**
 * A socat pseudo-terminal pair; the host end is opened as the serial port. Drivers may not
 * import test/harness, so this is the few lines of its socat harness that these tests need.
 * Without socat or serialport the test is skipped outside CI and fails in CI, as the harness does.
 */
async function ptyPair(context: TestContext): Promise<{ hostPath: string; stop(): Promise<void> } | null> {
  // serialport itself is an optional native module: its absence is named with its fix.
  const missing = nativeModuleProblems().find((problem) => problem.subject === 'serialport');
  if (missing) {
    if (process.env.CI) throw new Error(`CI requires ${nativeModuleMessage(missing)}`);
    context.skip(nativeModuleMessage(missing));
    return null;
  }
  const socat = ['/usr/bin/socat', '/bin/socat', '/usr/local/bin/socat'].find((path) => existsSync(path));
  if (!socat) {
    if (process.env.CI) throw new Error('CI requires socat (apt-get install -y socat)');
    context.skip('socat is not installed (apt-get install -y socat)');
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'devpay-serial-'));
  const hostPath = join(dir, 'host-end');
  const child = spawn(socat, ['-d', `pty,raw,echo=0,link=${join(dir, 'device-end')}`, `pty,raw,echo=0,link=${hostPath}`], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let attempt = 0; attempt < 250 && !existsSync(hostPath); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 20));
  if (!existsSync(hostPath)) {
    child.kill('SIGTERM');
    throw new Error('socat did not create the pty pair within 5 s');
  }
  return {
    hostPath,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const lengthPrefixed = (received: Uint8Array): number => (received.length === 0 ? -1 : received[0]! + 1);

test('a serialport error mid-exchange fails that exchange by name and crashes nothing', { timeout: 20_000 }, async (context) => {
  const pair = await ptyPair(context);
  if (!pair) return;
  const line = await SerialLine.open(pair.hostPath, 57600);
  try {
    const answered = line.exchange(Uint8Array.of(0x01), lengthPrefixed, { timeoutMs: 5000 });
    // What serialport emits when a read fails underneath it (EIO from an unplugged adapter).
    const port = (line as unknown as { port: NodeJS.EventEmitter }).port;
    port.emit('error', Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }));
    await assert.rejects(answered, { name: 'DeviceError', code: 'transport_failed' });
    assert.equal(line.errors, 1);
  } finally {
    await line.close();
    await pair.stop();
  }
});

test('an exchange on a closed line fails at once instead of waiting for its deadline', { timeout: 20_000 }, async (context) => {
  const pair = await ptyPair(context);
  if (!pair) return;
  const line = await SerialLine.open(pair.hostPath, 57600);
  try {
    await line.close();
    const startedMs = performance.now();
    await assert.rejects(line.exchange(Uint8Array.of(0x02), lengthPrefixed, { timeoutMs: 5000 }), { name: 'DeviceError', code: 'transport_failed' });
    assert.ok(performance.now() - startedMs < 1000, 'refused without waiting for the deadline');
  } finally {
    await pair.stop();
  }
});
