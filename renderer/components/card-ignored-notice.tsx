// A brief notice when a card was presented with no charge open: the runtime ignored it and it
// pays nothing later, which the merchant should be able to tell the customer. It floats over the
// bottom of the screen for a few seconds and never pushes the counter out of view.
import { useI18n } from '../i18n/i18n-context.js';

export function CardIgnoredNotice({ atMs }: { atMs: number | null }) {
  const i18n = useI18n();
  return (
    <div class="toast-region" role="status" data-testid="card-ignored-region">
      {atMs === null ? null : (
        <p class="toast" data-testid="card-ignored" data-at-ms={atMs}>
          {i18n.t('notice.cardIgnored')}
        </p>
      )}
    </div>
  );
}
