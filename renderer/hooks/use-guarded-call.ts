// Running a command that a role or a stale authentication may refuse: when the runtime answers
// reauth_required the operator is asked to confirm who they are (session.reauth), and when it
// answers permission_denied a supervisor may grant the permission once (session.override); then
// the command is tried again. The prompt itself is drawn by the app (AuthDialog) from the
// request this hook keeps; a cancelled prompt rejects with the runtime's own refusal, so the
// screen says why as it does for any failure.
import { createContext } from 'preact';
import { useContext, useMemo, useState } from 'preact/hooks';
import { ApiError } from '../../core/api/envelope.js';
import { permissions, type Permission } from '../../core/operators/roles.js';

export type Guard = <Result>(run: () => Promise<Result>, permission?: Permission) => Promise<Result>;

export interface AuthRequest {
  kind: 'reauth' | 'override';
  /** The permission refused, as the runtime named it (or the caller knew it); null if neither. */
  permission: Permission | null;
  settle(granted: boolean): void;
}

/** A prompt after a prompt (override, then a fresh authentication) is allowed; no more. */
const maxPrompts = 2;

/** The permission a refusal's message names; the longest name wins (no name is another's prefix today). */
export function permissionNamedIn(message: string): Permission | null {
  const named = [...permissions].sort((a, b) => b.length - a.length).find((permission) => new RegExp(`\\b${permission}\\b`).test(message));
  return named ?? null;
}

export const GuardContext = createContext<Guard>((run) => run());

export function useGuard(): Guard {
  return useContext(GuardContext);
}

export function useGuardProvider(): { guard: Guard; request: AuthRequest | null } {
  const [request, setRequest] = useState<AuthRequest | null>(null);
  const guard = useMemo<Guard>(() => {
    const attempt = async <Result>(run: () => Promise<Result>, permission: Permission | undefined, prompts: number): Promise<Result> => {
      try {
        return await run();
      } catch (failure) {
        if (!(failure instanceof ApiError) || prompts >= maxPrompts) throw failure;
        if (failure.code !== 'reauth_required' && failure.code !== 'permission_denied') throw failure;
        const kind = failure.code === 'reauth_required' ? 'reauth' : 'override';
        const named = permissionNamedIn(failure.message) ?? permission ?? null;
        const granted = await new Promise<boolean>((resolve) => setRequest({ kind, permission: named, settle: resolve }));
        setRequest(null);
        if (!granted) throw failure;
        return attempt(run, permission, prompts + 1);
      }
    };
    return (run, permission) => attempt(run, permission, 0);
  }, []);
  return { guard, request };
}
