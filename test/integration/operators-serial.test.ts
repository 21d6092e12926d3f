// Operators through real parts: an in-process TerminalRuntime on a manual clock whose
// fingerprint reader is the R30x driver over serialport on a socat pseudo-terminal pair, the
// simulated module answering in the real bytes at the other end. Over the API: the first admin
// from the setup code, operators enrolled with a finger (guided by operators.enrolStep), sign-in
// by finger, a stranger's finger refused until the PIN is offered, the PIN fallback, wrong PINs
// up to the lockout and a supervisor lifting it, a supervisor's one-use override, the idle lock
// and the absolute end of a session as the clock moves, a sensitive action asking for a fresh
// authentication, the role refusals named, and the module unplugged (PIN allowed) and plugged
// back (finger again). The ledger's audit journal holds every sign-in, failure, lockout,
// override and sign-out, never a PIN.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualClock, seededRandom } from '../../core/clock.js';
import type { AuthResult, OperatorSession, OperatorSummary } from '../../core/api/operators.js';
import { defaultOperatorPolicy } from '../../core/operators/operator-policy.js';
import { openLedger } from '../../ledger/ledger.js';
import { testDataKey } from '../../ledger/test-ledger.js';
import { serialFingerprintLink } from '../../drivers/fingerprint/fingerprint-link.js';
import { R30xFingerprintReader } from '../../drivers/fingerprint/r30x-fingerprint-reader.js';
import { SimR30xModule } from '../../drivers/sim/sim-r30x-module.js';
import { SimR30xPtyModule } from '../../drivers/sim/sim-r30x-pty.js';
import { createLogger } from '../../runtime/logger.js';
import { TerminalRuntime } from '../../runtime/terminal-runtime.js';
import { ApiCallError, attachApiSession, type ApiSession } from '../harness/api-session.js';
import { setUpAdmin } from '../harness/operator-sign-in.js';
import { freshDir } from '../harness/output-dir.js';
import { requireNativeModules, requireTools } from '../harness/require-tool.js';
import { startPtyPair } from '../harness/socat.js';
import { until } from '../harness/until.js';

const terminalId = 't-operators1';
const syncKey = new Uint8Array(32).fill(0x6e);
// Seven digits, unlike any number the test or the ledger makes by chance.
const pins = { admin: '4906127', cashier: '7315846', supervisor: '2684093', technician: '5173920', wrong: '9051738' };
const fingers = { cashier: 21, supervisor: 22, stranger: 40 };
const policy = defaultOperatorPolicy;

/** An API refusal's code, or 'answered' when the call went through. */
async function refusal(api: ApiSession, method: string, params: Record<string, unknown> = {}): Promise<string> {
  try {
    await api.call(method, params);
    return 'answered';
  } catch (error) {
    if (error instanceof ApiCallError) return error.code;
    throw error;
  }
}

/** A permission_denied refusal, which names the permission wanted and the role that lacks it. */
async function deniedFor(api: ApiSession, method: string, params: Record<string, unknown>, permission: string, role: string): Promise<void> {
  await assert.rejects(api.call(method, params), (error: unknown) => {
    assert.ok(error instanceof ApiCallError, String(error));
    assert.equal(error.code, 'permission_denied', error.message);
    assert.ok(error.message.includes(permission) && error.message.includes(role), `the refusal names ${permission} and ${role}: ${error.message}`);
    return true;
  });
}

test('operators over a serial R30x module: enrol, finger, PIN fallback, lockout, override, expiry, roles, unplug', { timeout: 180_000 }, async (context) => {
  const tools = requireTools(context, ['socat']);
  if (!tools || !requireNativeModules(context, ['serialport'])) return;
  const socat = tools[0]!;
  const dir = freshDir('operators-serial');
  const clock = manualClock(1_796_000_000_000);
  let pair = await startPtyPair(socat, dir);
  const module = new SimR30xModule({ random: seededRandom(1313) });
  let attached = await SimR30xPtyModule.open(pair.devicePath, module);
  const reader = new R30xFingerprintReader({ descriptor: `serial:${pair.hostPath}`, openLink: serialFingerprintLink(pair.hostPath), replyTimeoutMs: 800, reconnectIntervalMs: 100 });
  const ledger = await openLedger({ dataDir: dir, owner: terminalId, clock, random: seededRandom(41), dataKey: testDataKey });
  const runtime = new TerminalRuntime({
    dataDir: dir,
    mode: 'counter',
    simulator: false,
    pcsc: false,
    broker: null,
    clock,
    random: seededRandom(42),
    logger: createLogger({ level: 'silent' }),
    ledger,
    terminalId,
    // A sync key (and no broker: nothing is pushed), so the setup code can be derived.
    syncKey,
    centralPublicKey: null,
    fingerprintReader: reader,
  });
  await runtime.start();
  const api = attachApiSession(runtime.api);
  const session = (): Promise<OperatorSession> => api.call<OperatorSession>('session.get');
  const byFinger = async (finger: number): Promise<AuthResult> => {
    module.placeFinger(finger);
    try {
      return await api.call<AuthResult>('session.fingerprint');
    } finally {
      module.placeFinger(null);
    }
  };
  const byPin = (operatorId: string, pin: string): Promise<AuthResult> => api.call<AuthResult>('session.pin', { operatorId, pin });
  /** Enrols with a finger the way a person follows the screen: place, lift, place again. */
  const enrolWithFinger = async (clientId: string, name: string, role: string, pin: string, finger: number): Promise<OperatorSummary> => {
    const enrolled = api.call<OperatorSummary>('operators.enrol', { clientId, name, role, pin, fingerprint: true });
    const ended = enrolled.then(() => {
      throw new Error(`${name}'s enrolment ended before every step was asked for`);
    });
    ended.catch(() => undefined);
    const step = (wanted: string): Promise<unknown> => Promise.race([api.nextEvent<{ enrolmentId: string; step: string }>('operators.enrolStep', (event) => event.enrolmentId === clientId && event.step === wanted), ended]);
    await step('place_finger');
    module.placeFinger(finger);
    await step('remove_finger');
    module.placeFinger(null);
    await step('place_again');
    module.placeFinger(finger);
    try {
      return await enrolled;
    } finally {
      module.placeFinger(null);
    }
  };
  try {
    assert.equal((await session()).state, 'setup_required');
    assert.equal(await refusal(api, 'ledger.summary'), 'not_signed_in', 'nothing guarded before anyone signs in');
    const admin = await setUpAdmin(api, { syncKey, terminalId, pin: pins.admin, name: 'Ayla Admin' });
    assert.deepEqual([admin.state, admin.operator?.role, admin.fingerprint.available], ['signed_in', 'admin', true]);

    // Enrolment: two with a finger kept in the module, one with a PIN only.
    const cashier = await enrolWithFinger('enrol-cashier-01', 'Cem Cashier', 'cashier', pins.cashier, fingers.cashier);
    assert.deepEqual([cashier.role, cashier.fingerprint, cashier.lockedOut], ['cashier', 'on_device', false]);
    const supervisor = await enrolWithFinger('enrol-supervisor-1', 'Sena Supervisor', 'supervisor', pins.supervisor, fingers.supervisor);
    assert.deepEqual([supervisor.role, supervisor.fingerprint], ['supervisor', 'on_device']);
    const technician = await api.call<OperatorSummary>('operators.enrol', { clientId: 'enrol-technician1', name: 'Tarik Technician', role: 'technician', pin: pins.technician, fingerprint: false });
    assert.equal(technician.fingerprint, 'none');
    assert.deepEqual(module.storedPages().length, 2, 'both templates are in the module, none elsewhere');
    assert.deepEqual((await api.call<OperatorSummary[]>('operators.list')).map((operator) => operator.name).sort(), ['Ayla Admin', 'Cem Cashier', 'Sena Supervisor', 'Tarik Technician']);
    await api.call('session.signOut');

    // A finger signs its operator in; the cashier's role refuses what is not the cashier's, by name.
    const signedIn = await byFinger(fingers.cashier);
    assert.equal(signedIn.outcome, 'signed_in', JSON.stringify(signedIn));
    assert.equal((await session()).operator?.id, cashier.id);
    await deniedFor(api, 'day.close', { clientId: 'cashier-close-01' }, 'day_close', 'cashier');
    await deniedFor(api, 'operators.enrol', { clientId: 'cashier-enrol-01', name: 'Nobody', role: 'admin', pin: '1234567', fingerprint: false }, 'enrol_operators', 'cashier');
    assert.equal(await refusal(api, 'ledger.summary'), 'answered', 'what the role holds goes through');

    // A supervisor's override on the same session: one use of day_close, then refused again.
    const override = await (async () => {
      module.placeFinger(fingers.supervisor);
      try {
        return await api.call<AuthResult>('session.override', { permission: 'day_close', supervisor: { method: 'fingerprint' } });
      } finally {
        module.placeFinger(null);
      }
    })();
    assert.equal(override.outcome, 'signed_in', JSON.stringify(override));
    assert.deepEqual((await session()).overrides, ['day_close']);
    assert.equal(await refusal(api, 'day.close', { clientId: 'override-close-1' }), 'answered', 'the override lets one close through');
    assert.equal(await refusal(api, 'day.close', { clientId: 'override-close-2' }), 'permission_denied', 'and only one');
    await api.call('session.signOut');

    // A stranger's finger: no match, and after N of them the PIN is offered.
    assert.deepEqual(await byPin(cashier.id, pins.cashier), { outcome: 'pin_not_allowed' }, 'fingerprint first while the reader works');
    for (let attempt = 1; attempt <= policy.fingerprintFailuresBeforePin; attempt += 1) {
      assert.deepEqual(await byFinger(fingers.stranger), { outcome: 'no_match', failedMatches: attempt, pinAllowed: attempt >= policy.fingerprintFailuresBeforePin });
    }
    assert.equal((await session()).pinAllowed, true);
    const byFallback = await byPin(cashier.id, pins.cashier);
    assert.equal(byFallback.outcome, 'signed_in', JSON.stringify(byFallback));
    await api.call('session.signOut');

    // Wrong PINs up to the lockout; the right PIN after it is refused too; a supervisor lifts it.
    for (let attempt = 1; attempt <= policy.fingerprintFailuresBeforePin; attempt += 1) await byFinger(fingers.stranger);
    for (let attempt = 1; attempt < policy.pinFailuresBeforeLockout; attempt += 1) {
      assert.deepEqual(await byPin(cashier.id, pins.wrong), { outcome: 'pin_invalid', attemptsLeft: policy.pinFailuresBeforeLockout - attempt });
    }
    assert.deepEqual(await byPin(cashier.id, pins.wrong), { outcome: 'locked_out' });
    assert.deepEqual(await byPin(cashier.id, pins.cashier), { outcome: 'locked_out' }, 'locked out whatever the PIN');
    assert.deepEqual(await byFinger(fingers.cashier), { outcome: 'locked_out' }, 'and whatever the finger');
    assert.equal((await byFinger(fingers.supervisor)).outcome, 'signed_in');
    assert.equal((await api.call<OperatorSummary[]>('operators.list')).find((operator) => operator.id === cashier.id)?.lockedOut, true);
    assert.equal((await api.call<OperatorSummary>('operators.unlock', { operatorId: cashier.id })).lockedOut, false);
    await api.call('session.signOut');
    assert.equal((await byFinger(fingers.cashier)).outcome, 'signed_in', 'unlocked, the cashier signs in again');

    // The idle lock on the manual clock; the same finger resumes it.
    clock.advance(policy.idleTimeoutMs + 1000);
    assert.equal((await session()).state, 'locked');
    assert.equal(await refusal(api, 'ledger.summary'), 'not_signed_in', 'a locked session does nothing');
    const resumed = await byFinger(fingers.cashier);
    assert.deepEqual([resumed.outcome, resumed.outcome === 'signed_in' ? resumed.session.operator?.id : null], ['signed_in', cashier.id]);

    // The absolute end: however active, the session ends at the policy's length.
    const signedInAtMs = (await session()).signedInAtMs!;
    const stepMs = policy.idleTimeoutMs - 60_000;
    while (clock.nowMs() + stepMs < signedInAtMs + policy.absoluteSessionMs) {
      clock.advance(stepMs);
      assert.equal((await api.call<OperatorSession>('session.touch')).state, 'signed_in');
    }
    clock.advance(signedInAtMs + policy.absoluteSessionMs - clock.nowMs() + 1000);
    assert.deepEqual([(await session()).state, (await session()).operator], ['signed_out', null]);
    assert.equal(await refusal(api, 'ledger.summary'), 'not_signed_in');

    // The technician: diagnostics, not money.
    assert.equal((await byPin(technician.id, pins.technician)).outcome, 'signed_in', 'no finger enrolled: the PIN is the way');
    await deniedFor(api, 'payment.start', { amountMinor: '100', currency: 'USD' }, 'charge', 'technician');
    await api.call('session.signOut');

    // A sensitive action asks for a fresh authentication once the window has passed.
    assert.equal((await byPin(admin.operator!.id, pins.admin)).outcome, 'signed_in');
    clock.advance(policy.reauthWindowMs + 1000);
    assert.equal(await refusal(api, 'day.close', { clientId: 'stale-close-0001' }), 'reauth_required');
    assert.equal((await api.call<AuthResult>('session.reauth', { method: 'pin', pin: pins.admin })).outcome, 'signed_in');
    assert.equal(await refusal(api, 'day.close', { clientId: 'fresh-close-0001' }), 'answered');
    await api.call('session.signOut');

    // The module unplugged: the reader is unavailable and the PIN is allowed at once.
    await attached.close();
    await pair.stop();
    const gone = await byFinger(fingers.cashier);
    assert.deepEqual(gone, { outcome: 'reader_unavailable', pinAllowed: true });
    assert.deepEqual([(await session()).fingerprint.available, (await session()).pinAllowed], [false, true]);
    assert.equal((await byPin(cashier.id, pins.cashier)).outcome, 'signed_in');
    await api.call('session.signOut');

    // Plugged back on the same path: the finger again, the PIN fingerprint-first again.
    pair = await startPtyPair(socat, dir);
    attached = await SimR30xPtyModule.open(pair.devicePath, module);
    // The session learns of the recovery by itself: fingerprint first again before any finger is placed.
    let afterReplug = await session();
    await until('the session to see the reader back', 10_000, async () => {
      afterReplug = await session();
      return afterReplug.fingerprint.available;
    });
    assert.equal(afterReplug.pinAllowed, false, 'the PIN is not offered once the reader is back');
    const back = await byFinger(fingers.cashier);
    assert.deepEqual([back.outcome, back.outcome === 'signed_in' ? back.session.operator?.id : null], ['signed_in', cashier.id]);
    await api.call('session.signOut');
    assert.deepEqual([(await session()).fingerprint.available, (await session()).pinAllowed], [true, false], 'fingerprint first again');

    // The audit journal: every kind of event, and no PIN, hash or template in any of it.
    const entries = await runtime.currentLedger()!.audit.all();
    const kinds = new Set(entries.map((entry) => entry.kind));
    for (const kind of ['operator_enrolled', 'operator_signed_in', 'operator_sign_in_failed', 'operator_locked_out', 'operator_unlocked', 'operator_override', 'operator_signed_out']) {
      assert.ok(kinds.has(kind), `an audit entry ${kind} among ${[...kinds].join(', ')}`);
    }
    const reasons = (kind: string): unknown[] => entries.filter((entry) => entry.kind === kind).map((entry) => (entry.payload as { reason?: unknown }).reason);
    for (const reason of ['no_match', 'pin_invalid', 'locked_out', 'reader_unavailable']) assert.ok(reasons('operator_sign_in_failed').includes(reason), `a failure audited as ${reason}`);
    for (const reason of ['signed_out', 'idle', 'absolute_expiry']) {
      assert.ok(reasons('operator_signed_out').some((seen) => String(seen).includes(reason)), `a session end audited as ${reason}: ${JSON.stringify(reasons('operator_signed_out'))}`);
    }
    const journal = JSON.stringify(entries);
    for (const pin of Object.values(pins)) assert.ok(!journal.includes(pin), 'no PIN in the audit journal');
  } finally {
    await api.close();
    await runtime.stop();
    await runtime.currentLedger()?.close();
    await attached.close();
    await pair.stop();
  }
});
