// One unref'd timer for the session's next timed transition (the idle lock, the absolute end),
// so the screen learns of it with nobody calling. It never holds the process open, and sleeps at
// most a minute at a time, so a wall clock set forward is noticed within that.
const maxSleepMs = 60_000;

export class ExpiryTimer {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  /** Calls `onDue` at `dueMs` (or after a minute, to look again); null disarms. */
  arm(dueMs: number | null, nowMs: number, onDue: () => void): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (dueMs === null || this.stopped) return;
    this.timer = setTimeout(onDue, Math.min(Math.max(0, dueMs - nowMs), maxSleepMs));
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
