// The operator units over a real ledger in a temporary folder: an enrolment commits the operator
// with its audit entry and its client id enrols once, also after a reopen; the first admin is
// created once; wrong PINs lock out at the threshold and an unlock lifts it; the last admin
// cannot be removed, another operator can, and a removed operator's client id does not enrol
// again; a host template is never readable in the ledger file, and no audit entry holds a PIN
// hash, salt or template; a damaged stored operator is a named error.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openTestLedger } from './test-ledger.js';
import { ledgerFileName } from './ledger-database.js';
import { upsertDocuments } from './storage-writes.js';
import { LedgerOperators, OperatorAuditSecretError } from './operators.js';
import type { OperatorRecord } from './stores/operators-store.js';
import { StoredValueInvalidError } from './stores/stored-value.js';

const templateHex = 'c0ffee'.repeat(40);

function operator(id: string, role: OperatorRecord['role'], clientId: string, fingerprint: OperatorRecord['fingerprint'] = { storage: 'none' }): OperatorRecord {
  return {
    id,
    name: `Operator ${id.slice(-2)}`,
    role,
    pinHash: { algorithm: 'scrypt', N: 1024, r: 8, p: 1, salt: 'ab'.repeat(16), hash: 'cd'.repeat(32) },
    fingerprint,
    failedPinCount: 0,
    lockedOut: false,
    createdAtMs: 1_795_000_000_000,
    enrolClientId: clientId,
  };
}

const adminId = '01J00000000000000000000A01';
const cashierId = '01J00000000000000000000C02';

test('an enrolment commits with its audit entry, once per client id, and survives a reopen', async () => {
  const handle = await openTestLedger(61);
  try {
    let operators = new LedgerOperators(handle.ledger);
    assert.equal(await operators.createFirstAdmin(operator(adminId, 'admin', 'setup-0000001')), 'created');
    assert.equal(await operators.createFirstAdmin(operator('01J00000000000000000000A99', 'admin', 'setup-0000002')), 'setup_done', 'the first admin is created once');
    const first = await operators.enrol(operator(cashierId, 'cashier', 'enrol-cashier-1', { storage: 'host', template: templateHex }), adminId);
    assert.equal(first.outcome === 'enrolled' && first.repeated, false);
    const again = await operators.enrol(operator('01J00000000000000000000C03', 'cashier', 'enrol-cashier-1'), adminId);
    assert.ok(again.outcome === 'enrolled' && again.repeated && again.operator.id === cashierId, 'the same client id answers the same operator');

    await handle.reopen();
    operators = new LedgerOperators(handle.ledger);
    assert.deepEqual((await operators.list()).map((each) => each.id), [adminId, cashierId]);
    assert.equal((await operators.setup()).done, true);
    const audit = await handle.ledger.audit.all();
    assert.deepEqual(audit.filter((entry) => entry.kind === 'operator_enrolled').map((entry) => entry.payload.operatorId), [adminId, cashierId]);
    const auditText = JSON.stringify(audit);
    for (const secret of [templateHex, 'cd'.repeat(32), 'ab'.repeat(16)]) assert.ok(!auditText.includes(secret), 'no template, hash or salt in the audit journal');
    for (const file of readdirSync(handle.dataDir).filter((name) => name.startsWith(ledgerFileName))) {
      const bytes = readFileSync(join(handle.dataDir, file)).toString('latin1');
      assert.ok(!bytes.includes(templateHex) && !bytes.includes('Operator C02'), `the operator and its template are sealed at rest (${file})`);
    }
    await assert.rejects(operators.event('operator_signed_in', { operatorId: adminId, pin: '1234' }), OperatorAuditSecretError);
  } finally {
    await handle.ledger.close();
  }
});

test('wrong PINs lock out at the threshold, audited; an unlock lifts it; a sign-in resets the count', async () => {
  const handle = await openTestLedger(62);
  try {
    const operators = new LedgerOperators(handle.ledger);
    await operators.createFirstAdmin(operator(adminId, 'admin', 'setup-0000001'));
    await operators.enrol(operator(cashierId, 'cashier', 'enrol-cashier-1'), adminId);
    assert.equal((await operators.recordPinFailure(cashierId, 3, {}))?.failedPinCount, 1);
    await operators.recordAuthentication(cashierId, 'operator_signed_in', { operatorId: cashierId, method: 'pin' });
    assert.equal((await operators.read(cashierId))?.failedPinCount, 0, 'a sign-in starts the count again');
    for (let attempt = 1; attempt <= 2; attempt += 1) assert.equal((await operators.recordPinFailure(cashierId, 3, {}))?.lockedOut, false);
    assert.equal((await operators.recordPinFailure(cashierId, 3, {}))?.lockedOut, true);
    assert.equal((await operators.recordPinFailure(cashierId, 3, {}))?.lockedOut, true, 'still locked out');
    const kinds = (await handle.ledger.audit.all()).map((entry) => entry.kind);
    assert.equal(kinds.filter((kind) => kind === 'operator_locked_out').length, 1, 'the lockout is audited once');
    assert.equal(kinds.filter((kind) => kind === 'operator_sign_in_failed').length, 5);
    const unlocked = await operators.unlock(cashierId, adminId);
    assert.deepEqual([unlocked?.lockedOut, unlocked?.failedPinCount], [false, 0]);
    assert.ok((await handle.ledger.audit.all()).some((entry) => entry.kind === 'operator_unlocked' && entry.payload.byOperatorId === adminId));
    assert.equal(await operators.recordPinFailure('01J0000000000000000000ZZZZ', 3, {}), null, 'an unknown operator');
  } finally {
    await handle.ledger.close();
  }
});

test('the last admin cannot be removed; a removed operator is gone and its client id does not enrol again', async () => {
  const handle = await openTestLedger(63);
  try {
    const operators = new LedgerOperators(handle.ledger);
    await operators.createFirstAdmin(operator(adminId, 'admin', 'setup-0000001'));
    await operators.enrol(operator(cashierId, 'cashier', 'enrol-cashier-1', { storage: 'on_device', slot: 1 }), adminId);
    assert.equal(await operators.remove(adminId, adminId), 'last_admin');
    assert.equal(await operators.remove(cashierId, adminId), 'removed');
    assert.equal(await operators.remove(cashierId, adminId), 'not_found');
    assert.equal(await operators.read(cashierId), null);
    assert.deepEqual((await operators.list()).map((each) => each.id), [adminId]);
    const retried = await operators.enrol(operator('01J00000000000000000000C04', 'cashier', 'enrol-cashier-1'), adminId);
    assert.equal(retried.outcome, 'removed');
    const second = '01J00000000000000000000A05';
    await operators.enrol(operator(second, 'admin', 'enrol-admin-2'), adminId);
    assert.equal(await operators.remove(adminId, second), 'removed', 'with another admin, an admin can go');
  } finally {
    await handle.ledger.close();
  }
});

test('setup failures are counted in their window; a damaged stored operator is a named error', async () => {
  const handle = await openTestLedger(64);
  try {
    const operators = new LedgerOperators(handle.ledger);
    assert.equal(await operators.recordSetupFailure(1000, 500, 'wrong_code'), 1);
    assert.equal(await operators.recordSetupFailure(1200, 500, 'wrong_code'), 2);
    assert.equal(await operators.recordSetupFailure(1600, 500, 'wrong_code'), 2, 'the one at 1000 fell out of the window');
    await operators.createFirstAdmin(operator(adminId, 'admin', 'setup-0000001'));
    await handle.ledger.engine.guarded(() => upsertDocuments(handle.ledger.database.collections.settings, [{ key: `operator/${adminId}`, value: '{"id":1}' }], 'key'));
    await assert.rejects(operators.read(adminId), StoredValueInvalidError);
  } finally {
    await handle.ledger.close();
  }
});
