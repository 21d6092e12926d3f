// One labelled value in the details drawer: the label from the catalogue, the value as given.
import type { ComponentChildren } from 'preact';
import type { MessageKey } from '../i18n/catalogues.js';
import { useI18n } from '../i18n/i18n-context.js';

export function DetailRow({ label, testId, state, children }: { label: MessageKey; testId?: string; state?: string; children: ComponentChildren }) {
  const i18n = useI18n();
  return (
    <div class="detail-row" data-testid={testId} data-state={state}>
      <dt>{i18n.t(label)}</dt>
      <dd>{children}</dd>
    </div>
  );
}
