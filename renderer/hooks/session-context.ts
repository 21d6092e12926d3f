// The operator session and who may sign in here, handed down the component tree: screens read
// the permissions to hide what would be refused (the runtime enforces them anyway), and the
// receipt names the operator who took a payment.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { OperatorIdentity, OperatorSession } from '../../core/api/operators.js';
import type { Permission } from '../../core/operators/roles.js';

export interface SessionView {
  session: OperatorSession | null;
  /** The operators of session.operators (names and roles), for names on receipts and pickers. */
  operators: readonly OperatorIdentity[];
}

export const SessionContext = createContext<SessionView>({ session: null, operators: [] });

export function useSessionView(): SessionView {
  return useContext(SessionContext);
}

/**
 * Whether the session holds a permission. Before the session is known (or if the runtime cannot
 * tell) nothing is hidden: the runtime's refusal then says why by name.
 */
export function useCan(): (permission: Permission) => boolean {
  const { session } = useSessionView();
  return (permission) => session === null || session.permissions.includes(permission);
}

/** The name to show for an operator id: the known operator's name, else the id's last six characters. */
export function operatorLabel(operators: readonly OperatorIdentity[], operatorId: string): string {
  return operators.find((operator) => operator.id === operatorId)?.name ?? operatorId.slice(-6);
}
