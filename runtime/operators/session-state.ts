// The terminal-wide operator session as data, and its transitions on time: one operator signed
// in (or locked) at a time, when the session idles into the lock, when it ends however active,
// until when the last authentication is fresh for sensitive actions, and the overrides a
// supervisor granted, each good for one use. Pure apart from the clock readings it is given;
// the audit entries and events of each transition are operator-sessions.ts's.
import type { OperatorIdentity, OperatorSession } from '../../core/api/operators.js';
import type { OperatorPolicy } from '../../core/operators/operator-policy.js';
import { rolePermissions, type Permission } from '../../core/operators/roles.js';

export type SessionEndReason =
  /** The operator signed out. */
  | 'signed_out'
  /** The operator locked the terminal. */
  | 'locked'
  /** No activity for the policy's idle time: locked. */
  | 'idle'
  /** The policy's absolute session length passed. */
  | 'absolute_expiry'
  /** Another operator signed in at the lock screen (or over the session). */
  | 'replaced'
  /** Too many wrong PINs while re-authenticating. */
  | 'locked_out'
  /** The operator was removed. */
  | 'removed';

interface OpenSession {
  state: 'signed_in' | 'locked';
  operator: OperatorIdentity;
  signedInAtMs: number;
  idleExpiresAtMs: number;
  absoluteExpiresAtMs: number;
  freshUntilMs: number;
  overrides: Permission[];
}

export interface SessionView {
  /** Whether a fingerprint reader is ready. */
  fingerprintAvailable: boolean;
  /** Failed fingerprint matches in a row at this terminal since the last sign-in. */
  failedMatches: number;
  /** No operator exists yet. */
  setupRequired: boolean;
  pinAllowed: boolean;
}

export class SessionState {
  private open: OpenSession | null = null;

  get current(): Readonly<OpenSession> | null {
    return this.open;
  }

  signedIn(): Readonly<OpenSession> | null {
    return this.open?.state === 'signed_in' ? this.open : null;
  }

  /** A new session for `operator`, fresh for sensitive actions. */
  begin(operator: OperatorIdentity, nowMs: number, policy: OperatorPolicy): void {
    this.open = {
      state: 'signed_in',
      operator,
      signedInAtMs: nowMs,
      idleExpiresAtMs: nowMs + policy.idleTimeoutMs,
      absoluteExpiresAtMs: nowMs + policy.absoluteSessionMs,
      freshUntilMs: nowMs + policy.reauthWindowMs,
      overrides: [],
    };
  }

  /** The same operator proved themselves again: unlocked if locked, fresh, active. */
  resume(nowMs: number, policy: OperatorPolicy): void {
    if (!this.open) return;
    this.open.state = 'signed_in';
    this.open.freshUntilMs = nowMs + policy.reauthWindowMs;
    this.open.idleExpiresAtMs = Math.min(nowMs + policy.idleTimeoutMs, this.open.absoluteExpiresAtMs);
  }

  /** Activity by the signed-in operator: the idle lock moves on. */
  touch(nowMs: number, policy: OperatorPolicy): void {
    if (this.open?.state === 'signed_in') this.open.idleExpiresAtMs = Math.min(nowMs + policy.idleTimeoutMs, this.open.absoluteExpiresAtMs);
  }

  grantOverride(permission: Permission): void {
    this.open?.overrides.push(permission);
  }

  /** Uses up one override of `permission`; answers whether there was one. */
  consumeOverride(permission: Permission): boolean {
    const index = this.open?.overrides.indexOf(permission) ?? -1;
    if (index < 0) return false;
    this.open!.overrides.splice(index, 1);
    return true;
  }

  isFresh(nowMs: number): boolean {
    return this.open !== null && nowMs <= this.open.freshUntilMs;
  }

  lock(): OperatorIdentity | null {
    if (this.open?.state !== 'signed_in') return null;
    this.open.state = 'locked';
    this.open.overrides = [];
    return this.open.operator;
  }

  end(): OperatorIdentity | null {
    const operator = this.open?.operator ?? null;
    this.open = null;
    return operator;
  }

  /** The transition time makes due now, if any: an idle lock or the absolute end. */
  due(nowMs: number): { operator: OperatorIdentity; reason: 'idle' | 'absolute_expiry' } | null {
    const open = this.open;
    if (!open) return null;
    if (nowMs >= open.absoluteExpiresAtMs) return { operator: open.operator, reason: 'absolute_expiry' };
    if (open.state === 'signed_in' && nowMs >= open.idleExpiresAtMs) return { operator: open.operator, reason: 'idle' };
    return null;
  }

  /** When the next timed transition falls, or null with no session. */
  nextDueMs(): number | null {
    if (!this.open) return null;
    return this.open.state === 'signed_in' ? Math.min(this.open.idleExpiresAtMs, this.open.absoluteExpiresAtMs) : this.open.absoluteExpiresAtMs;
  }

  snapshot(view: SessionView): OperatorSession {
    const open = view.setupRequired ? null : this.open;
    const signedIn = open?.state === 'signed_in';
    return {
      state: view.setupRequired ? 'setup_required' : (open?.state ?? 'signed_out'),
      operator: open ? { ...open.operator } : null,
      permissions: signedIn ? [...rolePermissions[open.operator.role]] : [],
      overrides: signedIn ? [...open.overrides] : [],
      signedInAtMs: open?.signedInAtMs ?? null,
      idleExpiresAtMs: signedIn ? open.idleExpiresAtMs : null,
      absoluteExpiresAtMs: open?.absoluteExpiresAtMs ?? null,
      freshUntilMs: signedIn ? open.freshUntilMs : null,
      fingerprint: { available: view.fingerprintAvailable, failedMatches: view.failedMatches },
      pinAllowed: view.pinAllowed,
    };
  }
}
