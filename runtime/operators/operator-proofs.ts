// How an operator proves who they are, for a sign-in, a re-authentication or a supervisor's
// override: a finger on the reader first, the PIN once the policy's failed matches have passed,
// when no reader is ready, when nothing on the reader could match, or for an operator with no
// finger enrolled. A wrong PIN counts toward the operator's lockout; a locked-out operator proves
// nothing until a supervisor lifts it. Every failure is audited with its reason and method (and
// the operator's id when known); never the PIN.
import type { AuthResult } from '../../core/api/operators.js';
import type { Clock } from '../../core/clock.js';
import type { OperatorPolicy } from '../../core/operators/operator-policy.js';
import type { DeviceManager } from '../../device/device-manager.js';
import type { LedgerOperators } from '../../ledger/operators.js';
import type { OperatorRecord } from '../../ledger/stores/operators-store.js';
import { FingerprintAccess } from './fingerprint-access.js';
import { verifyPin } from './pin-hash.js';

export type Proof = { method: 'fingerprint' } | { method: 'pin'; operatorId: string; pin: string };
export type ProofPurpose = 'sign_in' | 'reauth' | 'override';
export type Proven = { proven: true; operator: OperatorRecord; method: Proof['method'] } | { proven: false; result: AuthResult };

/** How long session.fingerprint waits for a finger. */
export const defaultFingerprintWaitMs = 10_000;

export class OperatorProofs {
  readonly fingerprints: FingerprintAccess;
  /** Failed fingerprint matches in a row at this terminal since the last sign-in. */
  failedMatches = 0;
  /** The identify waiting for a finger now; a newer one replaces it. */
  private waiting: AbortController | null = null;

  constructor(
    devices: DeviceManager,
    private readonly clock: Clock,
    private readonly fingerprintWaitMs = defaultFingerprintWaitMs,
  ) {
    this.fingerprints = new FingerprintAccess(devices);
  }

  /** Whether any operator could be matched on the reader there is (a finger enrolled where it keeps them). */
  matchable(operators: readonly OperatorRecord[]): boolean {
    const storage = this.fingerprints.reader()?.templateStorage;
    return operators.some((operator) => operator.fingerprint.storage === storage);
  }

  /** Whether a PIN is accepted now, terminal-wide. */
  pinAllowed(policy: OperatorPolicy, operators: readonly OperatorRecord[]): boolean {
    return !this.fingerprints.available() || !this.matchable(operators) || this.failedMatches >= policy.fingerprintFailuresBeforePin;
  }

  /**
   * Waits for a finger (outside any queue: it may take seconds) and names its operator. The
   * outcome is judged by `judge`, inside the caller's queue.
   */
  async waitForFinger(operators: readonly OperatorRecord[]): Promise<Awaited<ReturnType<FingerprintAccess['identify']>>> {
    this.waiting?.abort();
    const waiting = new AbortController();
    this.waiting = waiting;
    try {
      return await this.fingerprints.identify(operators, this.fingerprintWaitMs, waiting.signal);
    } finally {
      if (this.waiting === waiting) this.waiting = null;
    }
  }

  /** Judges a fingerprint's outcome; `expectedId` is the one operator who may match (re-authentication). */
  async judgeFinger(
    outcome: Awaited<ReturnType<FingerprintAccess['identify']>>,
    ledger: LedgerOperators,
    policy: OperatorPolicy,
    purpose: ProofPurpose,
    expectedId: string | null,
  ): Promise<Proven> {
    const operators = await ledger.list();
    if (outcome.type === 'matched' && (expectedId === null || outcome.operator.id === expectedId)) {
      const operator = (await ledger.read(outcome.operator.id)) ?? outcome.operator;
      if (operator.lockedOut) return this.lockedOut(ledger, operator, 'fingerprint', purpose);
      return { proven: true, operator, method: 'fingerprint' };
    }
    if (outcome.type === 'no_finger' || outcome.type === 'poor_image') return { proven: false, result: { outcome: outcome.type } };
    if (outcome.type === 'reader_unavailable') {
      await ledger.event('operator_sign_in_failed', { reason: 'reader_unavailable', method: 'fingerprint', purpose, operatorId: null });
      return { proven: false, result: { outcome: 'reader_unavailable', pinAllowed: this.pinAllowed(policy, operators) } };
    }
    this.failedMatches += 1;
    const reason = outcome.type === 'reader_fault' ? 'reader_fault' : 'no_match';
    await ledger.event('operator_sign_in_failed', { reason, method: 'fingerprint', purpose, operatorId: null, failedMatches: this.failedMatches });
    const pinAllowed = this.pinAllowed(policy, operators);
    return { proven: false, result: reason === 'reader_fault' ? { outcome: 'reader_unavailable', pinAllowed } : { outcome: 'no_match', failedMatches: this.failedMatches, pinAllowed } };
  }

  /** Checks an operator's PIN, counting a wrong one toward the lockout. */
  async provePin(operatorId: string, pin: string, ledger: LedgerOperators, policy: OperatorPolicy, purpose: ProofPurpose): Promise<Proven> {
    const operators = await ledger.list();
    const operator = operators.find((each) => each.id === operatorId);
    if (!operator) {
      await ledger.event('operator_sign_in_failed', { reason: 'unknown_operator', method: 'pin', purpose, operatorId: null });
      return { proven: false, result: { outcome: 'pin_invalid', attemptsLeft: policy.pinFailuresBeforeLockout } };
    }
    if (operator.lockedOut) return this.lockedOut(ledger, operator, 'pin', purpose);
    if (!this.pinAllowed(policy, operators) && operator.fingerprint.storage !== 'none') return { proven: false, result: { outcome: 'pin_not_allowed' } };
    if (await verifyPin(pin, operator.pinHash)) return { proven: true, operator, method: 'pin' };
    const counted = await ledger.recordPinFailure(operator.id, policy.pinFailuresBeforeLockout, { purpose, atMs: this.clock.nowMs() });
    if (!counted || counted.lockedOut) return { proven: false, result: { outcome: 'locked_out' } };
    return { proven: false, result: { outcome: 'pin_invalid', attemptsLeft: Math.max(0, policy.pinFailuresBeforeLockout - counted.failedPinCount) } };
  }

  private async lockedOut(ledger: LedgerOperators, operator: OperatorRecord, method: Proof['method'], purpose: ProofPurpose): Promise<Proven> {
    await ledger.event('operator_sign_in_failed', { reason: 'locked_out', method, purpose, operatorId: operator.id });
    return { proven: false, result: { outcome: 'locked_out' } };
  }
}
