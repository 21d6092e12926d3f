// The terminal-wide operator session: setup_required until the first operator exists, then
// signed_out → signed_in ⇄ locked → signed_out. Signing in is fingerprint first with the PIN as
// fallback (operator-proofs.ts); the same operator resumes a locked session, another operator
// signing in at the lock screen ends it. The session idles into the lock and ends at the
// policy's absolute length, checked on the injected clock at every call and by an unref'd timer,
// so the screen learns of it (session.changed) with nobody calling. Re-authentication makes the
// session fresh for sensitive actions; a supervisor's override grants one use of a permission.
// Every sign-in, failure, lockout, override and sign-out is audited; authentications run one at
// a time, so two PIN guesses cannot race past the lockout count.
import type { AuthResult, OperatorSession } from '../../core/api/operators.js';
import type { Clock } from '../../core/clock.js';
import { defaultOperatorPolicy, type OperatorPolicy } from '../../core/operators/operator-policy.js';
import { roleHolds, type Permission } from '../../core/operators/roles.js';
import type { DeviceManager } from '../../device/device-manager.js';
import type { Ledger } from '../../ledger/ledger.js';
import { LedgerOperators } from '../../ledger/operators.js';
import { CentralKnowledgeStore } from '../../ledger/stores/central-knowledge-store.js';
import type { OperatorRecord } from '../../ledger/stores/operators-store.js';
import type { Logger } from '../logger.js';
import { OperatorProofs, type Proof, type Proven } from './operator-proofs.js';
import { ExpiryTimer } from './expiry-timer.js';
import { SessionState, type SessionEndReason } from './session-state.js';

export interface OperatorSessionsOptions {
  /** The open ledger at call time (throws runtime_unavailable while it is being reopened). */
  currentLedger: () => Ledger;
  devices: DeviceManager;
  clock: Clock;
  logger: Logger;
  publish: (session: OperatorSession) => void;
  fingerprintWaitMs?: number;
}

/** How long the start waits for the fingerprint reader's first answer. */
const readerWarmUpMs = 3000;

export class OperatorSessions {
  readonly proofs: OperatorProofs;
  private readonly state = new SessionState();
  private policyNow: OperatorPolicy = defaultOperatorPolicy;
  /** The operators as last read, so the session answers while the ledger is being reopened. */
  private operatorsNow: OperatorRecord[] = [];
  private tail: Promise<unknown> = Promise.resolve();
  private readonly timer = new ExpiryTimer();
  private lastPublished = '';

  constructor(private readonly options: OperatorSessionsOptions) {
    this.proofs = new OperatorProofs(options.devices, options.clock, options.fingerprintWaitMs);
  }

  async start(): Promise<void> {
    await this.refresh();
    this.changed();
    // In the background: an absent serial reader must not hold the start up.
    void this.proofs.fingerprints.warmUp(readerWarmUpMs).then(() => this.changed());
  }

  stop(): void {
    this.timer.stop();
  }

  /** The ledger's operator units, on the ledger open now. */
  ledgerOperators(): LedgerOperators {
    return new LedgerOperators(this.options.currentLedger());
  }

  /** Central's operator policy, or the defaults until central has sent one. */
  async policy(): Promise<OperatorPolicy> {
    try {
      this.policyNow = (await new CentralKnowledgeStore(this.options.currentLedger()).operatorPolicy()) ?? defaultOperatorPolicy;
    } catch (error) {
      this.options.logger.warn({ err: error }, 'operator policy not readable; the last one read holds');
    }
    return this.policyNow;
  }

  /** Reads the operators again (after an enrolment, a removal, a setup). */
  async refresh(): Promise<OperatorRecord[]> {
    this.operatorsNow = await this.ledgerOperators().list();
    await this.policy();
    return this.operatorsNow;
  }

  /** The operator signed in now (recorded on what the terminal posts); null when none is. */
  currentOperatorId(): string | null {
    const open = this.state.signedIn();
    return open && this.options.clock.nowMs() < Math.min(open.idleExpiresAtMs, open.absoluteExpiresAtMs) ? open.operator.id : null;
  }

  async session(): Promise<OperatorSession> {
    await this.serially(() => this.expire());
    return this.snapshot();
  }

  async fingerprint(): Promise<AuthResult> {
    await this.serially(() => this.expire());
    const outcome = await this.proofs.waitForFinger(this.operatorsNow);
    return this.serially(async () => {
      const proven = await this.proofs.judgeFinger(outcome, this.ledgerOperators(), await this.policy(), 'sign_in', null);
      return proven.proven ? this.signIn(proven.operator, proven.method) : this.failed(proven);
    });
  }

  pin(operatorId: string, pin: string): Promise<AuthResult> {
    return this.serially(async () => {
      await this.expire();
      const proven = await this.proofs.provePin(operatorId, pin, this.ledgerOperators(), await this.policy(), 'sign_in');
      return proven.proven ? this.signIn(proven.operator, proven.method) : this.failed(proven);
    });
  }

  /** The signed-in operator proves themselves again: the session is fresh for sensitive actions. */
  async reauth(proof: { method: 'fingerprint' } | { method: 'pin'; pin: string }): Promise<AuthResult> {
    const operatorId = this.state.signedIn()?.operator.id ?? null;
    const proven = await this.prove(proof.method === 'pin' ? { method: 'pin', operatorId: operatorId ?? '', pin: proof.pin } : proof, 'reauth', operatorId);
    return this.serially(async () => {
      const open = this.state.signedIn();
      if (!proven.proven || !open || proven.operator.id !== open.operator.id) {
        if (proven.proven) return { outcome: 'no_match', failedMatches: this.proofs.failedMatches, pinAllowed: this.pinAllowed() };
        if (proven.result.outcome === 'locked_out' && open) await this.endSession('locked_out');
        return this.failed(proven);
      }
      await this.ledgerOperators().recordAuthentication(open.operator.id, 'operator_signed_in', { operatorId: open.operator.id, method: proven.method, reauthentication: true });
      this.state.resume(this.options.clock.nowMs(), await this.policy());
      this.proofs.failedMatches = 0;
      return { outcome: 'signed_in', session: this.changed() };
    });
  }

  /** A supervisor (anyone whose role holds `permission`) grants this session one use of it. */
  async override(permission: Permission, proof: Proof): Promise<AuthResult> {
    const proven = await this.prove(proof, 'override', null);
    return this.serially(async () => {
      const open = this.state.signedIn();
      if (!proven.proven) return this.failed(proven);
      if (!open) return { outcome: 'no_match', failedMatches: this.proofs.failedMatches, pinAllowed: this.pinAllowed() };
      if (!roleHolds(proven.operator.role, permission)) {
        await this.ledgerOperators().event('operator_sign_in_failed', { reason: 'not_permitted', method: proven.method, purpose: 'override', operatorId: proven.operator.id, permission });
        return { outcome: 'not_permitted' };
      }
      await this.ledgerOperators().recordAuthentication(proven.operator.id, 'operator_override', { operatorId: open.operator.id, supervisorId: proven.operator.id, permission, method: proven.method });
      this.state.grantOverride(permission);
      this.proofs.failedMatches = 0;
      return { outcome: 'signed_in', session: this.changed() };
    });
  }

  touch(): Promise<OperatorSession> {
    return this.serially(async () => {
      await this.expire();
      this.state.touch(this.options.clock.nowMs(), this.policyNow);
      return this.changed();
    });
  }

  lock(): Promise<OperatorSession> {
    return this.serially(async () => {
      await this.expire();
      const operator = this.state.lock();
      if (operator) await this.auditEnd(operator.id, 'locked');
      return this.changed();
    });
  }

  signOut(): Promise<OperatorSession> {
    return this.serially(async () => {
      await this.expire();
      await this.endSession('signed_out');
      return this.changed();
    });
  }

  /** Signs in an operator just created with the setup code. */
  signInCreated(operator: OperatorRecord): Promise<AuthResult> {
    return this.serially(async () => {
      await this.refresh();
      return this.signIn(operator, 'setup');
    });
  }

  /** After an enrolment or removal: the directory is read again; a removed operator's session ends. */
  operatorsChanged(removedId: string | null = null): Promise<OperatorSession> {
    return this.serially(async () => {
      await this.refresh();
      if (removedId !== null && this.state.current?.operator.id === removedId) await this.endSession('removed');
      return this.changed();
    });
  }

  /**
   * For the access guard: the signed-in operator once due transitions ran, with whether the
   * last authentication is fresh, or null when none is signed in.
   */
  async active(): Promise<{ role: OperatorRecord['role']; id: string; fresh: boolean } | null> {
    await this.serially(() => this.expire());
    const open = this.state.signedIn();
    return open ? { id: open.operator.id, role: open.operator.role, fresh: this.state.isFresh(this.options.clock.nowMs()) } : null;
  }

  /** Uses up one override of `permission` granted to this session; answers whether there was one. */
  useOverride(permission: Permission): boolean {
    const used = this.state.consumeOverride(permission);
    if (used) this.changed();
    return used;
  }

  /** A permitted call by the signed-in operator: the idle lock moves on. */
  activity(): void {
    this.state.touch(this.options.clock.nowMs(), this.policyNow);
    this.arm();
  }

  /** Publishes session.changed when what the session shows changed (a reader came or went). */
  changed(): OperatorSession {
    const session = this.snapshot();
    const text = JSON.stringify(session);
    if (text !== this.lastPublished) {
      this.lastPublished = text;
      this.options.publish(session);
    }
    this.arm();
    return session;
  }

  snapshot(): OperatorSession {
    return this.state.snapshot({ setupRequired: this.operatorsNow.length === 0, fingerprintAvailable: this.proofs.fingerprints.available(), failedMatches: this.proofs.failedMatches, pinAllowed: this.pinAllowed() });
  }

  private pinAllowed(): boolean {
    return this.proofs.pinAllowed(this.policyNow, this.operatorsNow);
  }

  private async prove(proof: Proof, purpose: 'reauth' | 'override', expectedId: string | null): Promise<Proven> {
    if (proof.method === 'pin') return this.serially(async () => this.proofs.provePin(proof.operatorId, proof.pin, this.ledgerOperators(), await this.policy(), purpose));
    const outcome = await this.proofs.waitForFinger(this.operatorsNow);
    return this.serially(async () => this.proofs.judgeFinger(outcome, this.ledgerOperators(), await this.policy(), purpose, expectedId));
  }

  private async signIn(operator: OperatorRecord, method: Proof['method'] | 'setup'): Promise<AuthResult> {
    const policy = await this.policy();
    const current = this.state.current;
    const resumed = current?.operator.id === operator.id;
    if (current && !resumed) await this.endSession('replaced', operator.id);
    await this.ledgerOperators().recordAuthentication(operator.id, 'operator_signed_in', { operatorId: operator.id, method, resumed });
    const nowMs = this.options.clock.nowMs();
    if (resumed) this.state.resume(nowMs, policy);
    else this.state.begin({ id: operator.id, name: operator.name, role: operator.role }, nowMs, policy);
    this.proofs.failedMatches = 0;
    this.options.logger.info({ operatorId: operator.id, method, resumed }, 'operator signed in');
    return { outcome: 'signed_in', session: this.changed() };
  }

  private failed(proven: Proven & { proven: false }): AuthResult {
    this.changed();
    return proven.result;
  }

  /** Runs the transitions whose time has come: the idle lock, the absolute end. */
  private async expire(): Promise<void> {
    for (let due = this.state.due(this.options.clock.nowMs()); due; due = this.state.due(this.options.clock.nowMs())) {
      if (due.reason === 'absolute_expiry') this.state.end();
      else this.state.lock();
      await this.auditEnd(due.operator.id, due.reason);
      this.changed();
    }
  }

  private async endSession(reason: SessionEndReason, byOperatorId: string | null = null): Promise<void> {
    const operator = this.state.end();
    if (operator) await this.auditEnd(operator.id, reason, byOperatorId);
  }

  /** A session's end or lock is audited; a ledger being reopened does not hold the transition up. */
  private async auditEnd(operatorId: string, reason: SessionEndReason, byOperatorId: string | null = null): Promise<void> {
    try {
      await this.ledgerOperators().event('operator_signed_out', { operatorId, reason, byOperatorId });
    } catch (error) {
      this.options.logger.warn({ err: error, operatorId, reason }, 'operator sign-out not audited');
    }
    this.options.logger.info({ operatorId, reason }, 'operator session ended or locked');
  }

  private arm(): void {
    this.timer.arm(this.state.nextDueMs(), this.options.clock.nowMs(), () => {
      void this.serially(() => this.expire())
        .then(() => this.changed())
        .catch((error: unknown) => this.options.logger.warn({ err: error }, 'session expiry check failed'));
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
