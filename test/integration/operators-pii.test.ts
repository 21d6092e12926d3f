// No operator secret reaches the disk or a log in clear. Two terminals are taken through setup,
// enrolment and sign-ins with right and wrong PINs: a real `devpay serve --sim` (the simulated
// R30x module keeps its templates on the device) and an in-process runtime whose fingerprint
// reader is the USB HID reader on the simulated device, which keeps none, so the template is
// sealed in the ledger. Then every file of each data folder (raw bytes: the SQLite database, its
// WAL taken while open, the log files, the embedded central's folder) and every log (stdout,
// stderr, the in-process logger's lines) is searched for each PIN as a run of digits, for each
// operator's scrypt hash and salt (read from the decrypted ledger, so the search is not vacuous),
// and for the host-kept template, as hex, raw bytes and base64. None may be found.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { seededRandom } from '../../core/clock.js';
import type { AuthResult, OperatorSummary } from '../../core/api/operators.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { openLedger, type Ledger } from '../../ledger/ledger.js';
import { LedgerOperators } from '../../ledger/operators.js';
import { HidFingerprintReader } from '../../drivers/hid/hid-fingerprint-reader.js';
import { SimHidFingerprint, simProductId, simVendorId } from '../../drivers/sim/sim-hid-fingerprint.js';
import { createLogger } from '../../runtime/logger.js';
import { TerminalRuntime } from '../../runtime/terminal-runtime.js';
import { attachApiSession, openApiSession, type ApiSession } from '../harness/api-session.js';
import { startDevpay } from '../harness/devpay-process.js';
import { setUpAdmin, signIn } from '../harness/operator-sign-in.js';
import { freshDir } from '../harness/output-dir.js';

// Seven digits each, so none turns up by chance as a whole run of digits.
const pins = { fingered: '8461930', pinned: '2970581', changed: '6150392', hostFingered: '5293748', setupAdmin: '7082615' };
const wrongPins = ['3604817', '9127036', '4850271'];
const digit = (byte: number | undefined): boolean => byte !== undefined && byte >= 0x30 && byte <= 0x39;

interface Needle {
  label: string;
  bytes: Buffer;
  /** A PIN counts only as a whole run of digits; hashes, salts and templates anywhere. */
  wholeDigits: boolean;
  /** Bytes per character: 1 for ASCII, 2 for UTF-16. */
  unitBytes: 1 | 2;
}

function pinNeedles(pin: string): Needle[] {
  return [
    { label: `PIN ${pin}`, bytes: Buffer.from(pin, 'latin1'), wholeDigits: true, unitBytes: 1 },
    { label: `PIN ${pin} (utf16)`, bytes: Buffer.from(pin, 'utf16le'), wholeDigits: true, unitBytes: 2 },
  ];
}

function secretNeedles(label: string, hex: string): Needle[] {
  const bytes = Buffer.from(hex, 'hex');
  return [
    { label: `${label} hex`, bytes: Buffer.from(hex.toLowerCase(), 'latin1') },
    { label: `${label} HEX`, bytes: Buffer.from(hex.toUpperCase(), 'latin1') },
    { label: `${label} bytes`, bytes },
    { label: `${label} base64`, bytes: Buffer.from(bytes.toString('base64').replace(/=+$/, ''), 'latin1') },
  ].map((needle) => ({ ...needle, wholeDigits: false, unitBytes: 1 as const }));
}

/** Whether the needle occurs in the content (for a PIN: not inside a longer run of digits). */
function occurs(content: Buffer, needle: Needle): boolean {
  for (let at = content.indexOf(needle.bytes); at >= 0; at = content.indexOf(needle.bytes, at + 1)) {
    if (!needle.wholeDigits) return true;
    if (!digit(content[at - needle.unitBytes]) && !digit(content[at + needle.bytes.length])) return true;
  }
  return false;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function hits(sources: Array<{ name: string; content: Buffer }>, needles: Needle[]): string[] {
  return sources.flatMap((source) => needles.filter((needle) => occurs(source.content, needle)).map((needle) => `${source.name} holds ${needle.label}`));
}

const folder = (dir: string): Array<{ name: string; content: Buffer }> => filesUnder(dir).map((path) => ({ name: path, content: readFileSync(path) }));

/** Every PIN hash and salt, and every host-kept template, as the decrypted ledger holds them. */
async function ledgerSecrets(ledger: Ledger): Promise<Needle[]> {
  const operators = await new LedgerOperators(ledger).list();
  return operators.flatMap((operator) => [
    ...secretNeedles(`${operator.name}'s PIN hash`, operator.pinHash.hash),
    ...secretNeedles(`${operator.name}'s PIN salt`, operator.pinHash.salt),
    ...(operator.fingerprint.storage === 'host' ? secretNeedles(`${operator.name}'s template`, operator.fingerprint.template) : []),
  ]);
}

/** Enrols with a finger, following the steps as the person at the reader would. */
async function enrolWithFinger(api: ApiSession, params: Record<string, unknown>, place: () => Promise<void> | void, lift: () => Promise<void> | void): Promise<OperatorSummary> {
  const clientId = String(params.clientId);
  const enrolled = api.call<OperatorSummary>('operators.enrol', { ...params, fingerprint: true });
  enrolled.catch(() => undefined);
  for (const step of ['place_finger', 'remove_finger', 'place_again']) {
    await api.nextEvent<{ enrolmentId: string; step: string }>('operators.enrolStep', (event) => event.enrolmentId === clientId && event.step === step);
    await (step === 'remove_finger' ? lift() : place());
  }
  const summary = await enrolled;
  await lift();
  return summary;
}

test('devpay serve --sim: no PIN, PIN hash or salt in clear in the data folder or the logs', { timeout: 120_000 }, async () => {
  const dataDir = freshDir('operators-pii-serve');
  const server = await startDevpay(['serve', '--sim', '--no-pcsc', '--data', dataDir, '--port', '0'], { env: { DEVPAY_LOG_LEVEL: 'debug' } });
  const snapshot = freshDir('operators-pii-serve-open');
  let api: ApiSession | null = null;
  try {
    api = await openApiSession(server.url);
    const session = api;
    await signIn(session, 'admin');
    const place = (fingerIndex: number | null) => async (): Promise<void> => void (await session.call('sim.placeFinger', { fingerIndex }));
    const fingered = await enrolWithFinger(session, { clientId: 'pii-enrol-fingered', name: 'Pii Fingered', role: 'cashier', pin: pins.fingered }, place(5), place(null));
    assert.equal(fingered.fingerprint, 'on_device');
    const pinned = await session.call<OperatorSummary>('operators.enrol', { clientId: 'pii-enrol-pinned', name: 'Pii Pinned', role: 'supervisor', pin: pins.pinned, fingerprint: false });
    await session.call('operators.setPin', { operatorId: pinned.id, pin: pins.changed });
    await session.call('session.signOut');

    // PINs right and wrong, for a sign-in, a re-authentication and an override.
    assert.equal((await session.call<AuthResult>('session.pin', { operatorId: pinned.id, pin: wrongPins[0] })).outcome, 'pin_invalid');
    assert.equal((await session.call<AuthResult>('session.pin', { operatorId: pinned.id, pin: pins.changed })).outcome, 'signed_in');
    assert.equal((await session.call<AuthResult>('session.reauth', { method: 'pin', pin: pins.changed })).outcome, 'signed_in');
    await session.call('session.signOut');
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await session.call('sim.placeFinger', { fingerIndex: 9 });
      assert.equal((await session.call<AuthResult>('session.fingerprint')).outcome, 'no_match');
    }
    await session.call('sim.placeFinger', { fingerIndex: null });
    assert.equal((await session.call<AuthResult>('session.pin', { operatorId: fingered.id, pin: wrongPins[1] })).outcome, 'pin_invalid');
    assert.equal((await session.call<AuthResult>('session.pin', { operatorId: fingered.id, pin: pins.fingered })).outcome, 'signed_in');
    const override = await session.call<AuthResult>('session.override', { permission: 'day_close', supervisor: { method: 'pin', operatorId: pinned.id, pin: pins.changed } });
    assert.equal(override.outcome, 'signed_in');
    await session.call('session.signOut');
    // The folder as it is while the terminal runs, its WAL included.
    cpSync(dataDir, snapshot, { recursive: true });
  } finally {
    await api?.close();
    assert.equal(await server.stop('SIGINT'), 0, server.output().slice(-2000));
  }

  const ledger = await openLedger({ dataDir, clock: systemClock, random: systemRandom, mustExist: true });
  const secrets = await ledgerSecrets(ledger);
  await ledger.close();
  assert.ok(secrets.length >= 4 * 3, 'the hashes and salts were read from the ledger');
  const usedPins = [pins.fingered, pins.pinned, pins.changed, ...wrongPins.slice(0, 2)];
  const needles = [...usedPins.flatMap(pinNeedles), ...secrets];
  const output = Buffer.from(server.output());
  assert.deepEqual(hits([...folder(snapshot), ...folder(dataDir), { name: 'stdout and stderr', content: output }], needles), []);
  // The demo operators' PINs are printed on the console on purpose, and nowhere else.
  const demoPins = [...server.output().matchAll(/PIN\D{0,24}?(\d{4,8})(?!\d)/gi)].map((match) => match[1]!);
  assert.equal(demoPins.length, 2, 'the demo admin\'s and cashier\'s PINs are on the console');
  assert.equal(hits([{ name: 'stdout and stderr', content: output }], demoPins.flatMap(pinNeedles)).length, 2, 'the search finds a PIN where one is');
  assert.deepEqual(hits([...folder(snapshot), ...folder(dataDir)], demoPins.flatMap(pinNeedles)), [], `demo PINs ${demoPins.join(', ')}`);
});

test('in-process with a USB reader keeping no templates: no PIN, hash, salt or template in clear', { timeout: 120_000 }, async () => {
  const dataDir = freshDir('operators-pii-host');
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  const terminalId = 't-piihost01';
  const syncKey = new Uint8Array(32).fill(0x2b);
  const device = new SimHidFingerprint(seededRandom(77));
  const reader = new HidFingerprintReader({ vendorId: simVendorId, productId: simProductId, hid: device, presenceCheckMs: 100 });
  const ledger = await openLedger({ dataDir, owner: terminalId, clock: systemClock, random: systemRandom });
  const runtime = new TerminalRuntime({
    dataDir,
    mode: 'counter',
    simulator: false,
    pcsc: false,
    broker: null,
    clock: systemClock,
    random: systemRandom,
    logger: createLogger({ level: 'debug', destination }),
    ledger,
    terminalId,
    syncKey,
    centralPublicKey: null,
    fingerprintReader: reader,
  });
  await runtime.start();
  const api = attachApiSession(runtime.api);
  const snapshot = freshDir('operators-pii-host-open');
  let secrets: Needle[] = [];
  try {
    // Setup: a wrong code first, then the admin with the right one.
    assert.equal((await api.call<AuthResult>('setup.createAdmin', { setupCode: 'AAAA-BBBB-CCCC', name: 'Pii Admin', pin: pins.setupAdmin })).outcome, 'setup_code_invalid');
    await setUpAdmin(api, { syncKey, terminalId, pin: pins.setupAdmin, name: 'Pii Admin' });
    const touch = (): void => device.touch({ finger: 3 });
    const hosted = await enrolWithFinger(api, { clientId: 'pii-enrol-hosted', name: 'Pii Hosted', role: 'cashier', pin: pins.hostFingered }, touch, () => undefined);
    assert.equal(hosted.fingerprint, 'host', 'the template is kept by the terminal');
    await api.call('session.signOut');
    device.touch({ finger: 3 });
    const byFinger = await api.call<AuthResult>('session.fingerprint');
    assert.deepEqual([byFinger.outcome, byFinger.outcome === 'signed_in' ? byFinger.session.operator?.id : null], ['signed_in', hosted.id]);
    await api.call('session.signOut');
    const admin = (await api.call<Array<{ id: string; role: string }>>('session.operators')).find((operator) => operator.role === 'admin')!;
    assert.equal((await api.call<AuthResult>('session.pin', { operatorId: admin.id, pin: wrongPins[2] })).outcome, 'pin_invalid');
    assert.equal((await api.call<AuthResult>('session.pin', { operatorId: admin.id, pin: pins.setupAdmin })).outcome, 'signed_in');
    // The folder while the ledger is open (its WAL holds the latest writes), then the secrets.
    cpSync(dataDir, snapshot, { recursive: true });
    secrets = await ledgerSecrets(runtime.currentLedger()!);
  } finally {
    await api.close();
    await runtime.stop();
    await runtime.currentLedger()?.close();
  }
  assert.ok(secrets.some((needle) => needle.label.includes('template')), 'the host-kept template was read from the ledger');
  const needles = [...[pins.setupAdmin, pins.hostFingered, wrongPins[2]!].flatMap(pinNeedles), ...secrets];
  assert.deepEqual(hits([...folder(snapshot), ...folder(dataDir), { name: 'the runtime log', content: Buffer.from(logLines.join('')) }], needles), []);
});
