// The operator session over a real ledger and the simulated R30x reader, under a manual clock:
// the first admin with the setup code (right, wrong, reused, rate-limited, unprovisioned);
// enrolment with a finger, once per client id; fingerprint sign-in; failed matches opening the
// PIN; wrong PINs locking an operator out until a supervisor lifts it; the idle lock, resuming
// and replacing at the lock screen, and the absolute end; every step audited, no PIN in the audit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultOperatorPolicy, operatorPolicySettingName } from '../../core/operators/operator-policy.js';
import { Subject } from 'rxjs';
import { replicateCentralSettings } from '../../ledger/stores/central-settings-replica.js';
import { operatorsRig, setupCode, staffedRig } from './operators-rig.test-fixture.js';

test('setup: a fresh terminal needs its admin; a wrong code counts, the right one creates and signs in, a reused one is refused', { timeout: 60_000 }, async () => {
  const rig = await operatorsRig(71);
  try {
    assert.equal((await rig.sessions.session()).state, 'setup_required');
    assert.deepEqual(await rig.setup({ setupCode: 'AAAA-BBBB-CCCC', name: 'Ada', pin: '1111' }), { outcome: 'setup_code_invalid', attemptsLeft: 4 });
    const created = await rig.setup({ setupCode: setupCode.toLowerCase().replace(/-/g, ' '), name: 'Ada', pin: '1111' });
    assert.equal(created.outcome, 'signed_in', 'typed leniently');
    assert.ok(created.outcome === 'signed_in' && created.session.operator?.role === 'admin' && created.session.state === 'signed_in');
    assert.deepEqual(await rig.setup({ setupCode, name: 'Eve', pin: '6666' }), { outcome: 'setup_code_invalid', attemptsLeft: 0 }, 'the code is good once');
    assert.equal((await rig.admin.list()).length, 1);
    assert.deepEqual((await rig.auditKinds()).filter((kind) => kind.startsWith('operator_')), ['operator_setup_failed', 'operator_enrolled', 'operator_signed_in']);
  } finally {
    await rig.close();
  }
});

test('setup: five wrong codes in 15 minutes shut the door, also to the right code, until the window passes; no sync key, no setup', { timeout: 60_000 }, async () => {
  const rig = await operatorsRig(72);
  const unprovisioned = await operatorsRig(73, { syncKey: null });
  try {
    for (let attempt = 1; attempt <= 5; attempt += 1) assert.deepEqual(await rig.setup({ setupCode: `WRONG-CODE-00${attempt}`, name: 'Ada', pin: '1111' }), { outcome: 'setup_code_invalid', attemptsLeft: 5 - attempt });
    assert.deepEqual(await rig.setup({ setupCode, name: 'Ada', pin: '1111' }), { outcome: 'setup_code_invalid', attemptsLeft: 0 }, 'rate-limited');
    rig.clock.advance(15 * 60 * 1000 + 1);
    assert.equal((await rig.setup({ setupCode, name: 'Ada', pin: '1111' })).outcome, 'signed_in');
    assert.equal((await unprovisioned.setup({ setupCode, name: 'Ada', pin: '1111' })).outcome, 'setup_code_invalid');
    assert.equal((await unprovisioned.sessions.session()).state, 'setup_required');
  } finally {
    await rig.close();
    await unprovisioned.close();
  }
});

test('enrolment captures the finger once per client id; the finger signs its operator in; another finger is no match', { timeout: 60_000 }, async () => {
  const rig = await staffedRig(74);
  try {
    assert.deepEqual(rig.sim.module.storedPages(), [0, 1], 'the lowest free slots');
    assert.deepEqual(rig.steps.filter((step) => step.enrolmentId === 'enrol-cem cashier').map((step) => step.step), ['place_finger', 'remove_finger', 'place_again']);
    const again = await rig.enrol(rig.adminId, 'Cem Cashier', 'cashier', '2222', 5);
    assert.equal(again.id, rig.cashierId, 'the same client id answers the same operator');
    assert.deepEqual(rig.sim.module.storedPages(), [0, 1], 'and does not touch the reader');
    assert.deepEqual((await rig.admin.list()).map((operator) => [operator.role, operator.fingerprint]), [['admin', 'none'], ['cashier', 'on_device'], ['supervisor', 'on_device']]);

    const signedIn = await rig.fingerprintSignIn(1);
    assert.ok(signedIn.outcome === 'signed_in' && signedIn.session.operator?.id === rig.cashierId, JSON.stringify(signedIn));
    assert.equal(rig.sessions.currentOperatorId(), rig.cashierId);
    assert.ok(rig.published.at(-1)?.operator?.id === rig.cashierId, 'session.changed published');
    const other = await rig.fingerprintSignIn(9);
    assert.deepEqual(other, { outcome: 'no_match', failedMatches: 1, pinAllowed: false });
    assert.deepEqual(await rig.fingerprintSignIn(null), { outcome: 'no_finger' });
    const audit = JSON.stringify(await rig.handle.ledger.audit.all());
    assert.ok(!audit.includes('2222') && !audit.includes('"pin"'), 'no PIN in the audit journal');
  } finally {
    await rig.close();
  }
});

test('three failed matches open the PIN; wrong PINs lock out; a supervisor lifts it', { timeout: 60_000 }, async () => {
  const rig = await staffedRig(75);
  try {
    await rig.sessions.signOut();
    assert.deepEqual(await rig.sessions.pin(rig.cashierId, '2222'), { outcome: 'pin_not_allowed' }, 'fingerprint first while the reader is ready');
    for (let failed = 1; failed <= 3; failed += 1) assert.deepEqual(await rig.fingerprintSignIn(9), { outcome: 'no_match', failedMatches: failed, pinAllowed: failed >= 3 });
    assert.equal((await rig.sessions.session()).pinAllowed, true);
    for (let attempt = 1; attempt <= 4; attempt += 1) assert.deepEqual(await rig.sessions.pin(rig.cashierId, '9999'), { outcome: 'pin_invalid', attemptsLeft: 5 - attempt });
    assert.deepEqual(await rig.sessions.pin(rig.cashierId, '9999'), { outcome: 'locked_out' });
    assert.deepEqual(await rig.sessions.pin(rig.cashierId, '2222'), { outcome: 'locked_out' }, 'even the right PIN');
    assert.deepEqual(await rig.fingerprintSignIn(1), { outcome: 'locked_out' }, 'and the finger');
    assert.equal((await rig.admin.list()).find((operator) => operator.id === rig.cashierId)?.lockedOut, true);

    const supervisor = await rig.fingerprintSignIn(2);
    assert.equal(supervisor.outcome, 'signed_in');
    await rig.guard.authorize('operators.unlock', { operatorId: rig.cashierId });
    assert.equal((await rig.admin.unlock(rig.cashierId, rig.supervisorId)).lockedOut, false);
    await rig.sessions.signOut();
    for (let failed = 1; failed <= 3; failed += 1) await rig.fingerprintSignIn(9);
    assert.equal((await rig.sessions.pin(rig.cashierId, '2222')).outcome, 'signed_in', 'the PIN fallback signs in once lifted');
    const kinds = await rig.auditKinds();
    for (const kind of ['operator_locked_out', 'operator_unlocked', 'operator_sign_in_failed', 'operator_signed_out']) assert.ok(kinds.includes(kind), kind);
  } finally {
    await rig.close();
  }
});

test('the session idles into the lock, resumes for its operator, is replaced by another, and ends at its absolute length', { timeout: 60_000 }, async () => {
  const rig = await staffedRig(76);
  try {
    const started = await rig.fingerprintSignIn(1);
    assert.ok(started.outcome === 'signed_in');
    const signedInAtMs = started.session.signedInAtMs;
    rig.clock.advance(4 * 60 * 1000);
    await rig.guard.authorize('payment.current', {});
    rig.clock.advance(4 * 60 * 1000);
    assert.equal((await rig.sessions.session()).state, 'signed_in', 'activity moved the idle lock on');
    rig.clock.advance(5 * 60 * 1000);
    const locked = await rig.sessions.session();
    assert.deepEqual([locked.state, locked.operator?.id, locked.permissions], ['locked', rig.cashierId, []]);
    assert.equal(rig.sessions.currentOperatorId(), null, 'nobody posts while locked');

    const resumed = await rig.fingerprintSignIn(1);
    assert.ok(resumed.outcome === 'signed_in' && resumed.session.signedInAtMs === signedInAtMs, 'the same session resumes');
    await rig.sessions.lock();
    const replaced = await rig.fingerprintSignIn(2);
    assert.ok(replaced.outcome === 'signed_in' && replaced.session.operator?.id === rig.supervisorId && replaced.session.signedInAtMs !== signedInAtMs);
    const ends = (await rig.handle.ledger.audit.all()).filter((entry) => entry.kind === 'operator_signed_out').map((entry) => entry.payload.reason);
    // The admin's session (from setup) was the first one the cashier's finger replaced.
    assert.deepEqual(ends, ['replaced', 'idle', 'locked', 'replaced']);

    for (let minutes = 0; minutes <= 12 * 60; minutes += 4) {
      rig.clock.advance(4 * 60 * 1000);
      await rig.sessions.touch();
    }
    const ended = await rig.sessions.session();
    assert.deepEqual([ended.state, ended.operator], ['signed_out', null], 'ended at 12 hours however active');
    assert.equal((await rig.handle.ledger.audit.all()).filter((entry) => entry.kind === 'operator_signed_out').at(-1)?.payload.reason, 'absolute_expiry');
  } finally {
    await rig.close();
  }
});

test('with the reader gone the PIN is offered at once', { timeout: 60_000 }, async () => {
  const rig = await staffedRig(77);
  try {
    await rig.sessions.signOut();
    await rig.sim.reader.close();
    assert.equal((await rig.fingerprintSignIn(1)).outcome, 'reader_unavailable');
    const session = await rig.sessions.session();
    assert.deepEqual([session.fingerprint.available, session.pinAllowed], [false, true]);
    assert.equal((await rig.sessions.pin(rig.cashierId, '2222')).outcome, 'signed_in');
  } finally {
    await rig.close();
  }
});

test("central's operator policy, once pulled, sets the PIN fallback and the lockout", { timeout: 60_000 }, async () => {
  const rig = await staffedRig(78);
  try {
    const policy = { ...defaultOperatorPolicy, fingerprintFailuresBeforePin: 1, pinFailuresBeforeLockout: 2 };
    // Handed down through the ledger's own settings replication, as central's pull answers it.
    const document = { key: operatorPolicySettingName, value: JSON.stringify(policy), updatedAtMs: 1, deleted: false };
    const replica = replicateCentralSettings(rig.handle.ledger, {
      identifier: 'operator-policy-test',
      pull: async (checkpoint) => (checkpoint ? { documents: [], checkpoint } : { documents: [document], checkpoint: { updatedAtMs: 1, key: document.key } }),
      stream$: new Subject<'RESYNC'>(),
    });
    await replica.awaitInSync();
    await replica.cancel();
    await rig.sessions.signOut();
    assert.deepEqual(await rig.fingerprintSignIn(9), { outcome: 'no_match', failedMatches: 1, pinAllowed: true });
    assert.deepEqual(await rig.sessions.pin(rig.cashierId, '0000'), { outcome: 'pin_invalid', attemptsLeft: 1 });
    assert.deepEqual(await rig.sessions.pin(rig.cashierId, '0000'), { outcome: 'locked_out' });
  } finally {
    await rig.close();
  }
});
