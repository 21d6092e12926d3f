// The operator handlers: the session (sign-in by fingerprint or PIN, re-authentication, a
// supervisor's override, lock, sign-out), the first admin's creation with the setup code,
// operator management, and the simulator's fingers. Access is checked before these run
// (runtime/operators/access-guard.ts); the operator acting is the one signed in.
import { ApiError } from '../../core/api/envelope.js';
import type { CommandHandlers } from './api-server.js';
import type { OperatorAdmin } from '../operators/operator-admin.js';
import type { OperatorSessions } from '../operators/operator-sessions.js';
import type { SimFingers } from '../operators/demo-operators.js';
import { createFirstAdmin, type SetupAdminOptions } from '../operators/setup-admin.js';

type OperatorCommands =
  | 'session.get'
  | 'session.operators'
  | 'session.fingerprint'
  | 'session.pin'
  | 'session.reauth'
  | 'session.override'
  | 'session.touch'
  | 'session.lock'
  | 'session.signOut'
  | 'setup.createAdmin'
  | 'operators.list'
  | 'operators.enrol'
  | 'operators.enrolFingerprint'
  | 'operators.setPin'
  | 'operators.unlock'
  | 'operators.remove'
  | 'sim.fingers'
  | 'sim.placeFinger';

export interface OperatorHandlerParts {
  sessions: OperatorSessions;
  admin: OperatorAdmin;
  setup: Omit<SetupAdminOptions, 'sessions'>;
  /** The simulated reader's fingers; null outside simulator mode. */
  simFingers: () => SimFingers | null;
}

export function operatorHandlers(parts: OperatorHandlerParts): Pick<CommandHandlers, OperatorCommands> {
  const { sessions, admin } = parts;
  // The guard let the call through only with an operator signed in; this names who acts.
  const acting = (): string => {
    const operatorId = sessions.currentOperatorId();
    if (!operatorId) throw new ApiError('not_signed_in', 'no operator is signed in; sign in first');
    return operatorId;
  };
  // Wrong setup codes are counted one at a time, so two at once cannot slip past the limit.
  let setupTail: Promise<unknown> = Promise.resolve();
  const simFingers = (): SimFingers => {
    const fingers = parts.simFingers();
    if (!fingers) throw new ApiError('runtime_unavailable', 'sim_not_enabled: this terminal does not run in simulator mode');
    return fingers;
  };
  return {
    'session.get': () => sessions.session(),
    'session.operators': () => admin.signInList(),
    'session.fingerprint': () => sessions.fingerprint(),
    'session.pin': (params) => sessions.pin(params.operatorId, params.pin),
    'session.reauth': (params) => sessions.reauth(params),
    'session.override': (params) => sessions.override(params.permission, params.supervisor),
    'session.touch': () => sessions.touch(),
    'session.lock': () => sessions.lock(),
    'session.signOut': () => sessions.signOut(),
    'setup.createAdmin': (params) => {
      const result = setupTail.then(() => createFirstAdmin({ ...parts.setup, sessions }, params));
      setupTail = result.catch(() => undefined);
      return result;
    },
    'operators.list': () => admin.list(),
    'operators.enrol': (params) => admin.enrol(params, acting()),
    'operators.enrolFingerprint': (params) => admin.enrolFingerprint(params.operatorId, acting()),
    'operators.setPin': (params) => admin.setPin(params.operatorId, params.pin, acting()),
    'operators.unlock': (params) => admin.unlock(params.operatorId, acting()),
    'operators.remove': (params) => admin.remove(params.operatorId, acting()),
    'sim.fingers': () => simFingers().list(),
    'sim.placeFinger': (params) => {
      const fingers = simFingers();
      if (params.fingerIndex !== null && !fingers.list().some((finger) => finger.fingerIndex === params.fingerIndex)) {
        throw new ApiError('invalid_params', `finger_not_found: the simulated reader has no finger ${params.fingerIndex}`);
      }
      fingers.place(params.fingerIndex);
      return { placed: params.fingerIndex !== null };
    },
  };
}
