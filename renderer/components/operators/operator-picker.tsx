// Choosing who is about to key their PIN: the operators by name and role, one pressed at a time.
// Names are the operators' own (data, not catalogue text); roles are said in the language.
import type { OperatorIdentity } from '../../../core/api/operators.js';
import { useI18n } from '../../i18n/i18n-context.js';

export interface OperatorPickerProps {
  operators: readonly OperatorIdentity[];
  chosenId: string | null;
  onChoose(operatorId: string): void;
}

export function OperatorPicker({ operators, chosenId, onChoose }: OperatorPickerProps) {
  const i18n = useI18n();
  if (operators.length === 0) return <p class="placeholder">{i18n.t('signIn.noOperators')}</p>;
  return (
    <div class="operator-picker" role="group" aria-labelledby="operator-picker-title" data-testid="operator-picker">
      <p id="operator-picker-title" class="picker-title">
        {i18n.t('signIn.chooseOperator')}
      </p>
      <ul>
        {operators.map((operator) => (
          <li key={operator.id}>
            <button type="button" data-testid="operator-choice" data-operator-id={operator.id} data-role={operator.role} aria-pressed={operator.id === chosenId} onClick={() => onChoose(operator.id)}>
              <bdi data-i18n-exempt>{operator.name}</bdi> <span class="picker-role">{i18n.t(`role.${operator.role}`)}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
