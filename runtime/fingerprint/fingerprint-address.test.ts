import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HidApi } from '../../drivers/hid/hid-api.js';
import { fingerprintDescriptor, FingerprintAddressError, openFingerprintReader, parseFingerprintAddress } from './fingerprint-address.js';

test('serial and HID addresses parse, with the R30x default baud rate', () => {
  assert.deepEqual(parseFingerprintAddress('serial:/dev/ttyUSB0'), { transport: 'serial', path: '/dev/ttyUSB0', baudRate: 57600 });
  assert.deepEqual(parseFingerprintAddress('serial:/dev/ttyS1@115200'), { transport: 'serial', path: '/dev/ttyS1', baudRate: 115200 });
  assert.deepEqual(parseFingerprintAddress('serial:/dev/serial/by-id/usb-fpm@9600'), { transport: 'serial', path: '/dev/serial/by-id/usb-fpm', baudRate: 9600 });
  assert.deepEqual(parseFingerprintAddress('hid:1209:F1a0'), { transport: 'hid', vendorId: 0x1209, productId: 0xf1a0 });
  assert.equal(fingerprintDescriptor(parseFingerprintAddress('hid:1209:F1a0')), 'hid:1209:f1a0');
  assert.equal(fingerprintDescriptor(parseFingerprintAddress('serial:/dev/ttyUSB0@19200')), 'serial:/dev/ttyUSB0');
});

test('bad addresses are named errors that show an example', () => {
  for (const value of ['', 'serial:', 'serial:ttyUSB0', 'serial:/dev/ttyUSB0@57601', 'serial:/dev/ttyUSB0@4800', 'hid:1209', 'hid:12345:0001', 'hid:xyzw:0001', 'usb:1209:f1a0', 'tcp:1.2.3.4:9100']) {
    assert.throws(() => parseFingerprintAddress(value), (error: unknown) => error instanceof FingerprintAddressError && /serial:\/dev\/ttyUSB0/.test(error.message), value);
  }
});

test('a serial address builds the R30x driver, unopened, reporting a missing port as unavailable', async () => {
  const reader = openFingerprintReader('serial:/dev/devpay-no-such-fingerprint-port', { reconnectIntervalMs: 0 });
  try {
    assert.equal(reader.templateStorage, 'on_device');
    assert.equal(reader.info.descriptor, 'serial:/dev/devpay-no-such-fingerprint-port');
    assert.equal(reader.info.kind, 'biometric_reader');
    // Without serialport installed the open fails service_unavailable by name; with it, not_present.
    await assert.rejects(reader.readInfo({ timeoutMs: 2000 }), (error: unknown) => ['not_present', 'service_unavailable'].includes((error as { code?: string }).code ?? ''));
    assert.equal(reader.health().health, 'unavailable');
  } finally {
    await reader.close();
  }
});

test('a HID address builds the HID driver for that vendor and product', async () => {
  // An empty bus: no reader plugged in, so nothing is opened.
  const emptyBus: HidApi = { devices: () => [], open: (path) => { throw new Error(`nothing to open at ${path}`); } };
  const reader = openFingerprintReader('hid:1209:f1a0', { hid: emptyBus });
  try {
    assert.equal(reader.templateStorage, 'host');
    assert.equal(reader.info.descriptor, 'hid:1209:f1a0');
  } finally {
    await reader.close();
  }
});
