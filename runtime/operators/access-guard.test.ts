// The access guard against the real session: each refusal named (not_signed_in,
// permission_denied naming the permission and role, reauth_required), public commands for
// anyone, refunds judged against the policy's limit, display preferences public and the
// customer copy a setting; the re-authentication window and a supervisor's one-use override.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../core/api/envelope.js';
import type { CommandName } from '../../core/api/contract.js';
import { staffedRig, type OperatorsRig } from './operators-rig.test-fixture.js';

const refund = (amountMinor: string) => ({ originalId: '01J00000000000000000000P01', amountMinor, currency: 'USD' as const, clientId: 'refund-client-01' });

async function refusal(rig: OperatorsRig, method: CommandName, params: unknown = {}): Promise<string | null> {
  try {
    await rig.guard.authorize(method, params);
    return null;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return `${error.code}: ${error.message}`;
  }
}

async function forceFingerprintFailures(rig: OperatorsRig): Promise<void> {
  for (let failed = 1; failed <= 3; failed += 1) await rig.fingerprintSignIn(9);
}

test('refusals are named: not signed in, a permission the role lacks, a display preference for anyone', { timeout: 60_000 }, async () => {
  const rig = await staffedRig(81);
  try {
    await rig.sessions.signOut();
    assert.equal(await refusal(rig, 'status.get'), null, 'public');
    assert.equal(await refusal(rig, 'preferences.set', { locale: 'tr', irrDisplay: 'toman' }), null, 'display preferences are public');
    assert.match((await refusal(rig, 'preferences.set', { printCustomerCopy: false }))!, /^not_signed_in: /);
    assert.match((await refusal(rig, 'ledger.summary'))!, /^not_signed_in: ledger.summary needs a signed-in operator/);

    assert.equal((await rig.fingerprintSignIn(1)).outcome, 'signed_in');
    assert.equal(await refusal(rig, 'payment.start', { amountMinor: '100', currency: 'USD' }), null);
    assert.equal(await refusal(rig, 'void.start', { originalId: '01J00000000000000000000P01', clientId: 'void-client-01' }), null);
    assert.equal(await refusal(rig, 'day.close', { clientId: 'x', provisional: false }), 'permission_denied: day.close needs the permission day_close, which the role cashier does not hold');
    assert.match((await refusal(rig, 'preferences.set', { printCustomerCopy: false }))!, /^permission_denied: .*settings.*cashier/);
    assert.match((await refusal(rig, 'operators.enrol'))!, /^permission_denied: .*enrol_operators/);
    assert.match((await refusal(rig, 'operators.list'))!, /^permission_denied: .*enrol_operators or unlock_operators/);
    assert.equal(await refusal(rig, 'refund.start', refund('20000')), null, 'up to the limit (USD 200.00 by default)');
    assert.equal(await refusal(rig, 'refund.start', refund('20001')), 'permission_denied: refund.start needs the permission refund_above_limit, which the role cashier does not hold');
    await rig.sessions.lock();
    assert.match((await refusal(rig, 'payment.current'))!, /^not_signed_in: /, 'a locked session is not signed in');
  } finally {
    await rig.close();
  }
});

test('sensitive permissions need an authentication within the window: sign-in counts, then re-authentication', { timeout: 60_000 }, async () => {
  const rig = await staffedRig(82);
  try {
    assert.equal((await rig.fingerprintSignIn(2)).outcome, 'signed_in');
    assert.equal(await refusal(rig, 'refund.start', refund('50000')), null, 'fresh from the sign-in');
    rig.clock.advance(2 * 60 * 1000 + 1);
    assert.match((await refusal(rig, 'day.close', { clientId: 'x', provisional: false }))!, /^reauth_required: day.close uses day_close/);
    assert.match((await refusal(rig, 'refund.start', refund('50000')))!, /^reauth_required: /);
    assert.equal(await refusal(rig, 'refund.start', refund('100')), null, 'a refund within the limit is not sensitive');
    rig.sim.fingers.place(1);
    const wrongFinger = await rig.sessions.reauth({ method: 'fingerprint' });
    assert.equal(wrongFinger.outcome, 'no_match', "another operator's finger does not re-authenticate this one");
    rig.sim.fingers.place(2);
    const again = await rig.sessions.reauth({ method: 'fingerprint' });
    rig.sim.fingers.place(null);
    assert.ok(again.outcome === 'signed_in' && again.session.operator?.id === rig.supervisorId);
    assert.equal(await refusal(rig, 'day.close', { clientId: 'x', provisional: false }), null);
    rig.clock.advance(2 * 60 * 1000 + 1);
    await forceFingerprintFailures(rig);
    assert.deepEqual(await rig.sessions.reauth({ method: 'pin', pin: '0000' }), { outcome: 'pin_invalid', attemptsLeft: 4 });
    assert.equal((await rig.sessions.reauth({ method: 'pin', pin: '3333' })).outcome, 'signed_in');
    assert.equal(await refusal(rig, 'day.close', { clientId: 'x', provisional: false }), null);
  } finally {
    await rig.close();
  }
});

test("a supervisor's override grants one use of a permission to the cashier's session, audited with both ids", { timeout: 60_000 }, async () => {
  const rig = await staffedRig(83);
  try {
    assert.equal((await rig.fingerprintSignIn(1)).outcome, 'signed_in');
    assert.match((await refusal(rig, 'refund.start', refund('90000')))!, /^permission_denied: /);
    rig.sim.fingers.place(1);
    assert.deepEqual(await rig.sessions.override('refund_above_limit', { method: 'fingerprint' }), { outcome: 'not_permitted' }, "the cashier's own finger cannot grant it");
    rig.sim.fingers.place(2);
    const granted = await rig.sessions.override('refund_above_limit', { method: 'fingerprint' });
    rig.sim.fingers.place(null);
    assert.ok(granted.outcome === 'signed_in' && granted.session.operator?.id === rig.cashierId && granted.session.overrides.includes('refund_above_limit'), JSON.stringify(granted));
    assert.equal(await refusal(rig, 'refund.start', refund('90000')), null, 'once');
    assert.match((await refusal(rig, 'refund.start', refund('90000')))!, /^permission_denied: /, 'and not twice');
    await forceFingerprintFailures(rig);
    assert.equal((await rig.sessions.override('day_close', { method: 'pin', operatorId: rig.supervisorId, pin: '3333' })).outcome, 'signed_in');
    assert.equal(await refusal(rig, 'day.close', { clientId: 'x', provisional: false }), null, 'an override stands in for the role and the freshness');
    const override = (await rig.handle.ledger.audit.all()).filter((entry) => entry.kind === 'operator_override').map((entry) => entry.payload);
    assert.deepEqual(override.map((payload) => [payload.operatorId, payload.supervisorId, payload.permission]), [
      [rig.cashierId, rig.supervisorId, 'refund_above_limit'],
      [rig.cashierId, rig.supervisorId, 'day_close'],
    ]);
  } finally {
    await rig.close();
  }
});

test('operator management: the last admin stays; a removed operator is signed out and their template deleted', { timeout: 60_000 }, async () => {
  const rig = await staffedRig(84);
  try {
    await assert.rejects(rig.admin.remove(rig.adminId, rig.adminId), (error: unknown) => error instanceof ApiError && error.message.startsWith('last_admin'));
    assert.equal((await rig.fingerprintSignIn(1)).outcome, 'signed_in');
    assert.deepEqual(await rig.admin.remove(rig.cashierId, rig.adminId), { removed: true });
    assert.equal((await rig.sessions.session()).state, 'signed_out');
    assert.deepEqual(rig.sim.module.storedPages(), [1], "the cashier's slot is emptied");
    assert.deepEqual(await rig.fingerprintSignIn(1), { outcome: 'no_match', failedMatches: 1, pinAllowed: false });
  } finally {
    await rig.close();
  }
});
