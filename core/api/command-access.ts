// What each API command needs of the operator session, in one table the runtime enforces on
// every call (runtime/operators/access-guard.ts) before the handler runs. Typed over every
// command, so a new command cannot be added without saying who may call it.
import type { CommandName } from './contract.js';
import type { Permission } from '../operators/roles.js';

export type CommandAccess =
  /** Anyone at the terminal: status, signing in, the cardholder's PIN pad, the simulator's panel. */
  | { kind: 'public' }
  /** Any signed-in operator, whatever the role. */
  | { kind: 'signed_in' }
  | { kind: 'permission'; permission: Permission }
  /** A signed-in operator holding at least one of these. */
  | { kind: 'any_permission'; permissions: readonly Permission[] }
  /**
   * Decided by the call's params: `refund_amount` needs refund_within_limit up to the operator
   * policy's refund limit for the currency and refund_above_limit beyond it; `preference_fields`
   * is public for display preferences (language, time zone, rial or toman) and needs settings for
   * anything that changes receipts.
   */
  | { kind: 'by_params'; rule: 'refund_amount' | 'preference_fields' };

const publicAccess: CommandAccess = { kind: 'public' };
const signedIn: CommandAccess = { kind: 'signed_in' };
const needs = (permission: Permission): CommandAccess => ({ kind: 'permission', permission });

export const commandAccess: Readonly<Record<CommandName, CommandAccess>> = {
  'system.ping': publicAccess,
  'status.get': publicAccess,
  'link.checkNow': signedIn,
  'ledger.summary': signedIn,
  'sync.now': signedIn,
  'payment.start': needs('charge'),
  'payment.current': signedIn,
  'payment.cancel': needs('charge'),
  'sim.cards': publicAccess,
  'sim.tap': publicAccess,
  'sim.removeCard': publicAccess,
  'sim.fingers': publicAccess,
  'sim.placeFinger': publicAccess,
  // The cardholder's PIN pad: bound to the attempt waiting for it, whoever is signed in.
  'cvm.submitPin': publicAccess,
  'cvm.cancelPin': publicAccess,
  'journal.list': signedIn,
  'journal.detail': signedIn,
  'alerts.list': signedIn,
  'alerts.dismiss': signedIn,
  'preferences.get': publicAccess,
  'preferences.set': { kind: 'by_params', rule: 'preference_fields' },
  'refund.start': { kind: 'by_params', rule: 'refund_amount' },
  'void.start': needs('void'),
  'day.report': signedIn,
  'day.close': needs('day_close'),
  'day.list': signedIn,
  'receipt.print': signedIn,
  'report.print': signedIn,
  'session.get': publicAccess,
  'session.operators': publicAccess,
  'session.fingerprint': publicAccess,
  'session.pin': publicAccess,
  'session.reauth': signedIn,
  'session.override': signedIn,
  'session.touch': publicAccess,
  'session.lock': publicAccess,
  'session.signOut': publicAccess,
  'setup.createAdmin': publicAccess,
  'operators.list': { kind: 'any_permission', permissions: ['enrol_operators', 'unlock_operators'] },
  'operators.enrol': needs('enrol_operators'),
  'operators.enrolFingerprint': needs('enrol_operators'),
  'operators.setPin': needs('enrol_operators'),
  'operators.unlock': needs('unlock_operators'),
  'operators.remove': needs('enrol_operators'),
};
