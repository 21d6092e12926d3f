// Operator management, reachable from the nav only with enrol_operators (admins) or
// unlock_operators (supervisors): the operators with their role, where their fingerprint is
// kept and whether they are locked out; beside the list, the chosen operator's actions or the
// enrolment form. Escape leads back to the counter.
import { useContext, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../../api-client.js';
import { FocusHomeContext } from '../../hooks/focus-home.js';
import { useCan } from '../../hooks/session-context.js';
import { useOperators } from '../../hooks/use-operators.js';
import { useScreenEscape } from '../../hooks/use-screen-escape.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { NoticeBanner } from '../notice-banner.js';
import { OperatorActions } from './operator-actions.js';
import { OperatorEnrolForm } from './operator-enrol-form.js';

export function OperatorsScreen({ client, connected, simulator, onHome }: { client: ApiClient; connected: boolean; simulator: boolean; onHome(): void }) {
  const i18n = useI18n();
  const can = useCan();
  const { operators, error, reload, steps } = useOperators(client, connected);
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [enrolling, setEnrolling] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusHome = useContext(FocusHomeContext);
  focusHome.current = () => headingRef.current;
  useLayoutEffect(() => headingRef.current?.focus(), []);
  useScreenEscape(onHome);
  const chosen = operators?.find((operator) => operator.id === chosenId) ?? null;

  return (
    <section class="operators-screen" aria-labelledby="operators-title" data-testid="operators-screen">
      <div class="operators-list">
        <div class="operators-head">
          <h2 id="operators-title" ref={headingRef} tabIndex={-1}>
            {i18n.t('operators.title')}
          </h2>
          {can('enrol_operators') ? (
            <button type="button" class="primary" data-testid="operator-enrol" onClick={() => setEnrolling(true)}>
              {i18n.t('operators.enrol')}
            </button>
          ) : null}
        </div>
        {error ? <NoticeBanner tone="error" testId="operators-error" text={i18n.t('error.operators', { reason: i18n.errorReason(error) })} /> : null}
        {operators === null ? (
          <p class="placeholder">{i18n.t('operators.loading')}</p>
        ) : operators.length === 0 ? (
          <p class="placeholder">{i18n.t('operators.empty')}</p>
        ) : (
          <ul data-testid="operator-list">
            {operators.map((operator) => (
              <li key={operator.id}>
                <button
                  type="button"
                  class="operator-row"
                  data-testid="operator-row"
                  data-operator-id={operator.id}
                  data-role={operator.role}
                  data-fingerprint={operator.fingerprint}
                  data-locked-out={operator.lockedOut}
                  aria-pressed={operator.id === chosenId}
                  onClick={() => {
                    setEnrolling(false);
                    setChosenId(operator.id);
                  }}
                >
                  <bdi class="operator-name" data-i18n-exempt>
                    {operator.name}
                  </bdi>
                  <span class="operator-meta">
                    <span>{i18n.t(`role.${operator.role}`)}</span>
                    <span>{i18n.t(`operators.fingerprint.${operator.fingerprint}`)}</span>
                    {operator.lockedOut ? <strong class="locked-out">{i18n.t('operators.lockedOut')}</strong> : null}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div class="operators-side">
        {enrolling ? (
          <OperatorEnrolForm
            client={client}
            simulator={simulator}
            steps={steps}
            onEnrolled={(operator) => {
              setEnrolling(false);
              setChosenId(operator.id);
              reload();
            }}
            onCancel={() => setEnrolling(false)}
          />
        ) : chosen ? (
          <OperatorActions key={chosen.id} client={client} simulator={simulator} operator={chosen} steps={steps} onChanged={reload} />
        ) : null}
      </div>
    </section>
  );
}
