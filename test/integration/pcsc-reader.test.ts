// The real PC/SC path: nfc-pcsc → pcscd → vsmartcard-vpcd → our virtual card over vpcd's
// socket. The pcsc: driver must see the vpcd reader, the card's ATR, exchange an APDU with it,
// and notice the card leaving. Without pcscd it says so and does not spin; without nfc-pcsc it
// says that by name with the fix, once, and does not retry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toHex, fromHex } from '../../core/clock.js';
import { DeviceManager } from '../../device/device-manager.js';
import type { CardEvent, CardReader } from '../../device/capabilities.js';
import { createRequire } from 'node:module';
import { PcscService, nfcPcscProblem } from '../../drivers/pcsc/pcsc-service.js';
import { nativeModuleMessage } from '../../drivers/native-modules.js';
import { VpcdCardBridge } from '../../drivers/sim/vpcd-card-bridge.js';
import { blankCard, devpayAtr } from '../../drivers/sim/virtual-card.js';
import { requireNativeModules, requireTools } from '../harness/require-tool.js';
import { startPcscd, vpcdDriverPath } from '../harness/pcscd.js';
import { waitForValue as waitFor } from '../harness/until.js';


test('nfc-pcsc sees the vpcd reader and the virtual card through the real pcscd', { timeout: 60_000 }, async (context) => {
  const tools = requireTools(context, ['pcscd', vpcdDriverPath]);
  if (!tools || !requireNativeModules(context, ['nfc-pcsc'])) return;
  const pcscd = await startPcscd(tools[0]!);
  const devices = new DeviceManager();
  const warnings: string[] = [];
  const service = new PcscService({ devices, onWarning: (message) => warnings.push(message) });
  const bridge = new VpcdCardBridge(blankCard(), { port: pcscd.vpcdPort });
  try {
    service.start();
    const reader = await waitFor('a vpcd reader', 15_000, () =>
      devices.all().find((device): device is CardReader => device.info.descriptor.startsWith('pcsc:Virtual%20PCD')),
    );
    assert.equal(reader.info.kind, 'card_reader');
    assert.equal(devices.get('pcsc:pcscd')?.health().health, 'ok');

    const events: CardEvent[] = [];
    reader.onCard((event) => events.push(event));
    // The first slot may have seen the card before we listened; re-insert to observe it.
    bridge.remove();
    await new Promise((resolve) => setTimeout(resolve, 300));
    bridge.insert(blankCard());
    const present = await waitFor('the card ATR', 15_000, () => events.find((event) => event.type === 'card_present'));
    assert.equal(present.type === 'card_present' && toHex(present.atr), toHex(devpayAtr));

    const response = await reader.transmit(fromHex('00a4040007a000000004101000'), { timeoutMs: 5000 });
    assert.equal(toHex(response), '6d00', 'the blank card answers instruction-not-supported');

    bridge.remove();
    await waitFor('the card to leave', 15_000, () => events.find((event) => event.type === 'card_removed'));
    await assert.rejects(reader.transmit(fromHex('00b0000000'), { timeoutMs: 2000 }), { name: 'DeviceError', code: 'not_present' });
  } finally {
    bridge.close();
    await service.close();
    await pcscd.stop();
  }
  assert.deepEqual(warnings, []);
});

test('without pcscd the driver reports the service unavailable and does not spin', { timeout: 20_000 }, async () => {
  const devices = new DeviceManager();
  // Whether nfc-pcsc is installed does not matter here: the socket is looked for first.
  const service = new PcscService({ devices, socketPath: '/nonexistent/pcscd.comm', retryIntervalMs: 100, moduleProblem: () => null });
  const cpuBefore = process.cpuUsage();
  service.start();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const cpu = process.cpuUsage(cpuBefore);
  await service.close();
  const stack = devices.get('pcsc:pcscd');
  assert.equal(stack?.health().health, 'unavailable');
  assert.match(stack?.health().detail ?? '', /pcscd is not running/);
  assert.ok(cpu.user + cpu.system < 300_000, `used ${(cpu.user + cpu.system) / 1000} ms of CPU in 1 s while waiting`);
});

test('without nfc-pcsc the driver names the missing module and its fix, once', { timeout: 20_000 }, async () => {
  const devices = new DeviceManager();
  const warnings: string[] = [];
  const message = nativeModuleMessage({ code: 'native_module_missing', subject: 'nfc-pcsc', fix: 'apt-get install -y libpcsclite-dev pcscd, then npm install' });
  const service = new PcscService({ devices, retryIntervalMs: 50, moduleProblem: () => message, onWarning: (warning) => warnings.push(warning) });
  service.start();
  await new Promise((resolve) => setTimeout(resolve, 300));
  await service.close();
  const stack = devices.get('pcsc:pcscd');
  assert.equal(stack?.health().health, 'unavailable');
  assert.equal(stack?.health().detail, message);
  assert.match(message, /^nfc-pcsc is not installed.*fix: apt-get install -y libpcsclite-dev/);
  assert.deepEqual(warnings, [message], 'said once: no retry can help until it is installed');
  // And the real check agrees with the module loading here or not.
  let loads = true;
  try {
    createRequire(import.meta.url)('nfc-pcsc');
  } catch {
    loads = false;
  }
  assert.equal(nfcPcscProblem() === null, loads);
});
