// The ledger's units for operators: each change to an operator commits in one engine unit with
// its audit entry, or not at all (a crash mid-enrolment leaves the operator enrolled and audited,
// or neither). An enrolment's client id enrols once; the first admin is created once; the last
// admin cannot be removed. Audit entries name operators by id and say what happened; they never
// hold a PIN, a PIN hash, a salt or a fingerprint template (checked here, whoever calls).
import type { Ledger } from './ledger.js';
import { OperatorsStore, type OperatorRecord, type RemovedOperator, type SetupRecord, type StoredFingerprint, type StoredPinHash } from './stores/operators-store.js';

export type OperatorAuditKind =
  | 'operator_enrolled'
  | 'operator_removed'
  | 'operator_pin_changed'
  | 'operator_fingerprint_enrolled'
  | 'operator_signed_in'
  | 'operator_sign_in_failed'
  | 'operator_locked_out'
  | 'operator_unlocked'
  | 'operator_override'
  | 'operator_signed_out'
  | 'operator_setup_failed';

export type OperatorAuditData = Record<string, string | number | boolean | null>;

export class OperatorAuditSecretError extends Error {
  constructor(key: string) {
    super(`operator_audit_secret: an audit entry may not hold ${key}`);
    this.name = 'OperatorAuditSecretError';
  }
}

const secretKeys = /^(pin|pinhash|hash|salt|template|setupcode)$/i;

export type EnrolOutcome = { outcome: 'enrolled'; operator: OperatorRecord; repeated: boolean } | { outcome: 'removed'; operator: RemovedOperator };
export type RemoveOutcome = 'removed' | 'not_found' | 'last_admin';

export class LedgerOperators {
  readonly store: OperatorsStore;

  constructor(private readonly ledger: Ledger) {
    this.store = new OperatorsStore(ledger);
  }

  list(): Promise<OperatorRecord[]> {
    return this.store.list();
  }

  read(id: string): Promise<OperatorRecord | null> {
    return this.store.read(id);
  }

  setup(): Promise<SetupRecord> {
    return this.store.setup();
  }

  /** Enrols an operator with its audit entry; a client id already used answers its operator. */
  enrol(record: OperatorRecord, byOperatorId: string | null): Promise<EnrolOutcome> {
    return this.ledger.engine.guarded(async () => {
      const earlier = await this.store.byClientId(record.enrolClientId);
      if (earlier && 'removed' in earlier) return { outcome: 'removed', operator: earlier };
      if (earlier) return { outcome: 'enrolled', operator: earlier, repeated: true };
      await this.store.insert(record);
      await this.audit('operator_enrolled', { operatorId: record.id, role: record.role, fingerprint: record.fingerprint.storage, byOperatorId, via: 'enrolment' });
      return { outcome: 'enrolled', operator: record, repeated: false };
    });
  }

  /**
   * Creates the first admin, once: refused ('setup_done') when setup already happened or any
   * operator exists. The setup is marked done in the same unit.
   */
  createFirstAdmin(record: OperatorRecord): Promise<'created' | 'setup_done'> {
    return this.ledger.engine.guarded(async () => {
      const setup = await this.store.setup();
      if (setup.done || (await this.store.list()).length > 0) return 'setup_done';
      await this.store.insert(record);
      await this.store.writeSetup({ done: true, failedAttemptsAtMs: [] });
      await this.audit('operator_enrolled', { operatorId: record.id, role: record.role, fingerprint: record.fingerprint.storage, byOperatorId: null, via: 'setup' });
      return 'created';
    });
  }

  /** Records a wrong setup code; answers how many wrong codes fall in the window ending now. */
  recordSetupFailure(nowMs: number, windowMs: number, reason: string): Promise<number> {
    return this.ledger.engine.guarded(async () => {
      const setup = await this.store.setup();
      const recent = [...setup.failedAttemptsAtMs.filter((atMs) => atMs > nowMs - windowMs), nowMs];
      await this.store.writeSetup({ ...setup, failedAttemptsAtMs: recent });
      await this.audit('operator_setup_failed', { reason, recentFailures: recent.length });
      return recent.length;
    });
  }

  /**
   * A wrong PIN: counted, audited, and at `lockoutAfter` in a row the operator is locked out
   * (audited too). Answers the record as it now stands, or null for an unknown operator.
   */
  recordPinFailure(operatorId: string, lockoutAfter: number, context: OperatorAuditData): Promise<OperatorRecord | null> {
    return this.ledger.engine.guarded(async () => {
      const record = await this.store.read(operatorId);
      if (!record) return null;
      const failedPinCount = record.failedPinCount + 1;
      const lockedNow = !record.lockedOut && failedPinCount >= lockoutAfter;
      const next: OperatorRecord = { ...record, failedPinCount, lockedOut: record.lockedOut || lockedNow };
      await this.store.update(next);
      await this.audit('operator_sign_in_failed', { ...context, reason: 'pin_invalid', method: 'pin', operatorId, failedPinCount });
      if (lockedNow) await this.audit('operator_locked_out', { operatorId, failedPinCount });
      return next;
    });
  }

  /** A successful authentication: the wrong-PIN count starts again, and the event is audited. */
  recordAuthentication(operatorId: string, kind: 'operator_signed_in' | 'operator_override', data: OperatorAuditData): Promise<void> {
    return this.ledger.engine.guarded(async () => {
      const record = await this.store.read(operatorId);
      if (record && record.failedPinCount > 0) await this.store.update({ ...record, failedPinCount: 0 });
      await this.audit(kind, data);
    });
  }

  /** Lifts a lockout (and the wrong-PIN count); null for an unknown operator. */
  unlock(operatorId: string, byOperatorId: string): Promise<OperatorRecord | null> {
    return this.change(operatorId, (record) => ({ ...record, failedPinCount: 0, lockedOut: false }), 'operator_unlocked', { byOperatorId });
  }

  setPin(operatorId: string, pinHash: StoredPinHash, byOperatorId: string): Promise<OperatorRecord | null> {
    return this.change(operatorId, (record) => ({ ...record, pinHash, failedPinCount: 0 }), 'operator_pin_changed', { byOperatorId });
  }

  setFingerprint(operatorId: string, fingerprint: StoredFingerprint, byOperatorId: string): Promise<OperatorRecord | null> {
    return this.change(operatorId, (record) => ({ ...record, fingerprint }), 'operator_fingerprint_enrolled', { byOperatorId, storage: fingerprint.storage });
  }

  /** Removes an operator; the last admin stays (a terminal without one could not enrol anyone). */
  remove(operatorId: string, byOperatorId: string): Promise<RemoveOutcome> {
    return this.ledger.engine.guarded(async () => {
      const operators = await this.store.list();
      const record = operators.find((each) => each.id === operatorId);
      if (!record) return 'not_found';
      if (record.role === 'admin' && operators.filter((each) => each.role === 'admin').length === 1) return 'last_admin';
      await this.store.remove(record);
      await this.audit('operator_removed', { operatorId, role: record.role, byOperatorId });
      return 'removed';
    });
  }

  /** An event with no change to an operator (a sign-out, a failed match), audited in a unit of its own. */
  event(kind: OperatorAuditKind, data: OperatorAuditData): Promise<void> {
    return this.ledger.engine.guarded(() => this.audit(kind, data));
  }

  private change(operatorId: string, apply: (record: OperatorRecord) => OperatorRecord, kind: OperatorAuditKind, data: OperatorAuditData): Promise<OperatorRecord | null> {
    return this.ledger.engine.guarded(async () => {
      const record = await this.store.read(operatorId);
      if (!record) return null;
      const next = apply(record);
      await this.store.update(next);
      await this.audit(kind, { ...data, operatorId });
      return next;
    });
  }

  private async audit(kind: OperatorAuditKind, data: OperatorAuditData): Promise<void> {
    for (const key of Object.keys(data)) if (secretKeys.test(key)) throw new OperatorAuditSecretError(key);
    await this.ledger.audit.append(kind, data);
  }
}
