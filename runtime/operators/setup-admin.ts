// A fresh terminal's first admin, created with the one-time setup code `devpay provision
// --setup-code` prints: the code is derived from the terminal's sync key, so the check needs no
// link; at most `maxFailures` wrong codes per window (kept in the ledger, so a restart does not
// reset the count); once an operator exists every code is refused. The admin gets a PIN only
// (their finger is enrolled afterwards, signed in) and is signed in at once.
import type { AuthResult } from '../../core/api/operators.js';
import type { Random } from '../../core/clock.js';
import { normaliseSetupCode, setupCodeFor } from '../../core/operators/setup-code.js';
import type { OperatorRecord } from '../../ledger/stores/operators-store.js';
import type { Logger } from '../logger.js';
import type { OperatorSessions } from './operator-sessions.js';
import { constantTimeEqual, defaultPinHashParameters, hashPin, type PinHashParameters } from './pin-hash.js';

export const setupFailureLimit = 5;
export const setupFailureWindowMs = 15 * 60 * 1000;

export interface SetupAdminOptions {
  sessions: OperatorSessions;
  terminalId: string;
  syncKey: Uint8Array | null;
  random: Random;
  nowMs: () => number;
  nextId: () => string;
  logger: Logger;
  pinHashParameters?: PinHashParameters;
}

const encoder = new TextEncoder();

export async function createFirstAdmin(options: SetupAdminOptions, params: { setupCode: string; name: string; pin: string }): Promise<AuthResult> {
  const { sessions, logger } = options;
  const ledger = sessions.ledgerOperators();
  const setup = await ledger.setup();
  const nowMs = options.nowMs();
  if (setup.done || (await ledger.list()).length > 0) {
    logger.warn({ reason: 'setup_done' }, 'setup code refused: this terminal already has its admin');
    return { outcome: 'setup_code_invalid', attemptsLeft: 0 };
  }
  const recent = setup.failedAttemptsAtMs.filter((atMs) => atMs > nowMs - setupFailureWindowMs).length;
  if (recent >= setupFailureLimit) {
    logger.warn({ reason: 'setup_rate_limited' }, 'setup code refused: too many wrong codes; wait 15 minutes');
    return { outcome: 'setup_code_invalid', attemptsLeft: 0 };
  }
  if (!options.syncKey) {
    logger.warn({ reason: 'not_provisioned' }, 'setup code refused: this terminal has no sync key; provision it first (devpay provision), then use the code `devpay provision --setup-code` prints');
    return { outcome: 'setup_code_invalid', attemptsLeft: setupFailureLimit - recent };
  }
  const expected = setupCodeFor(options.syncKey, options.terminalId);
  if (!constantTimeEqual(encoder.encode(normaliseSetupCode(params.setupCode)), encoder.encode(expected))) {
    const failures = await ledger.recordSetupFailure(nowMs, setupFailureWindowMs, 'wrong_code');
    logger.warn({ reason: 'wrong_code', recentFailures: failures }, 'setup code refused: wrong code');
    return { outcome: 'setup_code_invalid', attemptsLeft: Math.max(0, setupFailureLimit - failures) };
  }
  const id = options.nextId();
  const record: OperatorRecord = {
    id,
    name: params.name,
    role: 'admin',
    pinHash: await hashPin(params.pin, options.random, options.pinHashParameters ?? defaultPinHashParameters),
    fingerprint: { storage: 'none' },
    failedPinCount: 0,
    lockedOut: false,
    createdAtMs: nowMs,
    enrolClientId: `setup-${id}`,
  };
  if ((await ledger.createFirstAdmin(record)) === 'setup_done') return { outcome: 'setup_code_invalid', attemptsLeft: 0 };
  logger.info({ operatorId: id }, 'first admin created with the setup code');
  return sessions.signInCreated(record);
}
