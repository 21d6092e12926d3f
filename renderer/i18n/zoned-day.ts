// Days as the merchant means them: midnight to midnight in the terminal's time zone preference
// (never the browser's, never UTC), as epoch milliseconds the journal API filters by. Intl gives
// the wall clock of an instant in a zone; the instant of a wall-clock midnight is found from the
// zone's offset, corrected once more for a midnight that falls beside a daylight-saving change.
const dayMs = 86_400_000;

interface CivilDay {
  year: number;
  month: number;
  day: number;
}

function wallClock(atMs: number, timeZone: string): CivilDay & { hour: number; minute: number; second: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    calendar: 'gregory',
    numberingSystem: 'latn',
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(atMs);
  const get = (type: string): number => Number(parts.find((part) => part.type === type)?.value ?? '0');
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** The zone's offset from UTC at an instant, in ms (Tehran: +3.5 h). */
function offsetMs(atMs: number, timeZone: string): number {
  const wall = wallClock(atMs, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(atMs / 1000) * 1000;
}

function midnightMs(civil: CivilDay, timeZone: string): number {
  const utcMidnight = Date.UTC(civil.year, civil.month - 1, civil.day);
  let guess = utcMidnight - offsetMs(utcMidnight, timeZone);
  guess = utcMidnight - offsetMs(guess, timeZone);
  return guess;
}

/** The start of the day `daysBack` days before the one holding `atMs`, in `timeZone`. */
export function dayStartMs(atMs: number, timeZone: string, daysBack = 0): number {
  const today = wallClock(atMs, timeZone);
  // Noon of the civil day, stepped back by whole days, never lands on the wrong date.
  const noon = Date.UTC(today.year, today.month - 1, today.day, 12) - daysBack * dayMs;
  const day = new Date(noon);
  return midnightMs({ year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() }, timeZone);
}

/** The exclusive end of the day that starts at `startMs` (23, 24 or 25 hours later). */
export function dayEndMs(startMs: number, timeZone: string): number {
  return dayStartMs(startMs + dayMs + dayMs / 2, timeZone);
}
