// Signing an operator in for a test, the way the counter does it: the runtime refuses guarded
// commands (core/api/command-access.ts) until someone is signed in, and the session is
// terminal-wide, so one sign-in over any API connection serves every later call and the UI.
// A simulator terminal has a demo admin (sim finger 0) and a demo cashier (sim finger 1) on its
// simulated reader; a fresh terminal without the simulator creates its admin with the one-time
// setup code derived from its sync key. Each helper fails with the outcome it got, never quietly.
import type { AuthResult, OperatorSession } from '../../core/api/operators.js';
import { setupCodeFor } from '../../core/operators/setup-code.js';
import { fromHex } from '../../core/clock.js';
import { openApiSession, type ApiSession } from './api-session.js';

export type SimOperator = 'admin' | 'cashier';

/** The simulated reader's fingers the demo operators are enrolled with (runtime's simulator mode). */
export const simFingerIndex: Readonly<Record<SimOperator, number>> = { admin: 0, cashier: 1 };

export class SignInError extends Error {
  constructor(
    readonly how: string,
    readonly result: AuthResult,
  ) {
    super(`${how} did not sign in: ${JSON.stringify(result)}`);
    this.name = 'SignInError';
  }
}

/**
 * An open API session, or the URL a `devpay serve` printed: its API WebSocket, or with
 * --headless the counter page's URL, whose API sits beside it. For a URL a session is opened
 * for the sign-in and closed after; the sign-in stays, as it is the terminal's.
 */
export type ApiTarget = ApiSession | string;

/** The API WebSocket of a URL `devpay serve` printed: itself, or the one beside a headless page. */
export function apiUrlOf(url: string): string {
  if (url.startsWith('ws:')) return url;
  const page = new URL(url);
  return `ws://${page.host}/api?token=${page.searchParams.get('token') ?? ''}`;
}

async function withSession<Result>(target: ApiTarget, use: (api: ApiSession) => Promise<Result>): Promise<Result> {
  if (typeof target !== 'string') return use(target);
  const api = await openApiSession(apiUrlOf(target));
  try {
    return await use(api);
  } finally {
    await api.close();
  }
}

function signedIn(how: string, result: AuthResult): OperatorSession {
  if (result.outcome !== 'signed_in') throw new SignInError(how, result);
  return result.session;
}

/**
 * Signs a simulator terminal's demo operator in by fingerprint: the finger is placed on the
 * simulated reader, session.fingerprint captures and matches it, and the finger is lifted again
 * (also when the match fails) so the next capture starts from an empty reader.
 */
export async function signIn(target: ApiTarget, as: SimOperator = 'admin'): Promise<OperatorSession> {
  return withSession(target, async (api) => {
    await api.call('sim.placeFinger', { fingerIndex: simFingerIndex[as] });
    try {
      return signedIn(`the ${as}'s finger`, await api.call<AuthResult>('session.fingerprint'));
    } finally {
      await api.call('sim.placeFinger', { fingerIndex: null });
    }
  });
}

export interface AdminSetup {
  /** The terminal's sync key (as DEVPAY_SYNC_KEY holds it, hex, or its bytes). */
  syncKey: Uint8Array | string;
  /** The terminal's id; read from status.get when not given. */
  terminalId?: string;
  pin: string;
  name?: string;
}

/** Creates a fresh, provisioned terminal's first admin with its setup code; the admin is signed in. */
export async function setUpAdmin(target: ApiTarget, setup: AdminSetup): Promise<OperatorSession> {
  return withSession(target, async (api) => {
    const terminalId = setup.terminalId ?? (await api.call<{ terminalId: string }>('status.get')).terminalId;
    const syncKey = typeof setup.syncKey === 'string' ? fromHex(setup.syncKey.trim()) : setup.syncKey;
    const setupCode = setupCodeFor(syncKey, terminalId);
    const result = await api.call<AuthResult>('setup.createAdmin', { setupCode, name: setup.name ?? 'Test admin', pin: setup.pin });
    return signedIn('setup.createAdmin', result);
  });
}

/**
 * Signs an operator in by PIN, picked by name or else the first with the role (an admin by
 * default): for a terminal without a fingerprint reader, where the PIN is allowed at once, such
 * as one restarted after setUpAdmin.
 */
export async function signInWithPin(target: ApiTarget, pin: string, who: { name?: string; role?: string } = {}): Promise<OperatorSession> {
  return withSession(target, async (api) => {
    const operators = await api.call<{ id: string; name: string; role: string }[]>('session.operators');
    const operator = operators.find((candidate) => (who.name === undefined ? candidate.role === (who.role ?? 'admin') : candidate.name === who.name));
    if (!operator) throw new Error(`no operator ${JSON.stringify(who)} among ${JSON.stringify(operators)}`);
    return signedIn(`${operator.name}'s PIN`, await api.call<AuthResult>('session.pin', { operatorId: operator.id, pin }));
  });
}

/**
 * The signed-in demo operator proves themselves again by finger (session.reauth), so a sensitive
 * action (a day close, a setting, a refund above the limit) finds the authentication fresh.
 */
export async function reauthenticate(target: ApiTarget, as: SimOperator = 'admin'): Promise<OperatorSession> {
  return withSession(target, async (api) => {
    await api.call('sim.placeFinger', { fingerIndex: simFingerIndex[as] });
    try {
      return signedIn(`the ${as}'s finger again`, await api.call<AuthResult>('session.reauth', { method: 'fingerprint' }));
    } finally {
      await api.call('sim.placeFinger', { fingerIndex: null });
    }
  });
}
