// The merchant's day: the calendar day in the terminal's time zone preference (the machine's own
// by default), as a settled payment may be voided only on the day it was taken.
import type { Ledger } from '../../ledger/ledger.js';
import { PreferencesStore } from '../../ledger/stores/preferences-store.js';
import { StoredValueInvalidError } from '../../ledger/stores/stored-value.js';
import { systemTimeZone } from '../api/preferences-handlers.js';

export function calendarDayOf(atMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(atMs);
}

/** Whether two times fall on the same calendar day where the merchant is. */
export function sameMerchantDay(ledger: Ledger): (atMs: number, nowMs: number) => Promise<boolean> {
  return async (atMs, nowMs) => {
    const chosen = await new PreferencesStore(ledger).chosen().catch((error: unknown) => {
      if (error instanceof StoredValueInvalidError) return { timeZone: undefined };
      throw error;
    });
    const timeZone = chosen.timeZone ?? systemTimeZone();
    return calendarDayOf(atMs, timeZone) === calendarDayOf(nowMs, timeZone);
  };
}
