// HidFingerprintReader through real node-hid and the real kernel HID stack: a virtual reader made
// through /dev/uhid (test/harness/uhid-device.ts) whose reports are the simulated reader's. Where
// /dev/uhid exists, this checks what the replay transcripts cannot: that the report descriptor,
// report ids and 64-byte reports survive hidraw and hidapi, that discovery by vendor and product
// id finds the device, and that destroying it (an unplug) and creating it again is recovered
// without a new reader. Where /dev/uhid does not exist, the test is skipped and says why.
import assert from 'node:assert/strict';
import { accessSync, constants, existsSync } from 'node:fs';
import { test } from 'node:test';
import { seededRandom } from '../../core/clock.js';
import { DeviceError } from '../../device/capabilities.js';
import { HidFingerprintReader } from '../../drivers/hid/hid-fingerprint-reader.js';
import { nativeModuleMessage, nativeModuleProblems } from '../../drivers/native-modules.js';
import { fixtureCandidates } from '../../drivers/replay/hid-fixtures.js';
import { SimHidFingerprint, simDevicePath, simVendorId } from '../../drivers/sim/sim-hid-fingerprint.js';
import { UhidDevice } from '../harness/uhid-device.js';
import { until } from '../harness/until.js';

/** A product id of pid.codes' test range, apart from the replay fixtures', so a real reader is never mistaken for it. */
const uhidProductId = 0x0002;

function skipReason(): string | false {
  if (!existsSync('/dev/uhid')) return '/dev/uhid is absent on this machine (no uhid kernel module); HID is covered by replay transcripts';
  try {
    accessSync('/dev/uhid', constants.R_OK | constants.W_OK);
  } catch (error) {
    return `/dev/uhid exists but this user cannot read and write it (${(error as Error).message}); HID is covered by replay transcripts`;
  }
  const problem = nativeModuleProblems().find((candidate) => candidate.subject === 'node-hid');
  return problem ? nativeModuleMessage(problem) : false;
}

test('a uhid virtual reader: info, identification, unplug and replug through node-hid', { skip: skipReason(), timeout: 60_000 }, async () => {
  const sim = new SimHidFingerprint(seededRandom(11));
  const plugIn = (): UhidDevice => new UhidDevice({ name: 'DevPay FP-H1 uhid test', vendorId: simVendorId, productId: uhidProductId, device: sim.open(simDevicePath) });
  let device = plugIn();
  const reader = new HidFingerprintReader({ vendorId: simVendorId, productId: uhidProductId, presenceCheckMs: 100 });
  try {
    // The kernel makes the hidraw node after UHID_CREATE2; udev may take a moment to let us open it.
    await until('the uhid reader to open (a hidraw node is often root-only; see the reader health detail)', 10_000, () => reader.health().health === 'ok');
    const info = await reader.readInfo({ timeoutMs: 5000 });
    assert.equal(info.model, 'DevPay FP-H1 (simulated)');
    assert.equal(info.templateStorage, 'host');

    sim.touch({ finger: 0 });
    const match = await reader.identify(fixtureCandidates, { timeoutMs: 5000 });
    assert.equal(match.type, 'matched');
    assert.equal((match as { slot: number }).slot, 1);

    device.destroy();
    await until('the reader to notice the unplug', 10_000, () => reader.health().health === 'unavailable');
    await assert.rejects(reader.identify(fixtureCandidates, { timeoutMs: 2000 }), (error: unknown) => error instanceof DeviceError && error.code === 'not_present');

    device = plugIn();
    await until('the reader to find the replugged device', 10_000, () => reader.health().health === 'ok');
    sim.touch({ finger: 2 });
    const again = await reader.identify(fixtureCandidates, { timeoutMs: 5000 });
    assert.equal((again as { slot: number }).slot, 2);
  } finally {
    await reader.close();
    device.destroy();
  }
});
