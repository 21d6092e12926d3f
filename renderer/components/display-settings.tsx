// The display preferences in the details drawer: how IRR amounts are shown (rials, or tomans as
// a display-only conversion; the charge stays in rials), the time zone times are shown in, and
// whether the customer's copy of a receipt prints after an approval (the merchant's always
// does). Each change is saved in the terminal's preferences (preferences.set).
import type { Preferences } from '../../core/api/preferences.js';
import { useI18n } from '../i18n/i18n-context.js';

function timeZones(current: string): string[] {
  const known = Intl.supportedValuesOf('timeZone');
  return known.includes(current) ? known : [current, ...known];
}

export function DisplaySettings({ onSave, printCustomerCopy }: { onSave(change: Partial<Preferences>): void; printCustomerCopy: boolean }) {
  const i18n = useI18n();
  return (
    <div class="display-settings">
      <fieldset class="irr-display">
        <legend>{i18n.t('drawer.irrDisplay')}</legend>
        {(['rial', 'toman'] as const).map((display) => (
          <label key={display} class="choice">
            <input
              type="radio"
              name="irr-display"
              value={display}
              data-testid={`irr-${display}`}
              checked={i18n.irrDisplay === display}
              onChange={() => onSave({ irrDisplay: display })}
            />
            <span>{i18n.t(display === 'rial' ? 'irr.rial' : 'irr.toman')}</span>
          </label>
        ))}
      </fieldset>
      <label class="time-zone">
        <span>{i18n.t('drawer.timeZone')}</span>
        <select data-testid="time-zone" dir="ltr" data-i18n-exempt value={i18n.timeZone} onChange={(event) => onSave({ timeZone: (event.currentTarget as HTMLSelectElement).value })}>
          {timeZones(i18n.timeZone).map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
      </label>
      <label class="choice print-customer-copy">
        <input type="checkbox" data-testid="print-customer-copy" checked={printCustomerCopy} onChange={(event) => onSave({ printCustomerCopy: (event.currentTarget as HTMLInputElement).checked })} />
        <span>{i18n.t('drawer.printCustomerCopy')}</span>
      </label>
    </div>
  );
}
