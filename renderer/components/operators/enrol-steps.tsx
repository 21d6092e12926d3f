// Where a fingerprint enrolment is: place the finger, lift it, place it again, as the runtime
// reports each step; in simulator mode with the virtual fingers beside it.
import type { ApiClient } from '../../api-client.js';
import type { EnrolStep } from '../../hooks/use-operators.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { SimFingerPanel } from './sim-finger-panel.js';

export function EnrolSteps({ client, step, simulator }: { client: ApiClient; step: EnrolStep | undefined; simulator: boolean }) {
  const i18n = useI18n();
  return (
    <div class="enrol-steps">
      <p role="status" data-testid="enrol-step" data-step={step ?? 'place_finger'}>
        {i18n.t(`operators.step.${step ?? 'place_finger'}`)}
      </p>
      {simulator ? <SimFingerPanel client={client} liftKey={step === 'remove_finger' ? 'lift' : 'hold'} /> : null}
    </div>
  );
}
