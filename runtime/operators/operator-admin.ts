// Operator management at the terminal: enrolment (the PIN hashed, the finger captured, then the
// operator committed with its audit entry in one unit; the same client id enrols once, a retry
// answers the same operator without touching the reader), a fingerprint enrolled or replaced,
// a new PIN, a lockout lifted, an operator removed (the last admin stays) with their template
// deleted from the reader. One change at a time, so two enrolments never pick the same slot.
import type { EnrolStep } from '../../device/capabilities.js';
import { ApiError } from '../../core/api/envelope.js';
import type { OperatorIdentity, OperatorSummary } from '../../core/api/operators.js';
import type { Random } from '../../core/clock.js';
import type { OperatorRole } from '../../core/operators/roles.js';
import type { OperatorRecord } from '../../ledger/stores/operators-store.js';
import type { Logger } from '../logger.js';
import { captureFingerprint } from './fingerprint-enrolment.js';
import type { OperatorSessions } from './operator-sessions.js';
import { defaultPinHashParameters, hashPin, type PinHashParameters } from './pin-hash.js';

export interface OperatorAdminOptions {
  sessions: OperatorSessions;
  random: Random;
  nowMs: () => number;
  nextId: () => string;
  logger: Logger;
  /** Progress of an enrolment's captures (operators.enrolStep). */
  onEnrolStep: (enrolmentId: string, step: EnrolStep) => void;
  pinHashParameters?: PinHashParameters;
  enrolmentTimeoutMs?: number;
}

export function summaryOf(record: OperatorRecord): OperatorSummary {
  return { id: record.id, name: record.name, role: record.role, fingerprint: record.fingerprint.storage, lockedOut: record.lockedOut, createdAtMs: record.createdAtMs };
}

export class OperatorAdmin {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: OperatorAdminOptions) {}

  async list(): Promise<OperatorSummary[]> {
    return (await this.options.sessions.ledgerOperators().list()).map(summaryOf);
  }

  /** Who may sign in: names and roles only. */
  async signInList(): Promise<OperatorIdentity[]> {
    return (await this.options.sessions.refresh()).map(({ id, name, role }) => ({ id, name, role }));
  }

  enrol(params: { clientId: string; name: string; role: OperatorRole; pin: string; fingerprint: boolean }, byOperatorId: string): Promise<OperatorSummary> {
    return this.serially(async () => {
      const ledger = this.options.sessions.ledgerOperators();
      const earlier = await ledger.store.byClientId(params.clientId);
      if (earlier && 'removed' in earlier) throw new ApiError('invalid_params', `operator_removed: the enrolment ${params.clientId} made an operator who was removed since`);
      if (earlier) return summaryOf(earlier);
      const pinHash = await hashPin(params.pin, this.options.random, this.options.pinHashParameters ?? defaultPinHashParameters);
      const fingerprint = params.fingerprint ? await this.capture(params.clientId) : ({ storage: 'none' } as const);
      const record: OperatorRecord = { id: this.options.nextId(), name: params.name, role: params.role, pinHash, fingerprint, failedPinCount: 0, lockedOut: false, createdAtMs: this.options.nowMs(), enrolClientId: params.clientId };
      const enrolled = await ledger.enrol(record, byOperatorId);
      if (enrolled.outcome === 'removed') throw new ApiError('invalid_params', `operator_removed: the enrolment ${params.clientId} made an operator who was removed since`);
      this.options.logger.info({ operatorId: enrolled.operator.id, role: enrolled.operator.role, fingerprint: enrolled.operator.fingerprint.storage, repeated: enrolled.repeated }, 'operator enrolled');
      await this.options.sessions.operatorsChanged();
      return summaryOf(enrolled.operator);
    });
  }

  /** Enrols (or replaces) an operator's finger: the new template first, then the old one deleted. */
  enrolFingerprint(operatorId: string, byOperatorId: string): Promise<OperatorSummary> {
    return this.serially(async () => {
      const ledger = this.options.sessions.ledgerOperators();
      const before = await this.existing(operatorId);
      const fingerprint = await this.capture(operatorId);
      const after = await ledger.setFingerprint(operatorId, fingerprint, byOperatorId);
      if (!after) throw notFound(operatorId);
      await this.deleteFromReader(before, fingerprint.storage === 'on_device' ? fingerprint.slot : null);
      await this.options.sessions.operatorsChanged();
      return summaryOf(after);
    });
  }

  setPin(operatorId: string, pin: string, byOperatorId: string): Promise<OperatorSummary> {
    return this.serially(async () => {
      await this.existing(operatorId);
      const pinHash = await hashPin(pin, this.options.random, this.options.pinHashParameters ?? defaultPinHashParameters);
      const after = await this.options.sessions.ledgerOperators().setPin(operatorId, pinHash, byOperatorId);
      if (!after) throw notFound(operatorId);
      await this.options.sessions.operatorsChanged();
      return summaryOf(after);
    });
  }

  unlock(operatorId: string, byOperatorId: string): Promise<OperatorSummary> {
    return this.serially(async () => {
      const after = await this.options.sessions.ledgerOperators().unlock(operatorId, byOperatorId);
      if (!after) throw notFound(operatorId);
      this.options.logger.info({ operatorId, byOperatorId }, 'operator unlocked');
      await this.options.sessions.operatorsChanged();
      return summaryOf(after);
    });
  }

  remove(operatorId: string, byOperatorId: string): Promise<{ removed: boolean }> {
    return this.serially(async () => {
      const before = await this.options.sessions.ledgerOperators().read(operatorId);
      const outcome = await this.options.sessions.ledgerOperators().remove(operatorId, byOperatorId);
      if (outcome === 'last_admin') throw new ApiError('invalid_params', 'last_admin: the last admin cannot be removed; enrol another admin first');
      if (outcome === 'not_found' || !before) return { removed: false };
      await this.deleteFromReader(before, null);
      await this.options.sessions.operatorsChanged(operatorId);
      return { removed: true };
    });
  }

  private async capture(enrolmentId: string): Promise<OperatorRecord['fingerprint']> {
    const { sessions } = this.options;
    const fingerprints = sessions.proofs.fingerprints;
    try {
      const captured = await captureFingerprint(fingerprints.reader(), await sessions.ledgerOperators().list(), (step) => this.options.onEnrolStep(enrolmentId, step), this.options.enrolmentTimeoutMs);
      fingerprints.answered();
      return captured;
    } catch (error) {
      fingerprints.noteFailure(error);
      throw error;
    }
  }

  /** Deletes an operator's template from the reader's library; a failure leaves an orphan no one matches. */
  private async deleteFromReader(record: OperatorRecord, keepSlot: number | null): Promise<void> {
    if (record.fingerprint.storage !== 'on_device' || record.fingerprint.slot === keepSlot) return;
    const reader = this.options.sessions.proofs.fingerprints.reader();
    try {
      await reader?.deleteTemplate(record.fingerprint.slot, { timeoutMs: 5000 });
    } catch (error) {
      this.options.logger.warn({ err: error, operatorId: record.id, slot: record.fingerprint.slot }, 'template not deleted from the reader; its slot matches no operator');
    }
  }

  private async existing(operatorId: string): Promise<OperatorRecord> {
    const record = await this.options.sessions.ledgerOperators().read(operatorId);
    if (!record) throw notFound(operatorId);
    return record;
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

function notFound(operatorId: string): ApiError {
  return new ApiError('invalid_params', `operator_not_found: no operator ${operatorId} on this terminal`);
}
