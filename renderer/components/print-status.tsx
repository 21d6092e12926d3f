// What became of the last print: busy, printed (with a note when the code page lacked some
// characters), or not printed with the printer's reason in the merchant's words.
import type { PrintRun } from '../hooks/use-print.js';
import { useI18n } from '../i18n/i18n-context.js';

export function PrintStatus({ run }: { run: PrintRun }) {
  const i18n = useI18n();
  const failure = run.state === 'done' && !run.result.printed ? run.result.failure : null;
  const text =
    run.state === 'busy'
      ? i18n.t('print.busy')
      : run.state === 'failed'
        ? i18n.t('error.print', { reason: i18n.errorReason(run.failure) })
        : run.state === 'done'
          ? run.result.printed
            ? run.result.unmappableCount > 0
              ? i18n.t('print.doneUnmappable', { count: run.result.unmappableCount })
              : i18n.t('print.done')
            : i18n.t('print.failed', { reason: failure ? i18n.t(`print.failure.${failure}`) : i18n.t('error.reason.unknown') })
          : '';
  const state = run.state === 'done' ? (run.result.printed ? 'printed' : 'not-printed') : run.state;
  return (
    <p
      class={`print-status${state === 'not-printed' || state === 'failed' ? ' is-bad' : ''}`}
      role="status"
      data-testid="print-status"
      data-state={state}
      data-what={run.state === 'idle' ? undefined : run.what}
      data-failure={failure ?? undefined}
    >
      {text}
    </p>
  );
}
