// Who may do what at the terminal: the operator roles and the one permission table. The runtime
// enforces it on every API call (core/api/command-access.ts names each command's need); the UI
// only reads it to hide what would be refused. A new permission or role is added here, once.
import { z } from 'zod';

export const operatorRoles = ['cashier', 'supervisor', 'field_agent', 'technician', 'admin'] as const;
export const operatorRoleSchema = z.enum(operatorRoles);
export type OperatorRole = z.infer<typeof operatorRoleSchema>;

export const permissions = [
  /** Take a card payment (and, for a field agent, a wallet top-up). */
  'charge',
  /** Refund up to the role's refund limit per currency (operator policy from central). */
  'refund_within_limit',
  /** Refund above that limit; a sensitive action that asks for fresh authentication. */
  'refund_above_limit',
  'void',
  /** The Z report; sensitive. The X report needs only a signed-in operator. */
  'day_close',
  /** Terminal settings that change money or receipts (not display language or time zone); sensitive. */
  'settings',
  /** The technician's diagnostics: device details, link checks, test prints. */
  'diagnostics',
  /** Enrol, remove and re-PIN operators. */
  'enrol_operators',
  /** Lift a lockout after too many wrong PINs. */
  'unlock_operators',
] as const;
export const permissionSchema = z.enum(permissions);
export type Permission = z.infer<typeof permissionSchema>;

/** The permission table: the only place that says which role holds which permission. */
export const rolePermissions: Readonly<Record<OperatorRole, readonly Permission[]>> = {
  cashier: ['charge', 'refund_within_limit', 'void'],
  supervisor: ['charge', 'refund_within_limit', 'refund_above_limit', 'void', 'day_close', 'unlock_operators'],
  field_agent: ['charge', 'refund_within_limit'],
  technician: ['diagnostics'],
  admin: ['charge', 'refund_within_limit', 'refund_above_limit', 'void', 'day_close', 'settings', 'diagnostics', 'enrol_operators', 'unlock_operators'],
};

/**
 * Sensitive permissions: using one needs an authentication (sign-in, re-authentication or a
 * supervisor's override) within the policy's reauthWindowMs, not merely an open session.
 */
export const sensitivePermissions: ReadonlySet<Permission> = new Set<Permission>(['refund_above_limit', 'day_close', 'settings']);

export function roleHolds(role: OperatorRole, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}
