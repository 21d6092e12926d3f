// The permission guard every API call passes before its handler runs, enforcing the one table of
// what each command needs (core/api/command-access.ts) against the operator session: public
// commands pass; the rest need a signed-in operator (not_signed_in), whose role holds the
// permission (permission_denied, naming both) or who holds a supervisor's one-use override of it;
// a sensitive permission also needs an authentication within the policy's re-authentication
// window, or an override (reauth_required). A permitted call by the operator is activity: the
// idle lock moves on.
import { commandAccess, type CommandAccess } from '../../core/api/command-access.js';
import type { CommandName } from '../../core/api/contract.js';
import { ApiError } from '../../core/api/envelope.js';
import type { CurrencyCode } from '../../core/currency.js';
import { refundLimitMinor } from '../../core/operators/operator-policy.js';
import { roleHolds, sensitivePermissions, type Permission } from '../../core/operators/roles.js';
import type { OperatorSessions } from './operator-sessions.js';

export interface AccessGuardOptions {
  sessions: OperatorSessions;
  /** The currency of the payment a refund is asked against, or null when it is not on this terminal. */
  paymentCurrency: (paymentId: string) => Promise<CurrencyCode | null>;
}

/** Preferences anyone at the terminal may change: how things are shown, not what is printed. */
const displayPreferences: ReadonlySet<string> = new Set(['locale', 'timeZone', 'irrDisplay']);

export class AccessGuard {
  constructor(private readonly options: AccessGuardOptions) {}

  /** Throws the named ApiError when the call is not allowed now; returns when it may run. */
  async authorize(method: CommandName, params: unknown): Promise<void> {
    const needed = await this.needed(commandAccess[method], params);
    if (needed === 'public') return;
    const { sessions } = this.options;
    const operator = await sessions.active();
    if (!operator) throw new ApiError('not_signed_in', `${method} needs a signed-in operator; sign in first`);
    if (needed.length > 0) this.checkPermission(method, operator, needed);
    sessions.activity();
  }

  /** What the call needs: nothing beyond a signed-in operator (empty), one of some permissions, or nothing at all. */
  private async needed(access: CommandAccess, params: unknown): Promise<'public' | readonly Permission[]> {
    switch (access.kind) {
      case 'public':
        return 'public';
      case 'signed_in':
        return [];
      case 'permission':
        return [access.permission];
      case 'any_permission':
        return access.permissions;
      case 'by_params':
        return access.rule === 'preference_fields' ? preferencePermission(params) : [await this.refundPermission(params as { originalId: string; amountMinor: string; currency: CurrencyCode })];
    }
  }

  /** Up to the policy's limit for the payment's currency a refund needs refund_within_limit; beyond it, refund_above_limit. */
  private async refundPermission(params: { originalId: string; amountMinor: string; currency: CurrencyCode }): Promise<Permission> {
    // The original payment's currency decides the limit; a refund in another is refused by the
    // correction service, and an unknown payment is judged by the currency asked for.
    const currency = (await this.options.paymentCurrency(params.originalId)) ?? params.currency;
    const limit = refundLimitMinor(await this.options.sessions.policy(), currency);
    return BigInt(params.amountMinor) <= limit ? 'refund_within_limit' : 'refund_above_limit';
  }

  private checkPermission(method: CommandName, operator: { role: Parameters<typeof roleHolds>[0]; fresh: boolean }, needed: readonly Permission[]): void {
    const { sessions } = this.options;
    const held = needed.find((permission) => roleHolds(operator.role, permission));
    if (held === undefined) {
      // A supervisor's override stands in for the role, sensitivity included.
      if (needed.some((permission) => sessions.useOverride(permission))) return;
      throw new ApiError('permission_denied', `${method} needs the permission ${needed.join(' or ')}, which the role ${operator.role} does not hold`);
    }
    if (!sensitivePermissions.has(held) || operator.fresh) return;
    if (sessions.useOverride(held)) return;
    throw new ApiError('reauth_required', `${method} uses ${held}, a sensitive permission: authenticate again (or ask a supervisor's override) first`);
  }
}

/** Display preferences are anyone's; a change to what is printed needs the settings permission. */
function preferencePermission(params: unknown): 'public' | readonly Permission[] {
  const fields = Object.keys((params ?? {}) as Record<string, unknown>);
  return fields.every((field) => displayPreferences.has(field)) ? 'public' : ['settings'];
}
